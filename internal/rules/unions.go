package rules

import (
	"sort"
	"strconv"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	variantAdded = defSided(sidedSpec{
		id: "property-variant-added", req: finding.NonBreaking, resp: finding.Warning,
		summary: "oneOf/anyOf variant added", message: "%[2]s variant %[3]s was added to %[1]s",
		why: "a request that accepts another shape is additive; a response that may carry a shape clients do not know is the union analogue of a new enum value",
		doc: `A variant of a type the union did not admit before is a type widening
(property-type-widened), as the same change written as a type list would be;
a variant of values (a const) is an enum value added.

  base:     {oneOf: [$ref: Cat, $ref: Dog]}
  revision: {oneOf: [$ref: Cat, $ref: Dog, $ref: Bird]}`,
	})
	variantRemoved = defSided(sidedSpec{
		id: "property-variant-removed", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "oneOf/anyOf variant removed", message: "%[2]s variant %[3]s was removed from %[1]s",
		why: "clients that send the removed shape are rejected; clients reading a response just never see it",
		doc: `A variant whose type the union no longer admits is a type narrowing
(property-type-narrowed); a const variant dropped is an enum value removed.

  base:     {oneOf: [$ref: Cat, $ref: Dog]}
  revision: {oneOf: [$ref: Cat]}`,
	})
	discriminatorChanged = defSided(sidedSpec{
		id: "property-discriminator-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "discriminator property changed", message: "discriminator of %s changed from %s to %s",
		doc: `Both sides pick the variant by this property name.

  base:     {discriminator: {propertyName: kind}}
  revision: {discriminator: {propertyName: type}}`,
	})
	discriminatorAdded = defSided(sidedSpec{
		id: "property-discriminator-added", req: finding.Warning, resp: finding.Warning,
		summary: "discriminator added to a union", message: "%s now selects its variant by the discriminator %s",
		doc: `Values stay valid, but generated code now dispatches on the tag: payloads
whose tag does not name their variant are routed differently. Review it.

  base:     {oneOf: [$ref: Cat, $ref: Dog]}
  revision: {oneOf: [$ref: Cat, $ref: Dog], discriminator: {propertyName: kind}}`,
	})
	discriminatorRemoved = defSided(sidedSpec{
		id: "property-discriminator-removed", req: finding.Warning, resp: finding.Warning,
		summary: "discriminator removed from a union", message: "%s no longer selects its variant by the discriminator %s",
		doc: `Values stay valid, but code generated from the old version dispatched on the
tag and now has to match variants by shape. Review it.

  base:     {oneOf: [$ref: Cat, $ref: Dog], discriminator: {propertyName: kind}}
  revision: {oneOf: [$ref: Cat, $ref: Dog]}`,
	})
	mappingRemoved = defSided(sidedSpec{
		id: "property-discriminator-mapping-removed", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "discriminator value no longer maps to a variant", message: "discriminator value %[2]s of %[1]s no longer selects %[3]s",
		why: "clients that send the old tag value are rejected; clients reading a response just never see it",
		doc: `The tag value is what clients write: a mapping key renamed (or a variant whose
implicit tag, its component name, changed) rejects the old value.

  base:     {discriminator: {propertyName: kind, mapping: {card: '#/components/schemas/Card'}}}
  revision: {discriminator: {propertyName: kind, mapping: {credit_card: '#/components/schemas/Card'}}}`,
	})
	mappingAdded = defSided(sidedSpec{
		id: "property-discriminator-mapping-added", req: finding.NonBreaking, resp: finding.Warning,
		summary: "discriminator value added for an existing variant", message: "discriminator value %[2]s of %[1]s now selects %[3]s",
		why: "a request that accepts another tag value is additive; a response carrying a tag value clients do not know can break their dispatch, as a new enum value can",
		doc: `  base:     {discriminator: {propertyName: kind, mapping: {card: '#/components/schemas/Card'}}}
  revision: {discriminator: {propertyName: kind, mapping: {card: ..., credit_card: '#/components/schemas/Card'}}}`,
	})
)

