package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var variantsOverlap = defSided(sidedSpec{
	id: "property-one-of-ambiguous", req: finding.Breaking, resp: finding.Warning,
	summary: "values that were valid now match several oneOf variants",
	message: "values of %[1]s that were valid now match both oneOf variants %[2]s and %[3]s, and oneOf rejects a value that matches more than one",
	why:     "the provider validating a request rejects every old payload that matches two branches; in a response only clients that validate oneOf strictly (some generated deserialisers raise on several matches) fail, and the provider's own payloads are what it chooses, so it is a warning there",
	doc: `oneOf accepts a value only when exactly one variant matches. Splitting a
schema into variants that old payloads satisfy together (both required
properties still sent, or two open objects with the same required set)
rejects those payloads. A discriminator names the variant, so a union with
one is not judged here.

  base:     {type: object, required: [email, phone]}
  revision: {type: object, oneOf: [{required: [email]}, {required: [phone]}]}`,
})

// checkExclusive reports a oneOf whose variants old values now satisfy
// together. Only pairs of variants the base did not already hold in a oneOf
// count: an ambiguity that was there before is not this change.
func checkExclusive(e *emitter, sp *diff.SchemaPair) {
	r := sp.Rev
	if len(r.OneOf) < 2 || r.Discriminator != nil || alreadyAmbiguous(sp.Base) {
		return
	}
	pairs := sp.OneOf
	for i, a := range pairs {
		for _, b := range pairs[i+1:] {
			if a.Rev == nil || b.Rev == nil || wasExclusive(sp, a, b) {
				continue
			}
			if oldValuesMatchBoth(sp, a.Rev, b.Rev) {
				e.onSchema(sp, variantsOverlap.on(sp.Side), added(r.OneOfNode), what(r), variantName(a.Rev), variantName(b.Rev))
				return // one finding per union
			}
		}
	}
}

// alreadyAmbiguous reports a base oneOf whose own variants overlapped: the
// values matching two of them were rejected before the change too.
func alreadyAmbiguous(base *diff.Schema) bool {
	for i, a := range base.OneOf {
		for _, b := range base.OneOf[i+1:] {
			if overlap(a, b) {
				return true
			}
		}
	}
	return false
}

// overlap reports whether some value may match both variants.
func overlap(a, b *diff.Schema) bool {
	shared := a.UnionAdmits() & b.UnionAdmits() &^ diff.TNull
	switch {
	case shared&diff.TObject != 0:
		return !excludes(a, b) && !excludes(b, a)
	case shared != 0 && shared&diff.TArray == 0:
		return freeScalar(a) && freeScalar(b)
	}
	return false
}

// wasExclusive: both variants already sat in a base oneOf.
func wasExclusive(sp *diff.SchemaPair, a, b *diff.VariantPair) bool {
	return len(sp.Base.OneOf) > 0 && !sp.Wrapped && a.Base != nil && b.Base != nil
}

// oldValuesMatchBoth reports whether values the base accepted satisfy both
// variants: two object variants that exclude nothing the other requires,
// whose required properties the base already made clients send (or that
// were variants of a base anyOf); or two unconstrained scalar variants
// sharing a type (integer inside number).
func oldValuesMatchBoth(sp *diff.SchemaPair, a, b *diff.Schema) bool {
	base := sp.Base
	shared := a.UnionAdmits() & b.UnionAdmits() & base.UnionAdmits() &^ diff.TNull
	switch {
	case shared == 0:
		return false
	case shared&diff.TObject != 0:
		return !excludes(a, b) && !excludes(b, a) && (len(base.AnyOf) > 0 || guaranteed(base, a) && guaranteed(base, b))
	case shared&(diff.TArray|diff.TObject) == 0:
		return freeScalar(a) && freeScalar(b)
	}
	return false
}

// excludes reports whether a value matching a can never match b: a
// property a requires that b declares with disjoint values or types, or
// that b's closed object does not declare.
func excludes(a, b *diff.Schema) bool {
	if vals, _ := a.Values(); vals != nil {
		return true // value variants are judged as enums
	}
	for name := range a.Required {
		bp := b.Prop(name)
		if bp == nil {
			if b.AddlFalse {
				return true
			}
			continue
		}
		ap := a.Prop(name)
		if ap == nil {
			continue
		}
		if ap.Schema.UnionAdmits()&bp.Schema.UnionAdmits() == 0 {
			return true
		}
		av, _ := ap.Schema.Values()
		bv, _ := bp.Schema.Values()
		if av != nil && bv != nil && !sharesValue(av, bv) {
			return true
		}
	}
	return false
}

// guaranteed reports whether every property v requires was already
// required of base values.
func guaranteed(base, v *diff.Schema) bool {
	for name := range v.Required {
		if !base.IsRequired(name) {
			return false
		}
	}
	return true
}

// freeScalar: a scalar variant with nothing narrowing it inside its type.
func freeScalar(s *diff.Schema) bool {
	vals, _ := s.Values()
	return vals == nil && !s.HasUnion() && s.UnionAdmits()&(diff.TObject|diff.TArray) == 0 && s.Pattern == "" && s.Format == "" &&
		!s.Min.Set && !s.Max.Set && !s.MultipleOf.Set && !s.MinLength.Set && !s.MaxLength.Set
}

func sharesValue(a, b []*source.Node) bool {
	seen := map[string]bool{}
	for _, v := range a {
		seen[enumKey(v)] = true
	}
	for _, v := range b {
		if seen[enumKey(v)] {
			return true
		}
	}
	return false
}

// coveredBy reports whether a free scalar variant (a type and nothing
// else) is still accepted by some variant of the other side, looking into
// nested unions: anyOf [toggle, boolean] → oneOf [toggle'] where toggle'
// itself became oneOf [enum, boolean] drops no value.
func coveredBy(v *diff.Schema, others []*diff.VariantPair, other func(*diff.VariantPair) *diff.Schema) bool {
	if !freeScalar(v) || !v.Typed() {
		return false
	}
	for _, vp := range others {
		if w := other(vp); w != nil && acceptsFree(w, v.UnionAdmits()&^diff.TNull, 3) {
			return true
		}
	}
	return false
}

func acceptsFree(w *diff.Schema, t diff.TypeSet, depth int) bool {
	if w == nil || depth == 0 {
		return false
	}
	if freeScalar(w) && w.UnionAdmits()&t == t {
		return true
	}
	for _, list := range [][]*diff.Schema{w.OneOf, w.AnyOf} {
		for _, u := range list {
			if acceptsFree(u, t, depth-1) {
				return true
			}
		}
	}
	return false
}
