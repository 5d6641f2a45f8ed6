package diff

import (
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// Values returns the values a schema is restricted to, and the node that
// restricts it: its enum, its const, or a oneOf/anyOf whose every variant is
// itself so restricted (`oneOf: [{const: web}, {const: phone}]` is an enum
// written as a union). Nil when the schema admits any value of its type.
func (s *Schema) Values() ([]*source.Node, *source.Node) {
	if s == nil || s.building {
		return nil, nil
	}
	m := s.unionMemo()
	if m.valuesState == 0 {
		m.valuesState = visiting // a union that reaches itself restricts nothing
		m.values, m.valuesAt = s.values()
		m.valuesState = done
	}
	return m.values, m.valuesAt
}

func (s *Schema) values() ([]*source.Node, *source.Node) {
	switch {
	case s.Enum != nil:
		return s.Enum.Children, s.Enum
	case s.Const != nil:
		return []*source.Node{s.Const}, s.Const
	}
	list, at := s.unionList()
	if len(list) == 0 {
		return nil, nil
	}
	var out []*source.Node
	for _, v := range list {
		if v.unionMemo().valuesState == visiting {
			return nil, nil
		}
		vals, _ := v.Values()
		if vals == nil {
			return nil, nil
		}
		out = append(out, vals...)
	}
	return out, at
}

// unionFacts caches what Values and UnionAdmits compute, so nested unions
// cost one walk per schema whatever their fan-out.
type unionFacts struct {
	values                   []*source.Node
	valuesAt                 *source.Node
	valuesState, admitsState uint8
	admits                   TypeSet
}

const (
	visiting = 1 + iota
	done
)

func (s *Schema) unionMemo() *unionFacts {
	if s.facts == nil {
		s.facts = &unionFacts{}
	}
	return s.facts
}

// ValueUnion reports whether the schema's values come from a union of
// value-restricted variants rather than from its own enum or const.
func (s *Schema) ValueUnion() bool {
	if s == nil || s.Enum != nil || s.Const != nil {
		return false
	}
	vals, _ := s.Values()
	return vals != nil
}

// unionList is the schema's variant list: oneOf, else anyOf.
func (s *Schema) unionList() ([]*Schema, *source.Node) {
	if len(s.OneOf) > 0 {
		return s.OneOf, s.OneOfNode
	}
	return s.AnyOf, s.AnyOfNode
}

// UnionAdmits is what the schema admits once its untyped oneOf/anyOf is
// looked through: `oneOf: [string, integer]` admits string|integer just as
// `type: [string, integer]` does, so the two forms compare equal and a
// variant of a new type is the type widening it is.
func (s *Schema) UnionAdmits() TypeSet {
	if s == nil || s.Typed() || s.Bool != 0 || s.building || !s.HasUnion() && s.Enum == nil && s.Const == nil {
		return s.Admits()
	}
	m := s.unionMemo()
	switch m.admitsState {
	case visiting:
		return TAll // a union that reaches itself: assume anything
	case 0:
		m.admitsState = visiting
		m.admits = s.unionAdmits()
		m.admitsState = done
	}
	return m.admits
}

func (s *Schema) unionAdmits() TypeSet {
	if vals, _ := s.Values(); vals != nil {
		return valueTypes(vals)
	}
	if !s.HasUnion() {
		return s.Admits()
	}
	t := TAll
	for _, list := range [][]*Schema{s.OneOf, s.AnyOf} {
		if len(list) == 0 {
			continue
		}
		var u TypeSet
		for _, v := range list {
			if !s.Expansion(v) {
				u |= v.UnionAdmits()
			}
		}
		t &= u
	}
	if it := s.impliedObject(); it != 0 {
		t &= it | TNull
	}
	return t
}

// impliedObject is TObject when the schema declares object keywords beside
// its union (properties shared by every variant).
func (s *Schema) impliedObject() TypeSet {
	if len(s.Props) > 0 || len(s.Required) > 0 || s.AddlNode != nil {
		return TObject
	}
	return 0
}

// ValueTypes is the set of value classes the literal values fall in.
func ValueTypes(vals []*source.Node) TypeSet { return valueTypes(vals) }

// valueTypes is the set of value classes a list of literal values falls in.
func valueTypes(vals []*source.Node) TypeSet {
	var t TypeSet
	for _, v := range vals {
		switch v.Kind {
		case source.String:
			t |= TString
		case source.Number:
			if f, ok := v.Float(); ok && f == float64(int64(f)) {
				t |= TInteger
			} else {
				t |= TInteger | TFraction
			}
		case source.Bool:
			t |= TBoolean
		case source.Null:
			t |= TNull
		case source.Array:
			t |= TArray
		case source.Object:
			t |= TObject
		}
	}
	return t
}

// valueKey keys a variant by the values it accepts, so consts pair with
// their own value whatever their position or title.
func valueKey(s *Schema) string {
	vals, _ := s.Values()
	if vals == nil {
		return ""
	}
	keys := make([]string, len(vals))
	for i, v := range vals {
		keys[i] = v.Kind.String() + ":" + v.Value
	}
	sort.Strings(keys)
	return strings.Join(keys, "\x00")
}

// sharedValues reports whether both variants list values and some are common.
func sharedValues(a, b *Schema) bool {
	av, _ := a.Values()
	bv, _ := b.Values()
	return av != nil && bv != nil && overlap(av, bv)
}

// disjointValues reports whether two single-value variants (consts, or
// one-value enums) differ: each is the value it accepts, so they never
// pair. Enums of several values still pair by structure, so their value
// changes read as values added and removed.
func disjointValues(a, b *Schema) bool {
	av, _ := a.Values()
	bv, _ := b.Values()
	return len(av) == 1 && len(bv) == 1 && !overlap(av, bv)
}

// overlap reports whether the two value lists share a value.
func overlap(av, bv []*source.Node) bool {
	seen := map[string]bool{}
	for _, v := range av {
		seen[v.Kind.String()+":"+v.Value] = true
	}
	for _, v := range bv {
		if seen[v.Kind.String()+":"+v.Value] {
			return true
		}
	}
	return false
}

// splitTypes reads a plain schema that admits several types as a union of
// one variant per type, when it faces a union: `type: [string, integer]`
// and `oneOf: [{type: string}, {type: integer}]` then pair type by type.
func splitTypes(s *Schema) variantList {
	names := s.Types.Names()
	if len(names) < 2 || len(s.Props) > 0 || s.Items != nil {
		return single(s)
	}
	out := variantList{}
	for _, n := range names {
		c := *s
		c.Types, c.propIdx, c.facts = typeBits[n], nil, nil
		c.keepApplicable()
		out.schemas = append(out.schemas, &c)
	}
	return out
}

// keepApplicable drops the keywords that do not apply to the schema's
// single type: maxLength beside `type: [string, integer]` says nothing
// about the integers, so the integer variant split from it must not carry it.
func (s *Schema) keepApplicable() {
	if s.Types&TString == 0 {
		s.MinLength, s.MaxLength, s.Pattern, s.PatternNode = Bound{}, Bound{}, "", nil
	}
	if s.Types&TInteger == 0 {
		s.Min, s.Max, s.MultipleOf = Bound{}, Bound{}, Bound{}
	}
	if s.Types&TArray == 0 {
		s.MinItems, s.MaxItems, s.UniqueItems = Bound{}, Bound{}, Bound{}
	}
	if s.Types&(TString|TInteger) == 0 {
		s.Format, s.FormatNode = "", nil
	}
}

// RefName is the component name a $ref (or a bare discriminator mapping
// value) names.
func RefName(ref string) string { return refName(ref) }

// Expansion reports whether variant v is one the schema's
// x-expansionResources lists: an object form the provider sends only to
// clients that ask to expand the field (Stripe's `expand[]`), so it does
// not widen what a client that never asked receives.
func (s *Schema) Expansion(v *Schema) bool {
	if s == nil || s.Node == nil || v.RefName == "" {
		return false
	}
	exp := s.Node.Get("x-expansionResources")
	if exp == nil {
		return false
	}
	for _, list := range []*source.Node{exp.Get("oneOf"), exp.Get("anyOf")} {
		for _, c := range children(list) {
			if refName(c.Str("$ref")) == v.RefName {
				return true
			}
		}
	}
	return false
}

func valuedBoth(a, b *Schema) bool {
	av, _ := a.Values()
	bv, _ := b.Values()
	return av != nil && bv != nil
}
