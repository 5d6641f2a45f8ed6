package diff

import (
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// Dialect is the schema language of a document: the keywords that differ
// between Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1 / JSON Schema 2020-12.
type Dialect uint8

// The dialects.
const (
	DialectOAS30 Dialect = iota
	DialectSwagger
	DialectOAS31
)

func schemaDialect(doc *load.Document) Dialect {
	switch {
	case doc.Kind == load.Swagger:
		return DialectSwagger
	case doc.Kind == load.OpenAPI && len(doc.SpecVersion) >= 3 && doc.SpecVersion[:3] == "3.0":
		return DialectOAS30
	}
	return DialectOAS31
}

// TypeSet is the set of JSON value classes a schema admits. "number" is
// integer plus fraction, so integer→number is a widening by set inclusion.
type TypeSet uint8

// The value classes.
const (
	TNull TypeSet = 1 << iota
	TBoolean
	TObject
	TArray
	TString
	TInteger
	TFraction
	TAll = TNull | TBoolean | TObject | TArray | TString | TInteger | TFraction
)

var typeBits = map[string]TypeSet{
	"null": TNull, "boolean": TBoolean, "object": TObject, "array": TArray,
	"string": TString, "integer": TInteger, "number": TInteger | TFraction,
	"file": TString, // Swagger 2.0 form file upload
}

// Names lists the JSON Schema type names of the set, "number" absorbing integer.
func (t TypeSet) Names() []string {
	var out []string
	for _, n := range []string{"boolean", "object", "array", "string", "number", "integer", "null"} {
		bits := typeBits[n]
		switch {
		case n == "integer" && t&TFraction != 0:
			continue
		case t&bits == bits:
			out = append(out, n)
		}
	}
	return out
}

// Bound is a numeric keyword value with its source node. For minimum and
// maximum Excl marks an exclusive bound.
type Bound struct {
	Set  bool
	V    float64
	Excl bool
	Node *source.Node
}

// Prop is one declared object property.
type Prop struct {
	Name   string
	Node   *source.Node // the member node under "properties"
	Schema *Schema
}

// Schema is the normalised view of one schema: dialect differences folded
// (3.0 nullable and 3.1 type arrays mean the same), allOf merged, and every
// keyword value paired with the node it came from so a finding can name it.
type Schema struct {
	// Node anchors the schema: the schema object (the node holding allOf for
	// merged schemas, the $ref site for 3.1 $ref-with-siblings).
	Node *source.Node
	// RefName names the component a $ref pointed at ("" when inline); variant
	// matching uses it.
	RefName string
	Title   string
	// Bool is set for 3.1 boolean schemas: +1 true, -1 false.
	Bool int8

	Types    TypeSet // 0 means no type constraint
	TypeNode *source.Node
	// Nullable is set when null is admitted explicitly (3.0 nullable, 2.0
	// x-nullable, "null" in a 3.1 type array); NullNode says where.
	Nullable bool
	NullNode *source.Node

	Format     string
	FormatNode *source.Node
	Enum       *source.Node // the enum array
	// Extensible marks an x-extensible-enum: clients must accept values not
	// listed yet, so a new value in a response breaks nobody.
	Extensible bool
	Const      *source.Node

	Props     []*Prop
	propIdx   map[string]*Prop
	Required  map[string]*source.Node
	ReqNode   *source.Node
	AddlFalse bool
	Addl      *Schema
	AddlNode  *source.Node
	// PatternProps are the patternProperties members, Name the pattern.
	PatternProps     []*Prop
	PatternPropsNode *source.Node

	Items     *Schema
	ItemsNode *source.Node
	OneOf     []*Schema
	OneOfNode *source.Node
	AnyOf     []*Schema
	AnyOfNode *source.Node

	Min, Max, MultipleOf   Bound
	MinLength, MaxLength   Bound
	MinItems, MaxItems     Bound
	MinProps, MaxProps     Bound
	UniqueItems            Bound
	Pattern                string
	PatternNode            *source.Node
	ReadOnly, WriteOnly    bool
	ReadOnlyN, WriteOnlyN  *source.Node
	Default                *source.Node
	Deprecated             bool
	DeprecatedN            *source.Node
	Discriminator          *source.Node
	Description, TitleNode *source.Node

	// Keywords beyond the usual OpenAPI set (JSON Schema 2019-09/2020-12).
	// Schema-valued ones whose effect grows with their own strictness are
	// paired and compared recursively; the others (if, not,
	// dependentRequired, minContains, maxContains) are compared by value.
	PrefixItems    []*Schema
	PrefixNode     *source.Node
	Contains       *Schema
	ContainsNode   *source.Node
	PropertyNames  *Schema
	PropNamesNode  *source.Node
	Then, Else     *Schema
	ThenNode       *source.Node
	ElseNode       *source.Node
	DepSchemas     map[string]*Schema
	DepSchemasNode *source.Node
	// Conds lists every if/then/else of the schema and of its allOf parts,
	// in order; Then and Else above pair only the first one's branches.
	Conds            []Cond
	ByValue          map[string]*source.Node // keyword → node, for the by-value keywords
	ContentMediaType *source.Node
	ContentEncoding  *source.Node

	building bool
	// siblingRef marks a RefName taken from the schema's own 3.1 $ref with
	// siblings, which a $ref to the schema itself replaces.
	siblingRef bool
	facts      *unionFacts // memoised by Values and UnionAdmits
}

// Cond is one conditional: an `if` with the `then` and `else` beside it
// (either may be nil). JSON Schema ignores `then` and `else` without an
// `if`, and an `if` with neither constrains nothing.
type Cond struct {
	If, Then, Else *source.Node
	// ThenS and ElseS are the branch schemas (nil when absent).
	ThenS, ElseS *Schema
}

// Prop returns the declared property name, or nil.
func (s *Schema) Prop(name string) *Prop {
	if s == nil {
		return nil
	}
	if s.propIdx == nil && len(s.Props) > 0 {
		s.propIdx = make(map[string]*Prop, len(s.Props))
		for _, p := range s.Props {
			s.propIdx[p.Name] = p
		}
	}
	return s.propIdx[name]
}

// Admits returns the value classes the schema accepts, null included.
func (s *Schema) Admits() TypeSet {
	if s == nil || s.Bool > 0 {
		return TAll
	}
	if s.Bool < 0 {
		return 0
	}
	if !s.Typed() {
		if t := s.impliedType(); t != 0 {
			return t
		}
		return TAll
	}
	t := s.Types
	if s.Nullable {
		t |= TNull
	}
	return t
}

// Typed reports whether the schema constrains the type at all.
func (s *Schema) Typed() bool { return s.Types != 0 || s.TypeNode != nil }

// IsRequired reports whether property name is required.
func (s *Schema) IsRequired(name string) bool {
	_, ok := s.Required[name]
	return ok
}

// HasUnion reports whether the schema has oneOf or anyOf variants.
func (s *Schema) HasUnion() bool { return len(s.OneOf)+len(s.AnyOf) > 0 }

// bareUnion reports whether the schema is nothing but its variant list
// (annotations aside).
func (s *Schema) bareUnion() bool {
	return !s.Typed() && len(s.Props) == 0 && s.Items == nil && s.Enum == nil && s.Const == nil &&
		len(s.OneOf) > 0 != (len(s.AnyOf) > 0)
}

// impliedType is the type an untyped schema describes by its keywords alone:
// one that only declares properties (or required/additionalProperties) is
// about objects, one with items about arrays. Writers add or drop
// `type: object` beside properties as a pure refactor (Swagger 2.0 → 3.0
// conversions do), so it must not read as a type change.
func (s *Schema) impliedType() TypeSet {
	switch {
	case len(s.OneOf)+len(s.AnyOf) > 0 || s.ByValue["not"] != nil || s.Enum != nil || s.Const != nil:
		return 0
	case len(s.Props) > 0 || len(s.Required) > 0 || s.AddlNode != nil || s.PatternPropsNode != nil:
		return TObject
	case s.Items != nil:
		return TArray
	}
	return 0
}

// ValueTypes returns the value classes the schema admits once its enum or
// const is taken into account: `{enum: [POST, PUT]}` admits strings only,
// so adding `type: string` beside it changes nothing. An x-extensible-enum
// promises more values to come and does not narrow; a type that rules out
// every listed value (a contradiction) is left as declared.
func (s *Schema) ValueTypes() TypeSet {
	t := s.Admits()
	var listed []*source.Node
	switch {
	case s == nil:
		return t
	case s.Const != nil:
		listed = []*source.Node{s.Const}
	case s.Enum != nil && !s.Extensible:
		listed = s.Enum.Children
	default:
		return t
	}
	var v TypeSet
	for _, n := range listed {
		v |= valueClass(n)
	}
	if t&v == 0 {
		return t
	}
	return t & v
}

// valueClass is the class of one JSON value.
func valueClass(n *source.Node) TypeSet {
	switch n.Kind {
	case source.Null:
		return TNull
	case source.Bool:
		return TBoolean
	case source.String:
		return TString
	case source.Array:
		return TArray
	case source.Object:
		return TObject
	}
	if f, ok := n.Float(); ok && f == float64(int64(f)) {
		return TInteger
	}
	return TFraction
}

// TypesOf reads a `type` keyword value (a name or an array of names) as a
// set, null included; anything else is the empty set.
func TypesOf(n *source.Node) TypeSet {
	var t TypeSet
	switch {
	case n == nil:
	case n.Kind == source.String:
		t = typeBits[n.Value]
		if n.Value == "null" {
			t = TNull
		}
	case n.Kind == source.Array:
		for _, item := range n.Children {
			t |= TypesOf(item)
		}
	}
	return t
}
