package diff

import (
	"slices"

	"github.com/relay-dev/relay/internal/source"
)

// merges memoises the intersection of two built schemas. Schemas are
// shared (one per source node), so a merge never writes into a part: it
// builds a new schema per use site, and the memo makes every use site that
// intersects the same two schemas get the same one, so the pair matcher
// still compares it once.
type merges struct {
	memo map[[2]*Schema]*Schema
	// skipped counts parts left out because they were still being built
	// (a $ref cycle): a merge that skipped one is incomplete and is not
	// kept, or later use sites would get it after the part is complete.
	skipped int
}

func newMerges() *merges { return &merges{memo: map[[2]*Schema]*Schema{}} }

// of returns the intersection of a and b, built on first use. The entry is
// stored before the parts are folded so a self-referencing pair ends.
func (m *merges) of(a, b *Schema) *Schema {
	k := [2]*Schema{a, b}
	if s, ok := m.memo[k]; ok {
		return s
	}
	s := &Schema{Node: a.Node}
	m.memo[k] = s
	before := m.skipped
	m.into(s, a)
	m.into(s, b)
	if m.skipped != before {
		delete(m.memo, k)
	}
	return s
}

// into folds an allOf part into s, which must be a schema of the caller's
// own (never a shared one: that leaks one use site's constraints into
// every other). An instance must satisfy every part, so types intersect,
// bounds take the stricter value, properties and required names unite.
// Comparing merged schemas is what makes splitting a schema into allOf
// parts (or merging them back) a non-change.
func (m *merges) into(s, part *Schema) {
	if part == nil || part == s {
		return
	}
	if part.building {
		m.skipped++
		return // a part that is still being built is an allOf cycle: no content to add
	}
	if part.Bool < 0 {
		s.Bool = -1
	}
	mergeTypes(s, part)
	m.mergeProps(s, part)
	m.mergeArrays(s, part)
	mergeBounds(s, part)
	mergeMeta(s, part)
}

func mergeTypes(s, part *Schema) {
	if part.Typed() {
		admitted := s.Admits() & part.Admits()
		s.Types, s.Nullable = admitted&^TNull, admitted&TNull != 0
		if s.TypeNode == nil {
			s.TypeNode = part.TypeNode
		}
		if s.Nullable && s.NullNode == nil {
			s.NullNode = part.NullNode
		}
	}
	if s.Format == "" {
		s.Format, s.FormatNode = part.Format, part.FormatNode
	}
	if s.Enum == nil {
		s.Enum = part.Enum
	}
	if s.Const == nil {
		s.Const = part.Const
	}
}

func (m *merges) mergeProps(s, part *Schema) {
	for _, p := range part.Props {
		if own := s.Prop(p.Name); own != nil {
			own.Schema = m.of(own.Schema, p.Schema)
			continue
		}
		cp := *p // s's own copy: the merge above rewrites Schema
		s.Props = append(s.Props, &cp)
		s.propIdx = nil
	}
	m.mergePatternProps(s, part)
	if len(part.Required) > 0 {
		if s.Required == nil {
			s.Required = map[string]*source.Node{}
			s.ReqNode = part.ReqNode
		}
		for k, v := range part.Required {
			if _, ok := s.Required[k]; !ok {
				s.Required[k] = v
			}
		}
	}
	if part.AddlFalse {
		s.AddlFalse, s.AddlNode = true, part.AddlNode
	} else if s.Addl == nil && part.Addl != nil {
		s.Addl, s.AddlNode = part.Addl, part.AddlNode
	}
	if s.Discriminator == nil {
		s.Discriminator = part.Discriminator
	}
}

func (m *merges) mergeArrays(s, part *Schema) {
	if s.Items == nil {
		s.Items, s.ItemsNode = part.Items, part.ItemsNode
	} else if part.Items != nil && part.Items != s.Items {
		s.Items = m.of(s.Items, part.Items)
	}
	if s.OneOf == nil {
		s.OneOf, s.OneOfNode = part.OneOf, part.OneOfNode
	}
	if s.AnyOf == nil {
		s.AnyOf, s.AnyOfNode = part.AnyOf, part.AnyOfNode
	}
	mergeApplicators(s, part)
}

