package diff

import "github.com/relay-dev/relay/internal/source"

// variants matches oneOf/anyOf alternatives by what they accept: the
// values they are restricted to, then $ref target, discriminator value,
// title, then structural similarity. Position alone never pairs two
// variants, so reordering a oneOf is not a change, and a const dropped
// mid-list beside one appended is a value removed and a value added, not
// one const changed.
func (m *matcher) variants(parent *SchemaPair, base, rev variantList) []*VariantPair {
	if len(base.schemas) == 0 && len(rev.schemas) == 0 {
		return nil
	}
	usedB := make([]bool, len(base.schemas))
	usedR := make([]bool, len(rev.schemas))
	var out []*VariantPair
	link := func(i, j int) {
		usedB[i], usedR[j] = true, true
		out = append(out, &VariantPair{Base: base.schemas[i], Rev: rev.schemas[j], BaseSite: base.site(i), RevSite: rev.site(j),
			Schema: m.child(parent, base.schemas[i], rev.schemas[j])})
	}
	byRef := func(s *Schema) string { return s.RefName }
	byTitle := func(s *Schema) string { // a title never pairs two different values
		if vals, _ := s.Values(); vals != nil {
			return ""
		}
		return s.Title
	}
	matchBy(base.schemas, rev.schemas, usedB, usedR, valueKey, valueKey, link)
	matchBy(base.schemas, rev.schemas, usedB, usedR, byRef, byRef, link)
	matchBy(base.schemas, rev.schemas, usedB, usedR, mappingKey(parent.Base), mappingKey(parent.Rev), link)
	matchBy(base.schemas, rev.schemas, usedB, usedR, byTitle, byTitle, link)
	if !base.valueUnionAgainst(rev) && !rev.valueUnionAgainst(base) { // consts left over are values added or removed
		matchSimilar(base.schemas, rev.schemas, usedB, usedR, link)
	}
	for i, b := range base.schemas {
		if !usedB[i] {
			out = append(out, &VariantPair{Base: b, BaseSite: base.site(i)})
		}
	}
	for j, r := range rev.schemas {
		if !usedR[j] {
			out = append(out, &VariantPair{Rev: r, RevSite: rev.site(j)})
		}
	}
	return out
}

// variantList is a oneOf/anyOf list with the nodes its items were written
// at; a plain schema read as a one-variant union is its own site.
type variantList struct {
	schemas []*Schema
	list    *source.Node
}

func (v variantList) site(i int) *source.Node {
	if v.list != nil && i < len(v.list.Children) {
		return v.list.Children[i]
	}
	return v.schemas[i].Node
}

// valued reports whether every variant is restricted to listed values.
func (v variantList) valued() bool {
	for _, s := range v.schemas {
		if vals, _ := s.Values(); vals == nil {
			return false
		}
	}
	return len(v.schemas) > 0
}

// valueUnionAgainst: v is a union of values facing a list that restricts
// nothing to values; its consts are compared as values, never paired with
// the other side's free schema by shape.
func (v variantList) valueUnionAgainst(other variantList) bool {
	return len(v.schemas) > 1 && v.valued() && !other.valued()
}

func single(s *Schema) variantList { return variantList{schemas: []*Schema{s}} }

func matchBy(base, rev []*Schema, usedB, usedR []bool, keyB, keyR func(*Schema) string, link func(i, j int)) {
	for i, b := range base {
		k := keyB(b)
		if usedB[i] || k == "" {
			continue
		}
		for j, r := range rev {
			if !usedR[j] && keyR(r) == k {
				link(i, j)
				break
			}
		}
	}
}

// matchSimilar pairs the remaining variants greedily by a similarity score:
// same admitted types, then overlap of property names.
func matchSimilar(base, rev []*Schema, usedB, usedR []bool, link func(i, j int)) {
	for {
		bi, bj, best := -1, -1, 0.5
		for i, b := range base {
			if usedB[i] {
				continue
			}
			for j, r := range rev {
				if usedR[j] {
					continue
				}
				if valuedBoth(b, r) {
					continue // two value variants compare as values, never as one changed into the other
				}
				if s := similarity(b, r); s > best {
					bi, bj, best = i, j, s
				}
			}
		}
		if bi < 0 {
			return
		}
		link(bi, bj)
	}
}

func similarity(a, b *Schema) float64 {
	if a.UnionAdmits()&^TNull != b.UnionAdmits()&^TNull || disjointValues(a, b) {
		return 0
	}
	ka, kb := memberNames(a), memberNames(b)
	if len(ka) == 0 && len(kb) == 0 {
		if a.Format == b.Format && enumText(a) == enumText(b) {
			return 0.9
		}
		if sharedValues(a, b) { // the same enum, edited
			return 0.8
		}
		return 0.6
	}
	shared := 0
	for n := range ka {
		if kb[n] {
			shared++
		}
	}
	union := len(ka) + len(kb) - shared
	return 0.5 + 0.5*float64(shared)/float64(union)
}

// memberNames are the property names a variant declares or requires: an
// anyOf of {required: [name]} branches that later restate the property
// inside each branch still pairs branch by branch.
func memberNames(s *Schema) map[string]bool {
	out := make(map[string]bool, len(s.Props)+len(s.Required))
	for _, p := range s.Props {
		out[p.Name] = true
	}
	for n := range s.Required {
		out[n] = true
	}
	return out
}

func enumText(s *Schema) string {
	if s.Enum == nil {
		return ""
	}
	out := ""
	for _, v := range s.Enum.Children {
		out += v.Value + "\x00"
	}
	return out
}

// mappingKey keys a variant by the discriminator value that selects it in
// the union's discriminator mapping, so a component renamed behind an
// unchanged mapping value ("card": Card → "card": CardPayment) still pairs.
func mappingKey(union *Schema) func(*Schema) string {
	mapping := union.Discriminator.Get("mapping")
	return func(v *Schema) string {
		if v.RefName == "" {
			return ""
		}
		for _, m := range children(mapping) {
			if m.Kind == source.String && refName(m.Value) == v.RefName {
				return m.Key
			}
		}
		return ""
	}
}
