package validate

import (
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/source"
)

// The kin-openapi types whose JSON form is not a plain struct: unions
// (type, exclusiveMinimum, additionalProperties), schema references, and
// the map-like objects with unexported maps (paths, responses, callbacks).
// Filled in init: they call back into decode, which reads them.
var (
	specialDecoders map[reflect.Type]func(*decoder, *source.Node, reflect.Value)
	fillers         map[reflect.Type]func(*decoder, *source.Node, reflect.Value)
)

func init() {
	specialDecoders = map[reflect.Type]func(*decoder, *source.Node, reflect.Value){
		reflect.TypeFor[*openapi3.SchemaRef]():            (*decoder).schemaStub,
		reflect.TypeFor[*openapi3.Types]():                decodeTypes,
		reflect.TypeFor[openapi3.ExclusiveBound]():        decodeBound,
		reflect.TypeFor[openapi3.BoolSchema]():            (*decoder).boolSchema,
		reflect.TypeFor[map[string]openapi3.MappingRef](): decodeMapping,
	}
	fillers = map[reflect.Type]func(*decoder, *source.Node, reflect.Value){
		reflect.TypeFor[openapi3.Paths]():     (*decoder).fillPaths,
		reflect.TypeFor[openapi3.Responses](): (*decoder).fillResponses,
		reflect.TypeFor[openapi3.Callback]():  (*decoder).fillCallback,
		reflect.TypeFor[openapi3.PathItem]():  (*decoder).fillPathItem,
	}
}

// schemaStub stands for a schema inside the document model: the schema
// itself is validated on its own, so the model only needs to know that
// one is there (and which $ref it was). A full decoder builds the real
// schema graph instead.
func (d *decoder) schemaStub(n *source.Node, v reflect.Value) {
	if d.full {
		v.Set(reflect.ValueOf(d.fullRef(n)))
		return
	}
	ref := d.stubRef
	if r := n.Str("$ref"); r != "" {
		ref = &openapi3.SchemaRef{Ref: r, Value: d.stub}
	}
	v.Set(reflect.ValueOf(ref))
}

// decodeTypes reads type: a name, or (3.1) a list of names.
func decodeTypes(_ *decoder, n *source.Node, v reflect.Value) {
	var ts openapi3.Types
	switch n.Kind {
	case source.String:
		ts = openapi3.Types{n.Value}
	case source.Array:
		for _, c := range n.Children {
			if c.Kind == source.String {
				ts = append(ts, c.Value)
			}
		}
	default:
		return
	}
	v.Set(reflect.ValueOf(&ts))
}

// decodeBound reads exclusiveMinimum/Maximum: a boolean (3.0) or a number
// (3.1); kin reports the form the version does not allow.
func decodeBound(_ *decoder, n *source.Node, v reflect.Value) {
	var b openapi3.ExclusiveBound
	switch n.Kind {
	case source.Bool:
		x := n.Value == "true"
		b.Bool = &x
	case source.Number:
		f, _ := n.Float()
		b.Value = &f
	default:
		return
	}
	v.Set(reflect.ValueOf(b))
}

// boolSchema reads additionalProperties and the unevaluated keywords.
func (d *decoder) boolSchema(n *source.Node, v reflect.Value) {
	var b openapi3.BoolSchema
	switch n.Kind {
	case source.Bool:
		x := n.Value == "true"
		b.Has = &x
	case source.Object:
		b.Schema = &openapi3.SchemaRef{Ref: n.Str("$ref"), Value: d.stub}
		if d.full {
			b.Schema = d.fullRef(n)
		}
	default:
		return
	}
	v.Set(reflect.ValueOf(b))
}

// decodeMapping reads a discriminator's mapping of values to schema refs.
func decodeMapping(_ *decoder, n *source.Node, v reflect.Value) {
	if n.Kind != source.Object {
		return
	}
	m := make(map[string]openapi3.MappingRef, len(n.Children))
	for _, c := range n.Children {
		if c.Kind == source.String {
			m[c.Key] = openapi3.MappingRef{Ref: c.Value}
		}
	}
	v.Set(reflect.ValueOf(m))
}

// mapLike decodes an object whose members are named values plus x-
// extensions, handing each value to set.
func (d *decoder) mapLike(n *source.Node, p reflect.Value, elem reflect.Type, set func(string, reflect.Value)) {
	info := structInfoOf(p.Elem().Type())
	d.stamp(n, p.Elem(), info)
	ext := map[string]any{}
	for _, c := range n.Children {
		switch {
		case strings.HasPrefix(c.Key, "x-"):
			ext[c.Key] = toAny(c)
		case !d.w.skip[c]:
			e := reflect.New(elem).Elem()
			d.decode(c, e)
			if !isNil(e) {
				set(c.Key, e)
			}
		}
	}
	if len(ext) > 0 && info.ext != nil {
		p.Elem().FieldByIndex(info.ext).Set(reflect.ValueOf(ext))
	}
}

func (d *decoder) fillPaths(n *source.Node, p reflect.Value) {
	paths := p.Interface().(*openapi3.Paths)
	d.mapLike(n, p, reflect.TypeFor[*openapi3.PathItem](), func(k string, v reflect.Value) {
		paths.Set(k, v.Interface().(*openapi3.PathItem))
	})
}

func (d *decoder) fillResponses(n *source.Node, p reflect.Value) {
	rs := p.Interface().(*openapi3.Responses)
	d.mapLike(n, p, reflect.TypeFor[*openapi3.ResponseRef](), func(k string, v reflect.Value) {
		rs.Set(k, v.Interface().(*openapi3.ResponseRef))
	})
}

func (d *decoder) fillCallback(n *source.Node, p reflect.Value) {
	cb := p.Interface().(*openapi3.Callback)
	d.mapLike(n, p, reflect.TypeFor[*openapi3.PathItem](), func(k string, v reflect.Value) {
		cb.Set(k, v.Interface().(*openapi3.PathItem))
	})
}

// fillPathItem merges a path item's $ref target under its own fields, as
// kin's loader does, so the operations a $ref brings in are validated with
// the path's parameters (and keep their own positions).
func (d *decoder) fillPathItem(n *source.Node, p reflect.Value) {
	if t := d.w.target(n); t != nil && t.Kind == source.Object && t != n {
		d.fields(t, p.Elem())
	}
	d.fields(n, p.Elem())
	p.Elem().FieldByName("Ref").SetString("")
}

// fullRef builds the real schema behind n, following its $ref. Siblings
// of a 3.1 $ref are left out: a default is then checked against less than
// the whole schema, never against more.
func (d *decoder) fullRef(n *source.Node) *openapi3.SchemaRef {
	ref := &openapi3.SchemaRef{}
	target := n
	if n.Kind == source.Object && n.Has("$ref") {
		ref.Ref = n.Str("$ref")
		if target = d.w.target(n); target == nil {
			ref.Value = d.stub
			return ref
		}
	}
	ref.Value = d.fullSchema(target)
	return ref
}

// fullSchema decodes the schema graph from n, each node once.
func (d *decoder) fullSchema(n *source.Node) *openapi3.Schema {
	switch n.Kind {
	case source.Bool:
		b := n.Value == "true"
		return &openapi3.Schema{Always: &b}
	case source.Object:
		return d.object(n, reflect.TypeFor[openapi3.Schema]()).Interface().(*openapi3.Schema)
	}
	return d.stub
}
