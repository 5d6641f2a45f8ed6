package validate

import (
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/source"
)

// decoder builds kin-openapi's typed model (openapi3.T and friends) from
// relay's tree by reflection over kin's own json tags. It replaces kin's
// loader, which would parse the bytes again (0.6 s for a 4 MB document,
// most of it decoding every subtree twice for extensions) and resolve
// $refs again; relay's loader has already resolved them, inside the
// contract's directory, so kin never reads a file or a URL.
//
// Every object gets an Origin recorded against its node, so kin's errors,
// which carry the Origin of the object they are about, map back to a
// position. Members the walker reported (unknown fields, wrong kinds) are
// left out, so kin does not report them a second time, and a value of the
// wrong kind can never fail the decode.
//
// Schemas are not decoded into the document model: every SchemaRef in it
// is a stub (an empty schema, keeping the $ref string), and each schema
// node is decoded and validated on its own (openapi.go). kin validates a
// schema by walking everything it references, afresh for each place it is
// used, which on a large API costs seconds; one by one, each schema is
// checked exactly once.
type decoder struct {
	w           *walker
	origins     map[*openapi3.Origin]*source.Node
	placeholder map[*openapi3.Origin]bool
	memo        map[memoKey]reflect.Value
	stub        *openapi3.Schema
	stubRef     *openapi3.SchemaRef // shared by every schema position without a $ref
	// full decodes schemas with their subschemas (for checking defaults)
	// instead of stubs.
	full bool
}

type memoKey struct {
	n *source.Node
	t reflect.Type
}

func newDecoder(w *walker) *decoder {
	stub := &openapi3.Schema{}
	return &decoder{w: w, origins: make(map[*openapi3.Origin]*source.Node, len(w.typed)), placeholder: map[*openapi3.Origin]bool{}, memo: map[memoKey]reflect.Value{},
		stub: stub, stubRef: &openapi3.SchemaRef{Value: stub}}
}

// decode fills v (settable) from n, leaving it zero when n does not fit.
func (d *decoder) decode(n *source.Node, v reflect.Value) {
	if d.w.skip[n] {
		return
	}
	if special, ok := specialDecoders[v.Type()]; ok {
		special(d, n, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		d.pointer(n, v)
	case reflect.Struct:
		d.fields(n, v)
	case reflect.Interface:
		if a := toAny(n); a != nil {
			v.Set(reflect.ValueOf(a))
		}
	case reflect.Slice:
		d.slice(n, v)
	case reflect.Map:
		d.mapping(n, v)
	default:
		setScalar(n, v)
	}
}

func (d *decoder) pointer(n *source.Node, v reflect.Value) {
	et := v.Type().Elem()
	switch {
	case et.Kind() != reflect.Struct:
		p := reflect.New(et)
		if setScalar(n, p.Elem()) {
			v.Set(p)
		}
	case n.Kind != source.Object:
		// reported by the walker; kin gets no half-built object
	case isRefWrapper(et):
		v.Set(d.refWrapper(n, et))
	default:
		v.Set(d.object(n, et))
	}
}

// object decodes n as a *T of struct type t. A $ref target is decoded once
// per type, so a component referenced from many places is one value, as
// kin's loader would make it (and a cycle of references terminates).
func (d *decoder) object(n *source.Node, t reflect.Type) reflect.Value {
	shared := d.w.targets[n]
	key := memoKey{n, t}
	if v, ok := d.memo[key]; ok && shared {
		return v
	}
	p := reflect.New(t)
	if shared {
		d.memo[key] = p
	}
	if fill, ok := fillers[t]; ok {
		fill(d, n, p)
	} else {
		d.fields(n, p.Elem())
	}
	return p
}

// fields decodes an object's members into a struct by json name; x-
// members go to Extensions, and the struct gets n's Origin.
func (d *decoder) fields(n *source.Node, v reflect.Value) {
	info := structInfoOf(v.Type())
	d.stamp(n, v, info)
	var ext map[string]any
	for _, c := range n.Children {
		if strings.HasPrefix(c.Key, "x-") {
			if info.ext != nil {
				if ext == nil {
					ext = map[string]any{}
				}
				ext[c.Key] = toAny(c)
			}
			continue
		}
		if idx, ok := info.fields[c.Key]; ok && !d.w.skip[c] {
			d.decode(c, v.FieldByIndex(idx))
		}
	}
	if ext != nil {
		v.FieldByIndex(info.ext).Set(reflect.ValueOf(ext))
	}
}

// stamp gives a struct an Origin recorded against n.
func (d *decoder) stamp(n *source.Node, v reflect.Value, info *structInfo) *openapi3.Origin {
	if info.origin == nil {
		return nil
	}
	o := &openapi3.Origin{} // the node says where; kin only passes the pointer on
	d.origins[o] = n
	v.FieldByIndex(info.origin).Set(reflect.ValueOf(o))
	return o
}

// refWrapper decodes a SchemaRef-like wrapper (Ref, Value): its Value is
// the $ref's target, or n itself. A target the walker found to be the
// wrong kind becomes an empty placeholder whose errors are not reported:
// the wrong $ref already was.
func (d *decoder) refWrapper(n *source.Node, t reflect.Type) reflect.Value {
	p := reflect.New(t)
	d.stamp(n, p.Elem(), structInfoOf(t))
	vt := p.Elem().FieldByName("Value").Type().Elem()
	ref := n.Get("$ref")
	if ref == nil || n.Kind != source.Object {
		if n.Kind == source.Object {
			p.Elem().FieldByName("Value").Set(d.object(n, vt))
		}
		return p
	}
	p.Elem().FieldByName("Ref").SetString(ref.Value)
	target := d.w.target(n)
	if target == nil || target.Kind != source.Object {
		p.Elem().FieldByName("Value").Set(d.placeholderOf(n, vt))
		return p
	}
	p.Elem().FieldByName("Value").Set(d.object(target, vt))
	return p
}

func (d *decoder) placeholderOf(n *source.Node, t reflect.Type) reflect.Value {
	p := reflect.New(t)
	if o := d.stamp(n, p.Elem(), structInfoOf(t)); o != nil {
		d.placeholder[o] = true
	}
	return p
}

func (d *decoder) slice(n *source.Node, v reflect.Value) {
	if n.Kind != source.Array {
		return
	}
	// Items that did not decode (the walker reported them) are left out:
	// kin does not expect nil in its lists.
	s := reflect.MakeSlice(v.Type(), 0, len(n.Children))
	e := reflect.New(v.Type().Elem()).Elem()
	for _, c := range n.Children {
		e.SetZero()
		d.decode(c, e)
		if !isNil(e) {
			s = reflect.Append(s, e)
		}
	}
	v.Set(s)
}

func (d *decoder) mapping(n *source.Node, v reflect.Value) {
	if n.Kind != source.Object || v.Type().Key().Kind() != reflect.String {
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Children))
	et := v.Type().Elem()
	for _, c := range n.Children {
		if d.w.skip[c] {
			continue
		}
		e := reflect.New(et).Elem()
		d.decode(c, e)
		if !isNil(e) {
			m.SetMapIndex(reflect.ValueOf(c.Key).Convert(v.Type().Key()), e)
		}
	}
	v.Set(m)
}

