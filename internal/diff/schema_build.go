package diff

import (
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// schemaCache builds each schema once per source node, so a component used
// by a hundred operations is one *Schema and its pairs are compared once.
type schemaCache struct {
	doc     *load.Document
	dialect Dialect
	byNode  map[*source.Node]*Schema
	empty   *Schema
	merged  *merges
	bytes   map[*Schema]*Schema // asBytes memo
}

func newSchemaCache(doc *load.Document, d Dialect) *schemaCache {
	return &schemaCache{doc: doc, dialect: d, byNode: map[*source.Node]*Schema{}, merged: newMerges()}
}

// get returns the schema for n; nil n yields a shared unconstrained schema.
func (c *schemaCache) get(n *source.Node) *Schema {
	if n == nil {
		if c.empty == nil {
			c.empty = &Schema{}
		}
		return c.empty
	}
	if s, ok := c.byNode[n]; ok {
		return s
	}
	if t := c.doc.Target(n); t != nil && !c.refHasSiblings(n) {
		s := c.get(t)
		c.byNode[n] = s
		if s.RefName == "" || s.siblingRef {
			// A definition that is itself a $ref with siblings was named
			// after its own $ref target; the $ref to it names it better.
			s.RefName, s.siblingRef = refName(n.Str("$ref")), false
		}
		return s
	}
	s := &Schema{Node: n, building: true}
	c.byNode[n] = s
	c.fill(s, n)
	s.building = false
	return s
}

// refHasSiblings: in 3.1 (JSON Schema 2020-12) keywords beside $ref apply
// too; in 2.0 and 3.0 they are ignored. Pure annotations never matter here.
func (c *schemaCache) refHasSiblings(n *source.Node) bool {
	if c.dialect != DialectOAS31 {
		return false
	}
	for _, k := range n.Children {
		switch k.Key {
		case "$ref", "description", "summary", "title", "$comment", "example", "examples":
		default:
			return true
		}
	}
	return false
}

func refName(ref string) string {
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		return source.UnescapeToken(ref[i+1:])
	}
	return ref
}

func (c *schemaCache) fill(s *Schema, n *source.Node) {
	if n.Kind == source.Bool {
		s.Bool = -1
		if n.Value == "true" {
			s.Bool = 1
		}
		return
	}
	if n.Kind != source.Object {
		return
	}
	c.fillTypes(s, n)
	c.fillObject(s, n)
	c.fillArray(s, n)
	c.foldNullUnion(s)
	c.fillBounds(s, n)
	c.fillMeta(s, n)
	c.fillApplicators(s, n)
	if t := c.doc.Target(n); t != nil { // 3.1 $ref with siblings: allOf[target, siblings]
		c.merged.into(s, c.get(t))
		s.RefName, s.siblingRef = refName(n.Str("$ref")), true
	}
	explicitNull, nullNode := s.Nullable, s.NullNode
	for _, part := range children(n.Get("allOf")) {
		c.merged.into(s, c.get(part))
	}
	if explicitNull && !s.Nullable && c.dialect != DialectOAS31 {
		// `allOf: [$ref: X], nullable: true` is the 3.0 idiom for a nullable
		// reference (and what 3.1 upgrades turn into anyOf [X, null]); read
		// it as meant rather than as an intersection that drops null.
		s.Nullable, s.NullNode = true, nullNode
	}
}

func (c *schemaCache) fillTypes(s *Schema, n *source.Node) {
	if t := n.Get("type"); t != nil {
		s.TypeNode = t
		switch t.Kind {
		case source.String:
			s.Types = typeBits[t.Value]
		case source.Array:
			for _, item := range t.Children {
				if item.Value == "null" {
					s.Nullable, s.NullNode = true, item
					continue
				}
				s.Types |= typeBits[item.Value]
			}
		}
	}
	nullKey := "nullable"
	if c.dialect == DialectSwagger {
		nullKey = "x-nullable"
	}
	if v, ok := n.Bool(nullKey); ok && v && c.dialect != DialectOAS31 {
		s.Nullable, s.NullNode = true, n.Get(nullKey)
	}
	if f := n.Get("format"); f != nil && f.Kind == source.String {
		s.Format, s.FormatNode = f.Value, f
	}
	s.Enum = n.Get("enum")
	s.Const = n.Get("const")
	if s.Enum != nil && s.Enum.Kind != source.Array {
		s.Enum = nil
	}
	if x := n.Get("x-extensible-enum"); s.Enum == nil && x != nil && x.Kind == source.Array {
		s.Enum, s.Extensible = x, true
	}
}