// mergeApplicators keeps the first part's 2019-09/2020-12 keywords. Two
// parts that both constrain `contains` or `then` would need an allOf of
// their own; relay compares the first, which is exact for the common case
// of one part carrying them. Conditionals are all kept in Conds, so a
// second if/then added beside the first is still seen.
func mergeApplicators(s, part *Schema) {
	if len(part.Conds) > 0 {
		s.Conds = append(s.Conds[:len(s.Conds):len(s.Conds)], part.Conds...)
	}
	if s.PrefixItems == nil {
		s.PrefixItems, s.PrefixNode = part.PrefixItems, part.PrefixNode
	}
	if s.Contains == nil {
		s.Contains, s.ContainsNode = part.Contains, part.ContainsNode
	}
	if s.PropertyNames == nil {
		s.PropertyNames, s.PropNamesNode = part.PropertyNames, part.PropNamesNode
	}
	if s.Then == nil && s.Else == nil {
		s.Then, s.ThenNode, s.Else, s.ElseNode = part.Then, part.ThenNode, part.Else, part.ElseNode
	}
	if s.DepSchemas == nil {
		s.DepSchemas, s.DepSchemasNode = part.DepSchemas, part.DepSchemasNode
	}
	for k, v := range part.ByValue {
		if s.ByValue == nil {
			s.ByValue = map[string]*source.Node{}
		}
		if _, ok := s.ByValue[k]; !ok {
			s.ByValue[k] = v
		}
	}
	if s.ContentMediaType == nil {
		s.ContentMediaType = part.ContentMediaType
	}
	if s.ContentEncoding == nil {
		s.ContentEncoding = part.ContentEncoding
	}
}

func mergeBounds(s, part *Schema) {
	lower := func(a *Bound, b Bound) {
		if b.Set && (!a.Set || b.V > a.V || b.V == a.V && b.Excl) {
			*a = b
		}
	}
	upper := func(a *Bound, b Bound) {
		if b.Set && (!a.Set || b.V < a.V || b.V == a.V && b.Excl) {
			*a = b
		}
	}
	lower(&s.Min, part.Min)
	upper(&s.Max, part.Max)
	lower(&s.MinLength, part.MinLength)
	upper(&s.MaxLength, part.MaxLength)
	lower(&s.MinItems, part.MinItems)
	upper(&s.MaxItems, part.MaxItems)
	lower(&s.MinProps, part.MinProps)
	upper(&s.MaxProps, part.MaxProps)
	lower(&s.UniqueItems, part.UniqueItems)
	if !s.MultipleOf.Set {
		s.MultipleOf = part.MultipleOf
	}
	if s.Pattern == "" {
		s.Pattern, s.PatternNode = part.Pattern, part.PatternNode
	}
}

func mergeMeta(s, part *Schema) {
	if part.ReadOnly && !s.ReadOnly {
		s.ReadOnly, s.ReadOnlyN = true, part.ReadOnlyN
	}
	if part.WriteOnly && !s.WriteOnly {
		s.WriteOnly, s.WriteOnlyN = true, part.WriteOnlyN
	}
	if part.Deprecated && !s.Deprecated {
		s.Deprecated, s.DeprecatedN = true, part.DeprecatedN
	}
	if s.Default == nil {
		s.Default = part.Default
	}
	if s.Title == "" {
		s.Title = part.Title
	}
}

// mergePatternProps unites the patterns; one pattern in two parts must
// satisfy both value schemas.
func (m *merges) mergePatternProps(s, part *Schema) {
	for _, p := range part.PatternProps {
		if i := slices.IndexFunc(s.PatternProps, func(o *Prop) bool { return o.Name == p.Name }); i >= 0 {
			cp := *s.PatternProps[i]
			cp.Schema = m.of(cp.Schema, p.Schema)
			s.PatternProps[i] = &cp
			continue
		}
		if s.PatternPropsNode == nil {
			s.PatternPropsNode = part.PatternPropsNode
		}
		s.PatternProps = append(s.PatternProps, p)
	}
}
