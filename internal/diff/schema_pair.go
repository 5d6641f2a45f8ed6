package diff

import "github.com/relay-dev/relay/internal/source"

// pair returns the memoised schema pair, building it on first use. The
// entry is stored before its children are matched, so cycles terminate and
// a 2^40 $ref fan-out costs one pair per distinct (base, revision) couple.
func (m *matcher) pair(b, r *Schema, side Side, wire bool) *SchemaPair {
	k := pairKey{b, r, side, wire}
	if p, ok := m.memo[k]; ok {
		return p
	}
	p := &SchemaPair{Base: b, Rev: r, Side: side, Wire: wire, ID: len(m.all)}
	m.memo[k] = p
	m.all = append(m.all, p)
	if m.wrapUnion(p) || m.wrapsWhole(p) || disjoint(b, r) {
		return p
	}
	// Keywords of a type neither side admits constrain nothing: items
	// written beside type: object (schemastore's renovate schema has 100
	// of them) never apply, so they are not compared.
	admits := b.Admits() | r.Admits()
	if admits&TObject != 0 {
		m.matchProps(p)
		p.PatternProps = m.matchByName(p, p.Base.PatternProps, p.Rev.PatternProps)
	}
	if (b.Items != nil || r.Items != nil) && admits&TArray != 0 {
		p.Items = m.child(p, orEmpty(b.Items, b), orEmpty(r.Items, r))
	}
	if b.Addl != nil && r.Addl != nil {
		p.Addl = m.child(p, b.Addl, r.Addl)
	}
	m.matchApplicators(p)
	if m.switchedUnion(p) {
		return p
	}
	p.OneOf = m.variants(p, variantList{b.OneOf, b.OneOfNode}, variantList{r.OneOf, r.OneOfNode})
	p.AnyOf = m.variants(p, variantList{b.AnyOf, b.AnyOfNode}, variantList{r.AnyOf, r.AnyOfNode})
	return p
}

// switchedUnion pairs a oneOf that became an anyOf (or back) variant by
// variant under the revision's keyword, so the variants added or removed in
// the same edit are still seen; the rules judge the switch itself.
func (m *matcher) switchedUnion(p *SchemaPair) bool {
	b, r := p.Base, p.Rev
	switch {
	case len(b.OneOf) > 0 && len(b.AnyOf) == 0 && len(r.AnyOf) > 0 && len(r.OneOf) == 0:
		p.AnyOf = m.variants(p, variantList{b.OneOf, b.OneOfNode}, variantList{r.AnyOf, r.AnyOfNode})
	case len(b.AnyOf) > 0 && len(b.OneOf) == 0 && len(r.OneOf) > 0 && len(r.AnyOf) == 0:
		p.OneOf = m.variants(p, variantList{b.AnyOf, b.AnyOfNode}, variantList{r.OneOf, r.OneOfNode})
	default:
		return false
	}
	p.Switched = true
	return true
}

// orEmpty stands in an unconstrained schema for a missing one, anchored at
// its owner so findings about it still point at a line.
func orEmpty(s, owner *Schema) *Schema {
	if s == nil {
		return &Schema{Node: owner.Node}
	}
	return s
}

func (m *matcher) child(parent *SchemaPair, b, r *Schema) *SchemaPair {
	c := m.pair(b, r, parent.Side, parent.Wire)
	parent.Children = append(parent.Children, c)
	return c
}

func (m *matcher) matchProps(p *SchemaPair) {
	for _, bp := range p.Base.Props {
		pp := &PropPair{Name: bp.Name, Base: bp, Rev: p.Rev.Prop(bp.Name)}
		if pp.Rev != nil {
			pp.Schema = m.child(p, bp.Schema, pp.Rev.Schema)
		}
		p.Props = append(p.Props, pp)
	}
	for _, rp := range p.Rev.Props {
		if p.Base.Prop(rp.Name) == nil {
			p.Props = append(p.Props, &PropPair{Name: rp.Name, Rev: rp})
		}
	}
}

// wrapUnion handles a plain schema facing a bare oneOf/anyOf (one that adds
// nothing but the variant list): the plain side is read as a one-variant
// union, so `X` → `anyOf: [X, Y]` is a variant added, not X's properties
// removed and its type widened.
func (m *matcher) wrapUnion(p *SchemaPair) bool {
	b, r := p.Base, p.Rev
	switch {
	case !b.HasUnion() && r.HasUnion() && r.bareUnion():
		p.Wrapped = true
		if len(r.OneOf) > 0 {
			p.OneOf = m.variants(p, splitTypes(b), variantList{r.OneOf, r.OneOfNode})
		} else {
			p.AnyOf = m.variants(p, splitTypes(b), variantList{r.AnyOf, r.AnyOfNode})
		}
	case b.HasUnion() && b.bareUnion() && !r.HasUnion():
		p.Wrapped = true
		if len(b.OneOf) > 0 {
			p.OneOf = m.variants(p, variantList{b.OneOf, b.OneOfNode}, splitTypes(r))
		} else {
			p.AnyOf = m.variants(p, variantList{b.AnyOf, b.AnyOfNode}, splitTypes(r))
		}
	}
	return p.Wrapped
}