func checkVariants(e *emitter, sp *diff.SchemaPair) {
	for _, set := range []struct {
		kw           string
		pairs        []*diff.VariantPair
		bNode, rNode *source.Node
	}{{"oneOf", sp.OneOf, sp.Base.OneOfNode, sp.Rev.OneOfNode}, {"anyOf", sp.AnyOf, sp.Base.AnyOfNode, sp.Rev.AnyOfNode}} {
		if (set.bNode == nil || set.rNode == nil) && !sp.Wrapped && !sp.Switched {
			continue // a variant list appearing beside other keywords is a restructuring the type rules judge
		}
		if sp.Base.ValueUnion() || sp.Rev.ValueUnion() {
			continue // consts are values: checkValueUnion compared them
		}
		parent := set.rNode
		if parent == nil {
			parent = sp.Rev.Node
		}
		bt, rt := sp.Base.UnionAdmits()|diff.TNull, sp.Rev.UnionAdmits()|diff.TNull
		for _, vp := range set.pairs {
			switch {
			case vp.Base == nil && !sp.Rev.Expansion(vp.Rev) && vp.Rev.UnionAdmits()&^bt != 0,
				vp.Rev == nil && !sp.Base.Expansion(vp.Base) && vp.Base.UnionAdmits()&^rt != 0:
				// a variant of a new type is the type widening checkTypes
				// reported (one dropped, the narrowing)
			case vp.Base == nil && valued(vp.Rev), vp.Rev == nil && valued(vp.Base):
				// values: diffLooseValues compares them below
			case vp.Base == nil && coveredBy(vp.Rev, set.pairs, func(p *diff.VariantPair) *diff.Schema { return p.Base }),
				vp.Rev == nil && coveredBy(vp.Base, set.pairs, func(p *diff.VariantPair) *diff.Schema { return p.Rev }):
				// a free scalar variant the other side still accepts inside another variant
			case vp.Base == nil:
				e.onSchema(sp, variantAdded.on(sp.Side), added(vp.RevSite), what(sp.Rev), set.kw, variantName(vp.Rev))
			case vp.Rev == nil:
				e.onSchema(sp, variantRemoved.on(sp.Side), removed(vp.BaseSite, parent), what(sp.Rev), set.kw, variantName(vp.Base))
			}
		}
		diffLooseValues(e, sp, set.pairs, parent)
	}
}

func variantName(s *diff.Schema) string {
	switch {
	case s.RefName != "":
		return quote(s.RefName)
	case s.Title != "":
		return quote(s.Title)
	}
	if s.Const != nil {
		return "const " + valueText(s.Const)
	}
	n := "schema"
	if s.Types != 0 {
		n = typeText(s.Types)
	}
	if s.Node != nil && s.Node.Parent != nil && s.Node.Parent.Kind == source.Array {
		n = "#" + strconv.Itoa(int(s.Node.Index)+1) + " (" + n + ")" // inline and untitled: its position and type
	}
	return n
}

func checkDiscriminator(e *emitter, sp *diff.SchemaPair) {
	bd, rd := sp.Base.Discriminator, sp.Rev.Discriminator
	switch {
	case bd == nil && rd == nil:
		return
	case bd == nil:
		if sp.Base.HasUnion() || sp.Wrapped {
			e.onSchema(sp, discriminatorAdded.on(sp.Side), at(nil, rd, sp.Base, sp.Rev), what(sp.Rev), quote(rd.Str("propertyName")))
		}
		return
	case rd == nil:
		if sp.Rev.HasUnion() || sp.Wrapped {
			e.onSchema(sp, discriminatorRemoved.on(sp.Side), at(bd, nil, sp.Base, sp.Rev), what(sp.Rev), quote(bd.Str("propertyName")))
		}
		return
	}
	checkMapping(e, sp)
	if bp, rp := bd.Str("propertyName"), rd.Str("propertyName"); bp != rp {
		e.onSchema(sp, discriminatorChanged.on(sp.Side), changed(bd.Get("propertyName"), rd.Get("propertyName")), what(sp.Rev), quote(bp), quote(rp))
	}
}

// tag is one discriminator value: the variant it selects and where it is
// written (its mapping entry, else the variant, whose component name is
// the implicit value).
type tag struct {
	ref  string
	node *source.Node
}

// tags is the discriminator's effective mapping: its explicit entries, plus
// the component name of every variant no entry selects.
func tags(s *diff.Schema, variants func(*diff.VariantPair) *diff.Schema, pairs []*diff.VariantPair) map[string]tag {
	out := map[string]tag{}
	targeted := map[string]bool{}
	for _, m := range children(s.Discriminator.Get("mapping")) {
		if m.Kind == source.String {
			ref := diff.RefName(m.Value)
			out[m.Key], targeted[ref] = tag{ref, m}, true
		}
	}
	for _, vp := range pairs {
		if v := variants(vp); v != nil && v.RefName != "" && !targeted[v.RefName] {
			if _, taken := out[v.RefName]; !taken {
				out[v.RefName] = tag{v.RefName, v.Node}
			}
		}
	}
	return out
}

