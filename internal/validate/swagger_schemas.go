package validate

import (
	"context"
	"reflect"
	"strconv"
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
			n := v2Schema(root, doc3, ptr)
			if n == nil || n.Kind != source.Object || n.Has("$ref") {
				return nil
			}
			s := shallow(ref.Value, stub)
			err := guard(func() error { return s.Validate(sctx) })
			if ierr := internal(err); ierr != nil {
				return ierr
			}
			r.report(err, n)
			return swaggerDefault(ref.Value, n, r)
		})
	})
}

// swaggerDefault checks a schema's default against the whole converted
// schema (the stubs of the shallow copy would accept anything).
func swaggerDefault(s *openapi3.Schema, n *source.Node, r *kinReporter) error {
	def := n.Get("default")
	if s.Default == nil || def == nil || r.p.at[def] {
		return nil
	}
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(ecmaRegexp)}
	err := guard(func() error { return s.VisitJSON(s.Default, opts...) })
	if ierr := internal(err); ierr != nil {
		return ierr
	}
	if err != nil {
		r.p.list = append(r.p.list, problemAt(def, "default does not match its schema: "+schemaReason(leaves(err)[0])))
	}
	return nil
}

// stubEntries replaces the schema at every place the document validation
// enters one (components, parameters, headers, media types) with a stub:
// each schema has been validated on its own, and kin would otherwise walk
// every schema graph again from each of those places.
func stubEntries(doc *openapi3.T) {
	st := stubber{stub: &openapi3.Schema{}}
	if c := doc.Components; c != nil {
		for k, s := range c.Schemas {
			c.Schemas[k] = st.ref(s)
		}
		for _, p := range c.Parameters {
			st.param(p)
		}
		for _, rb := range c.RequestBodies {
			if rb != nil && rb.Value != nil {
				st.content(rb.Value.Content)
			}
		}
		for _, resp := range c.Responses {
			st.response(resp)
		}
	}
	if doc.Paths != nil {
		for _, item := range doc.Paths.Map() {
			st.pathItem(item)
		}
	}
}

type stubber struct{ stub *openapi3.Schema }

func (st stubber) ref(r *openapi3.SchemaRef) *openapi3.SchemaRef {
	if r == nil {
		return nil
	}
	return &openapi3.SchemaRef{Ref: r.Ref, Value: st.stub}
}

func (st stubber) content(c openapi3.Content) {
	for _, mt := range c {
		if mt != nil {
			mt.Schema = st.ref(mt.Schema)
		}
	}
}

func (st stubber) param(p *openapi3.ParameterRef) {
	if p != nil && p.Value != nil {
		p.Value.Schema = st.ref(p.Value.Schema)
		st.content(p.Value.Content)
	}
}

func (st stubber) response(r *openapi3.ResponseRef) {
	if r == nil || r.Value == nil {
		return
	}
	st.content(r.Value.Content)
	for _, h := range r.Value.Headers {
		if h != nil && h.Value != nil {
			h.Value.Schema = st.ref(h.Value.Schema)
			st.content(h.Value.Content)
		}
	}
}

func (st stubber) pathItem(item *openapi3.PathItem) {
	for _, p := range item.Parameters {
		st.param(p)
	}
	for _, op := range item.Operations() {
		for _, p := range op.Parameters {
			st.param(p)
		}
		if op.RequestBody != nil && op.RequestBody.Value != nil {
			st.content(op.RequestBody.Value.Content)
		}
		if op.Responses != nil {
			for _, resp := range op.Responses.Map() {
				st.response(resp)
			}
		}
	}
}

// v2Schema maps a schema's pointer in the converted document to the 2.0
// node it came from, or nil. A non-body parameter's schema was made from
// the parameter's own type keywords, so it maps to the parameter.
func v2Schema(root *source.Node, doc3 *openapi3.T, ptr string) *source.Node {
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
	case at(0) == "components" && at(1) == "parameters" && at(3) == "schema":
		return rest(root.Get("parameters").Get(at(2)), 4)
	case at(0) == "paths" && at(2) == "parameters" && at(4) == "schema":
		return rest(v2Param(root, doc3, at(1), "", at(3)), 5)
	case at(0) == "paths" && at(3) == "parameters" && at(5) == "schema":
		return rest(v2Param(root, doc3, at(1), at(2), at(4)), 6)
	}
	return nil
}

// v2Param finds the 2.0 parameter a converted one (index i of the path's
// or an operation's parameters) came from, by name and location: the
// conversion drops body and form parameters, so indexes differ.
func v2Param(root *source.Node, doc3 *openapi3.T, path, method, i string) *source.Node {
	item := doc3.Paths.Find(path)
	if item == nil {
		return nil
	}
	params := item.Parameters
	if method != "" {
		op := item.GetOperation(strings.ToUpper(method))
		if op == nil {
			return nil
		}
		params = op.Parameters
	}
	idx, err := strconv.Atoi(i)
	if err != nil || idx < 0 || idx >= len(params) || params[idx] == nil || params[idx].Value == nil {
		return nil
	}
	want := params[idx].Value
	item2 := root.Get("paths").Get(path)
	lists := []*source.Node{item2.Get("parameters")}
	if method != "" {
		lists[0] = item2.Get(method).Get("parameters")
	}
	for _, list := range lists {
		if list == nil {
			continue
		}
		// A $ref'd parameter is a component, reached (and placed) as one.
		for _, p := range list.Children {
			if p.Str("name") == want.Name && p.Str("in") == want.In {
				return p
			}
		}
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