func (c *schemaCache) fillObject(s *Schema, n *source.Node) {
	for _, p := range children(n.Get("properties")) {
		s.Props = append(s.Props, &Prop{Name: p.Key, Node: p, Schema: c.get(p)})
	}
	if req := n.Get("required"); req != nil && req.Kind == source.Array {
		s.ReqNode = req
		s.Required = make(map[string]*source.Node, len(req.Children))
		for _, r := range req.Children {
			s.Required[r.Value] = r
		}
	}
	if pp := n.Get("patternProperties"); pp != nil && pp.Kind == source.Object {
		s.PatternPropsNode = pp
		for _, p := range pp.Children {
			s.PatternProps = append(s.PatternProps, &Prop{Name: p.Key, Node: p, Schema: c.get(p)})
		}
	}
	ap := n.Get("additionalProperties")
	if ap == nil {
		// unevaluatedProperties closes or constrains the object the same
		// way for a diff: what it admits beyond the declared properties.
		ap = n.Get("unevaluatedProperties")
	}
	if ap != nil {
		s.AddlNode = ap
		switch ap.Kind {
		case source.Bool:
			s.AddlFalse = ap.Value == "false"
		case source.Object:
			s.Addl = c.get(ap)
		}
	}
	s.Discriminator = n.Get("discriminator")
}

func (c *schemaCache) fillArray(s *Schema, n *source.Node) {
	if it := n.Get("items"); it != nil && it.Kind != source.Array {
		s.Items, s.ItemsNode = c.get(it), it
	}
	if one := n.Get("oneOf"); one != nil {
		s.OneOfNode = one
		for _, v := range one.Children {
			s.OneOf = append(s.OneOf, c.get(v))
		}
	}
	if anyOf := n.Get("anyOf"); anyOf != nil {
		s.AnyOfNode = anyOf
		for _, v := range anyOf.Children {
			s.AnyOf = append(s.AnyOf, c.get(v))
		}
	}
}

func (c *schemaCache) fillBounds(s *Schema, n *source.Node) {
	s.Min = bound(n, "minimum")
	s.Max = bound(n, "maximum")
	for _, e := range []struct {
		key string
		b   *Bound
	}{{"exclusiveMinimum", &s.Min}, {"exclusiveMaximum", &s.Max}} {
		x := n.Get(e.key)
		switch {
		case x == nil:
		case x.Kind == source.Bool: // 2.0 / 3.0: a flag on minimum/maximum
			if x.Value == "true" && e.b.Set {
				e.b.Excl = true
			}
		case x.Kind == source.Number: // 3.1: a bound of its own
			v, _ := x.Float()
			if !e.b.Set || stricter(e.key == "exclusiveMinimum", v, e.b.V) {
				*e.b = Bound{Set: true, V: v, Excl: true, Node: x}
			}
		}
	}
	s.MultipleOf = bound(n, "multipleOf")
	s.MinLength, s.MaxLength = bound(n, "minLength"), bound(n, "maxLength")
	s.MinItems, s.MaxItems = bound(n, "minItems"), bound(n, "maxItems")
	s.MinProps, s.MaxProps = bound(n, "minProperties"), bound(n, "maxProperties")
	if u := n.Get("uniqueItems"); u != nil && u.Value == "true" {
		s.UniqueItems = Bound{Set: true, V: 1, Node: u}
	}
	if p := n.Get("pattern"); p != nil && p.Kind == source.String {
		s.Pattern, s.PatternNode = p.Value, p
	}
}

// stricter reports whether exclusive bound v is at least as strict as the
// inclusive bound cur.
func stricter(lower bool, v, cur float64) bool {
	if lower {
		return v >= cur
	}
	return v <= cur
}

func bound(n *source.Node, key string) Bound {
	x := n.Get(key)
	if v, ok := x.Float(); ok {
		return Bound{Set: true, V: v, Node: x}
	}
	return Bound{}
}

