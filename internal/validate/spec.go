package validate

import (
	"fmt"
	"sort"
	"strings"
)

// The structural checks read object types from small tables written in a
// field DSL, one table per specification version (spec_oas.go,
// spec_swagger.go, spec_asyncapi.go):
//
//	"operationId:string parameters:[]parameter responses!:responses"
//
// Each field is NAME:VALUE, "!" after the name marks it required, and a
// VALUE is alternatives joined by "|": a scalar (string, bool, number,
// integer, null, any), a type of the same table, []VALUE for an array or
// map:VALUE for an object mapping names to values. "any" is data and is
// never looked into (examples, defaults, bindings).

// shape is the form of one alternative.
type shape uint8

const (
	shapeString shape = iota
	shapeBool
	shapeNumber
	shapeInteger // a non-negative integer: the JSON Schema counts
	shapeNull
	shapeAny
	shapeType
	shapeArray
	shapeMap
)

// alt is one alternative of a value.
type alt struct {
	shape shape
	typ   *objType // shapeType
	elem  valueSpec
}

// valueSpec lists the alternatives a value may take, in order.
type valueSpec []*alt

// refMode says whether a Reference Object may stand for an object.
type refMode uint8

const (
	refNone     refMode = iota
	refReplace          // {$ref} replaces the object; siblings are ignored
	refSiblings         // $ref sits beside the object's own fields (path items, 3.1 schemas)
)

// objType is one kind of object of a specification.
type objType struct {
	name   string // "operation", as messages name it
	plural string
	fields map[string]valueSpec
	known  []string // field names, sorted, for suggestions
	// required fields; anyOf lists groups of which one must be present.
	required []string
	anyOf    [][]string
	ext      bool // x- extensions allowed
	ref      refMode
	// keys is what a member not among the fields is (paths, responses,
	// callbacks); keyRule checks its name, returning a message or "".
	keys    valueSpec
	keyRule func(string) string
	open    bool              // other members are allowed and ignored (3.1 schemas)
	boolean bool              // true or false may stand for the object (3.1 schemas)
	later   map[string]string // fields that belong to a later version: a note for the message
	enums   map[string][]string
}

// typeDef is how a table writes an objType.
type typeDef struct {
	name, plural string
	fields       string
	anyOf        string // "paths|components|webhooks"
	ext          bool
	ref          refMode
	keys         string
	keyRule      func(string) string
	open         bool
	boolean      bool
	later        map[string]string
	enums        map[string]string // field → its allowed string values, space-separated
}

// specSet is one table: its types and the root type.
type specSet struct {
	types map[string]*objType
	root  *objType
}

// compile turns the table's definitions into linked types. A mistake in a
// table is a bug in relay, so it panics at package initialisation, where
// every test sees it.
func compile(root string, defs map[string]typeDef) *specSet {
	s := &specSet{types: map[string]*objType{}}
	for key, d := range defs {
		plural := d.plural
		if plural == "" {
			plural = d.name + "s"
		}
		s.types[key] = &objType{name: d.name, plural: plural, ext: d.ext, ref: d.ref, keyRule: d.keyRule,
			open: d.open, boolean: d.boolean, later: d.later, fields: map[string]valueSpec{}, enums: map[string][]string{}}
	}
	for key, d := range defs {
		s.fill(s.types[key], d)
	}
	s.root = s.types[root]
	if s.root == nil {
		panic("validate: no root type " + root)
	}
	return s
}

func (s *specSet) fill(t *objType, d typeDef) {
	for _, f := range strings.Fields(d.fields) {
		name, val, ok := strings.Cut(f, ":")
		if !ok {
			panic("validate: field without a value: " + f)
		}
		if strings.HasSuffix(name, "!") {
			name = strings.TrimSuffix(name, "!")
			t.required = append(t.required, name)
		}
		t.fields[name] = s.parse(val)
		t.known = append(t.known, name)
	}
	sort.Strings(t.known)
	if d.keys != "" {
		t.keys = s.parse(d.keys)
	}
	for f, vals := range d.enums {
		if _, ok := t.fields[f]; !ok {
			panic("validate: enum for unknown field " + f)
		}
		t.enums[f] = strings.Fields(vals)
	}
	if d.anyOf != "" {
		t.anyOf = append(t.anyOf, strings.Split(d.anyOf, "|"))
	}
}

// parse reads one VALUE of the DSL. A leading [] or map: applies to all
// that follows ("map:schema|[]string" maps names to schemas or string
// lists); otherwise "|" separates alternatives, each of which may carry
// its own prefix ("schema|[]schema").
func (s *specSet) parse(v string) valueSpec {
	switch {
	case strings.HasPrefix(v, "[]"):
		return valueSpec{{shape: shapeArray, elem: s.parse(v[2:])}}
	case strings.HasPrefix(v, "map:"):
		return valueSpec{{shape: shapeMap, elem: s.parse(v[4:])}}
	}
	var out valueSpec
	for _, a := range strings.Split(v, "|") {
		out = append(out, s.parseAlt(a))
	}
	return out
}

func (s *specSet) parseAlt(a string) *alt {
	if strings.HasPrefix(a, "[]") || strings.HasPrefix(a, "map:") {
		return s.parse(a)[0]
	}
	if sh, ok := scalarShapes[a]; ok {
		return &alt{shape: sh}
	}
	t := s.types[a]
	if t == nil {
		panic(fmt.Sprintf("validate: unknown type %q", a))
	}
	return &alt{shape: shapeType, typ: t}
}

var scalarShapes = map[string]shape{
	"string": shapeString, "bool": shapeBool, "number": shapeNumber,
	"integer": shapeInteger, "null": shapeNull, "any": shapeAny,
}

// describe names what a value may be, for "… must be X, not Y".
func (v valueSpec) describe() string {
	parts := make([]string, len(v))
	for i, a := range v {
		parts[i] = a.describe()
	}
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " or " + parts[1]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

func (a *alt) describe() string {
	switch a.shape {
	case shapeString:
		return "a string"
	case shapeBool:
		return "a boolean"
	case shapeNumber:
		return "a number"
	case shapeInteger:
		return "a non-negative integer"
	case shapeNull:
		return "null"
	case shapeType:
		return article(a.typ.name)
	case shapeArray:
		return "an array of " + a.elem.plural()
	case shapeMap:
		return "an object mapping names to " + a.elem.plural()
	}
	return "any value"
}

// plural names a list of such values ("parameters", "strings").
func (v valueSpec) plural() string {
	if len(v) == 1 {
		switch a := v[0]; a.shape {
		case shapeType:
			return a.typ.plural
		case shapeString, shapeBool, shapeNumber:
			return strings.TrimPrefix(a.describe(), "a ") + "s"
		case shapeInteger:
			return "non-negative integers"
		case shapeArray:
			return "arrays"
		}
	}
	return "values"
}