// checkMapping compares the tag values that select each variant present on
// both sides; a variant added or removed is its own finding.
func checkMapping(e *emitter, sp *diff.SchemaPair) {
	pairs := append(append([]*diff.VariantPair{}, sp.OneOf...), sp.AnyOf...)
	kept := map[string]string{} // base ref → revision ref, for variants on both sides
	for _, vp := range pairs {
		if vp.Base != nil && vp.Rev != nil && vp.Base.RefName != "" && vp.Rev.RefName != "" {
			kept[vp.Base.RefName] = vp.Rev.RefName
		}
	}
	keptRev := map[string]bool{}
	for _, r := range kept {
		keptRev[r] = true
	}
	bt := tags(sp.Base, func(vp *diff.VariantPair) *diff.Schema { return vp.Base }, pairs)
	rt := tags(sp.Rev, func(vp *diff.VariantPair) *diff.Schema { return vp.Rev }, pairs)
	rd := sp.Rev.Discriminator
	for _, key := range sortedKeys(bt) {
		b := bt[key]
		r, ok := rt[key]
		if _, both := kept[b.ref]; both && (!ok || r.ref != kept[b.ref]) {
			e.onSchema(sp, mappingRemoved.on(sp.Side), removed(b.node, rd), what(sp.Rev), quote(key), quote(b.ref))
		}
	}
	for _, key := range sortedKeys(rt) {
		r := rt[key]
		b, ok := bt[key]
		if keptRev[r.ref] && (!ok || kept[b.ref] != r.ref) {
			e.onSchema(sp, mappingAdded.on(sp.Side), added(r.node), what(sp.Rev), quote(key), quote(r.ref))
		}
	}
}

func sortedKeys(m map[string]tag) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func valued(s *diff.Schema) bool {
	vals, _ := s.Values()
	return vals != nil
}

// diffLooseValues compares the values of the const and enum variants left
// unpaired in a union that also has other variants (oneOf [boolean,
// {const: a}, {const: b}]): a value is added when no base variant listed
// or accepted it, removed when no revision variant lists or accepts it (a
// free variant of its type, or one whose pattern it matches). Splitting an enum variant into consts is then nothing.
func diffLooseValues(e *emitter, sp *diff.SchemaPair, pairs []*diff.VariantPair, parent *source.Node) {
	bAll, rAll := map[string]bool{}, map[string]bool{}
	var gone, fresh []*source.Node
	for _, vp := range pairs {
		if vp.Base != nil {
			vals, _ := vp.Base.Values()
			for _, v := range vals {
				bAll[enumKey(v)] = true
			}
		}
		if vp.Rev != nil {
			vals, _ := vp.Rev.Values()
			for _, v := range vals {
				rAll[enumKey(v)] = true
			}
		}
	}
	for _, vp := range pairs {
		switch {
		case vp.Base == nil && valued(vp.Rev):
			vals, _ := vp.Rev.Values()
			for _, v := range vals {
				// a value some base variant already took is nothing new
				if !bAll[enumKey(v)] && !anyAccepts(v, pairs, func(vp *diff.VariantPair) *diff.Schema { return vp.Base }) {
					fresh = append(fresh, v)
				}
			}
		case vp.Rev == nil && valued(vp.Base):
			vals, _ := vp.Base.Values()
			for _, v := range vals {
				if !rAll[enumKey(v)] && !freeFor(v, pairs) {
					gone = append(gone, v)
				}
			}
		}
	}
	eachGrouped(gone, func(v *source.Node, text string) {
		e.onSchema(sp, enumValueRemoved.on(sp.Side), removed(v, parent), what(sp.Rev), text)
	})
	eachGrouped(fresh, func(v *source.Node, text string) {
		e.onSchema(sp, enumValueAdded.on(sp.Side), added(v), what(sp.Rev), text)
	})
}

// freeFor reports whether a revision variant accepts v: one that takes
// every value of its type, or one whose pattern and lengths v satisfies.
func freeFor(v *source.Node, pairs []*diff.VariantPair) bool {
	return anyAccepts(v, pairs, func(vp *diff.VariantPair) *diff.Schema { return vp.Rev })
}

// anyAccepts reports whether the variant side picks accepts v.
func anyAccepts(v *source.Node, pairs []*diff.VariantPair, side func(*diff.VariantPair) *diff.Schema) bool {
	t := diff.ValueTypes([]*source.Node{v})
	for _, vp := range pairs {
		if w := side(vp); w != nil && (acceptsFree(w, t, 3) || accepts(w, v)) {
			return true
		}
	}
	return false
}
