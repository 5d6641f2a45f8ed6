package validate

import (
	"context"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/source"
)

// swaggerSchemas validates every schema of the converted document on its
// own (kin stops at the first problem of a whole schema graph), placing
// each at the 2.0 schema it was converted from. Schemas the conversion
// made up (form bodies, parameter schemas) have no 2.0 schema of their
// own; their problems come from the whole-document pass.
func swaggerSchemas(ctx context.Context, doc3 *openapi3.T, root *source.Node, r *kinReporter) error {
	sctx := openapi3.WithValidationOptions(ctx, schemaOptions(false)...)
	stub := &openapi3.Schema{}
	return guard(func() error {
		return doc3.WalkSchemas(func(ptr string, ref *openapi3.SchemaRef) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			n := v2Schema(root, ptr)
			if n == nil || n.Kind != source.Object || n.Has("$ref") {
				return nil
			}
			s := shallow(ref.Value, stub)
			err := guard(func() error { return s.Validate(sctx) })
			if ierr := internal(err); ierr != nil {
				return ierr
			}
			r.report(err, n)
			return nil
		})
	})
}

// v2Schema maps a schema's pointer in the converted document to the 2.0
// node it came from, or nil.
func v2Schema(root *source.Node, ptr string) *source.Node {
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	at := func(i int) string {
		if i < len(toks) {
			return source.UnescapeToken(toks[i])
		}
		return ""
	}
	rest := func(base *source.Node, from int) *source.Node {
		n, _ := base.Lookup(joinTokens(toks[from:]))
		return n
	}
	switch {
	case at(0) == "components" && at(1) == "schemas":
		return rest(root.Get("definitions").Get(at(2)), 3)
	case at(0) == "components" && at(1) == "responses" && at(3) == "content" && at(5) == "schema":
		return rest(root.Get("responses").Get(at(2)).Get("schema"), 6)
	case at(0) == "components" && at(1) == "requestBodies" && at(3) == "content" && at(5) == "schema":
		return rest(root.Get("parameters").Get(at(2)).Get("schema"), 6)
	case at(0) == "paths" && at(3) == "responses" && at(5) == "content" && at(7) == "schema":
		return rest(root.Get("paths").Get(at(1)).Get(at(2)).Get("responses").Get(at(4)).Get("schema"), 8)
	case at(0) == "paths" && at(3) == "requestBody" && at(4) == "content" && at(6) == "schema":
		return rest(bodyParam(root.Get("paths").Get(at(1)), at(2)).Get("schema"), 7)
	}
	return nil
}

func joinTokens(toks []string) string {
	if len(toks) == 0 {
		return ""
	}
	return "/" + strings.Join(toks, "/")
}

// bodyParam finds the in: body parameter of an operation (or of its path).
func bodyParam(pathItem *source.Node, method string) *source.Node {
	for _, list := range []*source.Node{pathItem.Get(method).Get("parameters"), pathItem.Get("parameters")} {
		if list == nil {
			continue
		}
		for _, p := range list.Children {
			if p.Str("in") == "body" {
				return p
			}
		}
	}
	return nil
}

var (
	schemaRefType  = reflect.TypeFor[*openapi3.SchemaRef]()
	schemaRefsType = reflect.TypeFor[openapi3.SchemaRefs]()
	schemasType    = reflect.TypeFor[openapi3.Schemas]()
	boolSchemaType = reflect.TypeFor[openapi3.BoolSchema]()
)

// shallow copies a schema with every subschema replaced by the stub, so
// validating it checks this schema's own keywords only.
func shallow(s *openapi3.Schema, stub *openapi3.Schema) *openapi3.Schema {
	c := *s
	v := reflect.ValueOf(&c).Elem()
	stubRef := func(r *openapi3.SchemaRef) *openapi3.SchemaRef {
		if r == nil {
			return nil
		}
		return &openapi3.SchemaRef{Ref: r.Ref, Value: stub}
	}
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		switch f.Type() {
		case schemaRefType:
			f.Set(reflect.ValueOf(stubRef(f.Interface().(*openapi3.SchemaRef))))
		case schemaRefsType:
			old := f.Interface().(openapi3.SchemaRefs)
			refs := make(openapi3.SchemaRefs, len(old))
			for j, r := range old {
				refs[j] = stubRef(r)
			}
			f.Set(reflect.ValueOf(refs))
		case schemasType:
			old := f.Interface().(openapi3.Schemas)
			m := make(openapi3.Schemas, len(old))
			for k, r := range old {
				m[k] = stubRef(r)
			}
			f.Set(reflect.ValueOf(m))
		case boolSchemaType:
			b := f.Interface().(openapi3.BoolSchema)
			b.Schema = stubRef(b.Schema)
			f.Set(reflect.ValueOf(b))
		}
	}
	return &c
}