func (c *schemaCache) fillMeta(s *Schema, n *source.Node) {
	if v, ok := n.Bool("readOnly"); ok && v {
		s.ReadOnly, s.ReadOnlyN = true, n.Get("readOnly")
	}
	if v, ok := n.Bool("writeOnly"); ok && v {
		s.WriteOnly, s.WriteOnlyN = true, n.Get("writeOnly")
	}
	if v, ok := n.Bool("deprecated"); ok && v {
		s.Deprecated, s.DeprecatedN = true, n.Get("deprecated")
	}
	s.Default = n.Get("default")
	s.Description = n.Get("description")
	s.TitleNode = n.Get("title")
	s.Title = n.Str("title")
}

// byValueKeywords are compared as values: their effect is not monotonic in
// their own strictness (a stricter `if` or `not` admits more), or they are
// plain data.
var byValueKeywords = []string{"if", "not", "dependentRequired", "minContains", "maxContains"}

// fillApplicators reads the JSON Schema 2019-09/2020-12 keywords.
func (c *schemaCache) fillApplicators(s *Schema, n *source.Node) {
	if p := n.Get("prefixItems"); p != nil && p.Kind == source.Array {
		s.PrefixNode = p
		for _, item := range p.Children {
			s.PrefixItems = append(s.PrefixItems, c.get(item))
		}
	}
	if it := n.Get("items"); it != nil && it.Kind == source.Array { // draft-04..07 tuple form
		s.PrefixNode = it
		for _, item := range it.Children {
			s.PrefixItems = append(s.PrefixItems, c.get(item))
		}
	}
	s.Contains, s.ContainsNode = c.sub(n, "contains")
	s.PropertyNames, s.PropNamesNode = c.sub(n, "propertyNames")
	s.Then, s.ThenNode = c.sub(n, "then")
	s.Else, s.ElseNode = c.sub(n, "else")
	if i := n.Get("if"); i != nil {
		s.Conds = []Cond{{If: i, Then: s.ThenNode, Else: s.ElseNode, ThenS: s.Then, ElseS: s.Else}}
	}
	if ds := n.Get("dependentSchemas"); ds != nil && ds.Kind == source.Object {
		s.DepSchemasNode = ds
		s.DepSchemas = make(map[string]*Schema, len(ds.Children))
		for _, m := range ds.Children {
			s.DepSchemas[m.Key] = c.get(m)
		}
	}
	for _, k := range byValueKeywords {
		if v := n.Get(k); v != nil {
			if s.ByValue == nil {
				s.ByValue = map[string]*source.Node{}
			}
			s.ByValue[k] = v
		}
	}
	s.ContentMediaType, s.ContentEncoding = n.Get("contentMediaType"), n.Get("contentEncoding")
}

func (c *schemaCache) sub(n *source.Node, key string) (*Schema, *source.Node) {
	if v := n.Get(key); v != nil && (v.Kind == source.Object || v.Kind == source.Bool) {
		return c.get(v), v
	}
	return nil, nil
}

// foldNullUnion reads `anyOf: [X, {type: 'null'}]` (or oneOf) as X plus
// null: it is how 3.1 spells a nullable X, and what 3.0 → 3.1 upgrades
// write for a nullable $ref, so the upgrade is not a variant change. An X
// still being built (a schema that refers to itself through the union)
// stays a union: there is no content to fold yet.
func (c *schemaCache) foldNullUnion(s *Schema) {
	for _, list := range []*[]*Schema{&s.OneOf, &s.AnyOf} {
		vs := *list
		if len(vs) != 2 {
			continue
		}
		for i, null := range vs {
			x := vs[1-i]
			if !nullOnly(null) || nullOnly(x) || x.building {
				continue
			}
			s.OneOf, s.OneOfNode, s.AnyOf, s.AnyOfNode = nil, nil, nil, nil
			c.merged.into(s, x)
			if s.RefName == "" {
				s.RefName = x.RefName
			}
			if !s.Typed() { // X types by its keywords alone: make that explicit so null can join it
				s.Types, s.TypeNode = s.Admits()&^TNull, null.TypeNode
			}
			s.Nullable, s.NullNode = true, null.TypeNode
			return
		}
	}
}

// nullOnly reports whether a schema admits exactly null.
func nullOnly(s *Schema) bool {
	return s.TypeNode != nil && s.Types&^TNull == 0 && (s.Types&TNull != 0 || s.Nullable) && len(s.Props) == 0 && s.Enum == nil
}