// isNil reports an object pointer left unset (a null in data, an enum's
// null member, is a value and stays).
func isNil(v reflect.Value) bool {
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// setScalar sets a string, bool or number from a scalar of the same kind;
// it reports whether it did.
func setScalar(n *source.Node, v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		if n.Kind == source.String {
			v.SetString(n.Value)
			return true
		}
	case reflect.Bool:
		if n.Kind == source.Bool {
			v.SetBool(n.Value == "true")
			return true
		}
	case reflect.Float32, reflect.Float64:
		if f, ok := n.Float(); ok {
			v.SetFloat(f)
			return true
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if u, err := strconv.ParseUint(n.Value, 10, 64); err == nil && n.Kind == source.Number {
			v.SetUint(u)
			return true
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if i, err := strconv.ParseInt(n.Value, 10, 64); err == nil && n.Kind == source.Number {
			v.SetInt(i)
			return true
		}
	}
	return false
}

// toAny converts data (examples, defaults, enums) into what
// encoding/json would have produced, which is what kin expects.
func toAny(n *source.Node) any {
	return n.Data(func(n *source.Node) any {
		f, _ := n.Float()
		return f
	})
}

// structInfo is what the decoder needs of a struct type: its fields by
// json name (embedded structs flattened) and where Origin and Extensions
// are.
type structInfo struct {
	fields      map[string][]int
	origin, ext []int
}

var structInfos sync.Map // reflect.Type → *structInfo

var (
	originType = reflect.TypeFor[*openapi3.Origin]()
	extType    = reflect.TypeFor[map[string]any]()
)

func structInfoOf(t reflect.Type) *structInfo {
	if v, ok := structInfos.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{fields: map[string][]int{}}
	collectFields(t, nil, info)
	structInfos.Store(t, info)
	return info
}

func collectFields(t reflect.Type, prefix []int, info *structInfo) {
	for i := range t.NumField() {
		f := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		switch {
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			collectFields(f.Type, idx, info)
		case !f.IsExported():
		case f.Name == "Origin" && f.Type == originType:
			info.origin = idx
		case f.Name == "Extensions" && f.Type == extType:
			info.ext = idx
		default:
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				info.fields[name] = idx
			}
		}
	}
}

// isRefWrapper reports kin's XxxRef types: a Ref string beside a Value
// pointer.
func isRefWrapper(t reflect.Type) bool {
	r, okR := t.FieldByName("Ref")
	v, okV := t.FieldByName("Value")
	return okR && okV && r.Type.Kind() == reflect.String && v.Type.Kind() == reflect.Pointer
}