// wrapsWhole pairs a schema with the union that lists it among its
// variants: secrets: {$ref: env} becoming oneOf [{$ref: env}, {enum:
// [inherit]}] keeps env whole as one variant, so it pairs with that
// variant and only inherit is new. Without this, env's own variants were
// paired against the new union's and reported removed.
func (m *matcher) wrapsWhole(p *SchemaPair) bool {
	b, r := p.Base, p.Rev
	switch {
	case b.RefName != "" && r.bareUnion() && listsRef(r, b.RefName):
		p.Wrapped = true
		if len(r.OneOf) > 0 {
			p.OneOf = m.variants(p, single(b), variantList{r.OneOf, r.OneOfNode})
		} else {
			p.AnyOf = m.variants(p, single(b), variantList{r.AnyOf, r.AnyOfNode})
		}
	case r.RefName != "" && b.bareUnion() && listsRef(b, r.RefName):
		p.Wrapped = true
		if len(b.OneOf) > 0 {
			p.OneOf = m.variants(p, variantList{b.OneOf, b.OneOfNode}, single(r))
		} else {
			p.AnyOf = m.variants(p, variantList{b.AnyOf, b.AnyOfNode}, single(r))
		}
	}
	return p.Wrapped
}

// listsRef reports whether one of u's variants is the component name.
func listsRef(u *Schema, name string) bool {
	for _, v := range append(append([]*Schema{}, u.OneOf...), u.AnyOf...) {
		if v.RefName == name {
			return true
		}
	}
	return false
}

// matchApplicators pairs the schema-valued 2019-09/2020-12 keywords whose
// effect grows with their own strictness, so a change inside them reads
// like any other (a `contains` item type narrowed is a type narrowed).
// Presence changes are the rules' business.
func (m *matcher) matchApplicators(p *SchemaPair) {
	b, r := p.Base, p.Rev
	if len(b.PrefixItems)+len(r.PrefixItems) > 0 {
		n := max(len(b.PrefixItems), len(r.PrefixItems))
		for i := range n {
			p.Prefix = append(p.Prefix, m.child(p, position(b, i), position(r, i)))
		}
	}
	both := func(x, y *Schema) *SchemaPair {
		if x == nil || y == nil {
			return nil
		}
		return m.child(p, x, y)
	}
	p.Contains = both(b.Contains, r.Contains)
	p.PropertyNames = both(b.PropertyNames, r.PropertyNames)
	for _, cp := range PairConds(b.Conds, r.Conds) {
		if cp.Base != nil && cp.Rev != nil {
			cp.Then = both(cp.Base.ThenS, cp.Rev.ThenS)
			cp.Else = both(cp.Base.ElseS, cp.Rev.ElseS)
		}
		p.Conds = append(p.Conds, cp)
	}
	for _, member := range children(b.DepSchemasNode) { // source order: pair IDs stay deterministic
		name, bs := member.Key, b.DepSchemas[member.Key]
		if rs, ok := r.DepSchemas[name]; ok {
			if p.DepSchemas == nil {
				p.DepSchemas = map[string]*SchemaPair{}
			}
			p.DepSchemas[name] = m.child(p, bs, rs)
		}
	}
}

// PairConds pairs the conditionals that constrain something (an `if` with
// a then or an else) by the value of their `if`, in revision order, then
// lists those only the base has. One conditional left over on each side is
// one conditional whose `if` was edited, and is paired.
func PairConds(bc, rc []Cond) []*CondPair {
	bc, rc = effectiveConds(bc), effectiveConds(rc)
	used := make([]bool, len(bc))
	out := make([]*CondPair, 0, max(len(bc), len(rc)))
	var added []*CondPair
	for i := range rc {
		cp := &CondPair{Rev: &rc[i]}
		for j := range bc {
			if !used[j] && source.SameValue(bc[j].If, rc[i].If) {
				used[j], cp.Base = true, &bc[j]
				break
			}
		}
		if cp.Base == nil {
			added = append(added, cp)
		}
		out = append(out, cp)
	}
	var removed []int
	for j, u := range used {
		if !u {
			removed = append(removed, j)
		}
	}
	if len(added) == 1 && len(removed) == 1 {
		added[0].Base = &bc[removed[0]]
		return out
	}
	for _, j := range removed {
		out = append(out, &CondPair{Base: &bc[j]})
	}
	return out
}

// effectiveConds drops an `if` with neither branch: it constrains nothing.
func effectiveConds(cs []Cond) []Cond {
	out := cs[:0:0]
	for _, c := range cs {
		if c.Then != nil || c.Else != nil {
			out = append(out, c)
		}
	}
	return out
}

// position is the schema governing tuple position i: its prefixItems entry,
// else the items schema, else anything.
func position(s *Schema, i int) *Schema {
	if i < len(s.PrefixItems) {
		return s.PrefixItems[i]
	}
	return orEmpty(s.Items, s)
}

// disjoint reports whether two typed schemas share no non-null value class
// (an object became an array): nothing inside them corresponds, so their
// properties and items are not paired and the type change is the finding.
func disjoint(b, r *Schema) bool {
	if !b.Typed() || !r.Typed() || b.Bool != 0 || r.Bool != 0 {
		return false
	}
	bt, rt := b.Admits()&^TNull, r.Admits()&^TNull
	return bt != 0 && rt != 0 && bt&rt == 0
}

// matchByName pairs named members (patternProperties by pattern) in source
// order, base first.
func (m *matcher) matchByName(p *SchemaPair, base, rev []*Prop) []*PropPair {
	var out []*PropPair
	find := func(list []*Prop, name string) *Prop {
		for _, x := range list {
			if x.Name == name {
				return x
			}
		}
		return nil
	}
	for _, b := range base {
		pp := &PropPair{Name: b.Name, Base: b, Rev: find(rev, b.Name)}
		if pp.Rev != nil {
			pp.Schema = m.child(p, b.Schema, pp.Rev.Schema)
		}
		out = append(out, pp)
	}
	for _, r := range rev {
		if find(base, r.Name) == nil {
			out = append(out, &PropPair{Name: r.Name, Rev: r})
		}
	}
	return out
}
