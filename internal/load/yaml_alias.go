package load

import (
	"github.com/goccy/go-yaml/ast"

	"github.com/relay-dev/relay/internal/source"
)

// anchor converts an anchored value and records it for later aliases.
func (c *yamlConv) anchor(n *ast.AnchorNode, depth int) (*source.Node, *source.Error) {
	a := &anchor{}
	c.anchors[literalText(n.Name)] = a
	node, e := c.convert(n.Value, depth)
	if e != nil {
		return nil, e
	}
	a.node = node
	return node, nil
}

// resolveAlias finds the anchor an alias names, counting the expansion.
func (c *yamlConv) resolveAlias(n *ast.AliasNode) (*anchor, *source.Error) {
	line, col := tokenPos(n.Start)
	name := literalText(n.Value)
	a := c.anchors[name]
	switch {
	case a == nil:
		return nil, c.errAt(line, col, "alias %s refers to no anchor defined before it", quote("*"+name))
	case a.node == nil:
		return nil, c.errAt(line, col, "alias %s is used inside its own anchor", quote("*"+name))
	}
	c.expansions++
	if c.expansions > c.lim.MaxAliases {
		return nil, c.errAt(line, col, "file has more than %d YAML aliases", c.lim.MaxAliases)
	}
	if a.size == 0 {
		a.size, a.height = measure(a.node)
	}
	return a, nil
}

// alias expands an alias into a copy of its anchor's tree. The copy is
// budgeted before it is made, so an alias bomb fails before allocating.
func (c *yamlConv) alias(n *ast.AliasNode, depth int) (*source.Node, *source.Error) {
	a, e := c.resolveAlias(n)
	if e != nil {
		return nil, e
	}
	line, col := tokenPos(n.Start)
	if e := c.budgetCopy(a, depth, line, col); e != nil {
		return nil, e
	}
	cp := copyTree(c.b, a.node)
	cp.Line, cp.Col = int32(line), int32(col)
	return cp, nil
}

// budgetCopy charges a copy of a placed at depth against every limit.
func (c *yamlConv) budgetCopy(a *anchor, depth, line, col int) *source.Error {
	if depth+a.height-1 > c.lim.MaxDepth {
		return c.errAt(line, col, "nesting is deeper than the limit of %d levels", c.lim.MaxDepth)
	}
	c.copied += a.size
	if c.copied > c.copyLimit {
		return c.errAt(line, col, "YAML aliases expand beyond the limit of %d nodes", c.copyLimit)
	}
	return c.count(a.size, line, col)
}

// measure counts a subtree's nodes and its container nesting.
func measure(n *source.Node) (size, height int) {
	size = 1
	sub := 0
	for _, ch := range n.Children {
		s, h := measure(ch)
		size += s
		sub = max(sub, h)
	}
	if n.Kind == source.Object || n.Kind == source.Array {
		return size, sub + 1
	}
	return size, 0
}

// copyTree deep-copies n; copies keep the anchor's positions, which is where
// their content is written.
func copyTree(b *source.Builder, n *source.Node) *source.Node {
	if n.Kind != source.Object && n.Kind != source.Array {
		return b.Scalar(n.Kind, n.Value, int(n.Line), int(n.Col))
	}
	cp := b.Container(n.Kind, int(n.Line), int(n.Col))
	cp.Children = make([]*source.Node, 0, len(n.Children))
	for _, ch := range n.Children {
		cc := copyTree(b, ch)
		if n.Kind == source.Object {
			b.AddMember(cp, ch.Key, int(ch.KeyLine), int(ch.KeyCol), cc)
		} else {
			b.AddItem(cp, cc)
		}
	}
	return cp
}

// merge applies `<<` keys to the mapping whose members start at base:
// explicit keys win, then earlier merge sources over later ones.
func (c *yamlConv) merge(base int, merges []*ast.MappingValueNode, depth int) *source.Error {
	have := make(map[string]bool, len(c.members)-base)
	for _, m := range c.members[base:] {
		have[m.key] = true
	}
	for _, mv := range merges {
		srcs, e := c.mergeSources(mv, depth)
		if e != nil {
			return e
		}
		for _, src := range srcs {
			for _, ch := range src.Children {
				if have[ch.Key] {
					continue
				}
				have[ch.Key] = true
				c.members = append(c.members, member{
					key: ch.Key, line: int(ch.KeyLine), col: int(ch.KeyCol), node: ch,
				})
			}
		}
	}
	return nil
}

// mergeSources converts a merge key's value into the mappings it merges.
// Aliased mappings are copied under the alias budget; the returned nodes'
// children are then adopted by the merging mapping.
func (c *yamlConv) mergeSources(mv *ast.MappingValueNode, depth int) ([]*source.Node, *source.Error) {
	items := []ast.Node{mv.Value}
	if seq, ok := mv.Value.(*ast.SequenceNode); ok {
		items = seq.Values
	}
	out := make([]*source.Node, 0, len(items))
	for _, it := range items {
		n, e := c.mergeSource(it, depth)
		if e != nil {
			return nil, e
		}
		out = append(out, n)
	}
	return out, nil
}

func (c *yamlConv) mergeSource(it ast.Node, depth int) (*source.Node, *source.Error) {
	var n *source.Node
	var e *source.Error
	if al, ok := it.(*ast.AliasNode); ok {
		var a *anchor
		if a, e = c.resolveAlias(al); e == nil {
			line, col := tokenPos(al.Start)
			if e = c.budgetCopy(a, depth, line, col); e == nil {
				n = copyTree(c.b, a.node)
			}
		}
	} else {
		n, e = c.convert(it, depth)
	}
	if e != nil {
		return nil, e
	}
	if n.Kind != source.Object {
		line, col := 1, 1
		if it != nil {
			line, col = tokenPos(it.GetToken())
		}
		return nil, c.errAt(line, col, "merge key << needs a mapping or a sequence of mappings, got %s", n.Kind)
	}
	return n, nil
}
