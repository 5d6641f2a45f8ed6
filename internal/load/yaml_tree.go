package load

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"

	"github.com/relay-dev/relay/internal/source"
)

// yamlConv turns goccy's AST into relay's tree, expanding aliases and merge
// keys by copying under a budget, since goccy expands nothing itself.
type yamlConv struct {
	b          *source.Builder
	lim        Limits
	display    string
	nodes      int
	expansions int // aliases and merges expanded
	copied     int // nodes created by copying anchors
	copyLimit  int
	anchors    map[string]*anchor
	members    []member          // children of every open mapping, innermost last
	fixes      map[[2]int]string // values of block scalars patched for goccy, by line:col
}

// anchor is a converted anchored node; node is nil while the anchor's own
// value is being converted, which is how an alias inside it is caught.
type anchor struct {
	node   *source.Node
	size   int // nodes in the subtree, 0 until measured
	height int // container nesting inside the subtree
}

func newYAMLConv(display string, size int, lim Limits) *yamlConv {
	return &yamlConv{
		b:         source.NewBuilder(display, size),
		lim:       lim,
		display:   display,
		copyLimit: min(lim.MaxNodes, 100*lim.MaxAliases),
		anchors:   map[string]*anchor{},
		fixes:     map[[2]int]string{},
	}
}

func (c *yamlConv) errAt(line, col int, format string, args ...any) *source.Error {
	return errAt(c.display, line, col, format, args...)
}

// count enforces the node budget for n new nodes at line:col.
func (c *yamlConv) count(n, line, col int) *source.Error {
	c.nodes += n
	if c.nodes > c.lim.MaxNodes {
		return c.errAt(line, col, "document has more than %d nodes", c.lim.MaxNodes)
	}
	return nil
}

// convert builds the node for n, a value at nesting depth (root = 1).
func (c *yamlConv) convert(n ast.Node, depth int) (*source.Node, *source.Error) {
	switch n := n.(type) {
	case *ast.MappingNode:
		line, col := tokenPos(n.Start)
		if !n.IsFlowStyle && len(n.Values) > 0 {
			line, col = keyPos(n.Values[0].Key)
		}
		return c.mapping(n.Values, line, col, depth)
	case *ast.MappingValueNode:
		line, col := keyPos(n.Key)
		return c.mapping([]*ast.MappingValueNode{n}, line, col, depth)
	case *ast.SequenceNode:
		return c.sequence(n, depth)
	case *ast.AnchorNode:
		return c.anchor(n, depth)
	case *ast.AliasNode:
		return c.alias(n, depth)
	case *ast.TagNode:
		return c.tagged(n, depth)
	case nil:
		return nil, c.errAt(1, 1, "invalid YAML: a value is missing")
	}
	return c.scalar(n)
}

// container creates an object or array node after the depth and node checks.
func (c *yamlConv) container(k source.Kind, line, col, depth int) (*source.Node, *source.Error) {
	if depth > c.lim.MaxDepth {
		return nil, c.errAt(line, col, "nesting is deeper than the limit of %d levels", c.lim.MaxDepth)
	}
	if e := c.count(1, line, col); e != nil {
		return nil, e
	}
	return c.b.Container(k, line, col), nil
}

func (c *yamlConv) sequence(s *ast.SequenceNode, depth int) (*source.Node, *source.Error) {
	line, col := tokenPos(s.Start)
	n, e := c.container(source.Array, line, col, depth)
	if e != nil {
		return nil, e
	}
	n.Children = make([]*source.Node, 0, len(s.Values))
	for _, v := range s.Values {
		child, e := c.convert(v, depth+1)
		if e != nil {
			return nil, e
		}
		c.b.AddItem(n, child)
	}
	return n, nil
}

// mapping converts key/value pairs; members wait on c.members so duplicate
// and merge handling see them all before the node's children are fixed.
func (c *yamlConv) mapping(pairs []*ast.MappingValueNode, line, col, depth int) (*source.Node, *source.Error) {
	n, e := c.container(source.Object, line, col, depth)
	if e != nil {
		return nil, e
	}
	base := len(c.members)
	defer func() { clear(c.members[base:]); c.members = c.members[:base] }()
	var merges []*ast.MappingValueNode
	for _, mv := range pairs {
		if isMergeKey(mv.Key) {
			merges = append(merges, mv)
			continue
		}
		if e := c.pair(mv, depth); e != nil {
			return nil, e
		}
	}
	ms := c.members[base:]
	if i, j := duplicateMember(ms); i >= 0 {
		return nil, c.errAt(ms[j].line, ms[j].col,
			"duplicate key %s (first at line %d)", quote(ms[j].key), ms[i].line)
	}
	if len(merges) > 0 {
		if e := c.merge(base, merges, depth); e != nil {
			return nil, e
		}
		ms = c.members[base:]
	}
	n.Children = make([]*source.Node, 0, len(ms))
	for _, m := range ms {
		c.b.AddMember(n, m.key, m.line, m.col, m.node)
	}
	return n, nil
}

// pair converts one key: value and queues it.
func (c *yamlConv) pair(mv *ast.MappingValueNode, depth int) *source.Error {
	key, kl, kc, e := c.keyText(mv.Key, depth)
	if e != nil {
		return e
	}
	if len(key) > c.lim.MaxKeyBytes {
		return c.errAt(kl, kc, "key %s is longer than the limit of %d bytes", quote(key), c.lim.MaxKeyBytes)
	}
	value := mv.Value
	if value == nil {
		return c.errAt(kl, kc, "invalid YAML: key %s has no value", quote(key))
	}
	child, e := c.convert(value, depth+1)
	if e != nil {
		return e
	}
	c.members = append(c.members, member{key: key, line: kl, col: kc, node: child})
	return nil
}

// keyText returns a mapping key's text and position. YAML keys may be any
// scalar: `200:` is an integer key, which relay reads as the text "200".
func (c *yamlConv) keyText(k ast.Node, depth int) (string, int, int, *source.Error) {
	switch kn := k.(type) {
	case *ast.MappingKeyNode:
		return c.keyText(kn.Value, depth)
	case *ast.TagNode:
		line, col := tokenPos(kn.Start)
		if isPlainScalar(kn.Value) {
			return literalText(kn.Value), line, col, nil
		}
	case *ast.AnchorNode, *ast.AliasNode:
		n, e := c.convert(kn, depth+1)
		if e != nil {
			return "", 0, 0, e
		}
		if n.Kind != source.Object && n.Kind != source.Array {
			line, col := tokenPos(kn.GetToken())
			return n.Value, line, col, nil
		}
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
		*ast.NullNode, *ast.InfinityNode, *ast.NanNode:
		line, col := tokenPos(kn.GetToken())
		return literalText(kn), line, col, nil
	}
	line, col := keyPos(k)
	return "", 0, 0, c.errAt(line, col, "mapping key must be a scalar, not %s", nodeName(k))
}

// keyPos locates a mapping key without converting it.
func keyPos(k ast.Node) (int, int) {
	if mk, ok := k.(*ast.MappingKeyNode); ok && mk.Value != nil {
		k = mk.Value
	}
	if k == nil {
		return 1, 1
	}
	return tokenPos(k.GetToken())
}

func isMergeKey(k ast.Node) bool {
	_, ok := k.(*ast.MergeKeyNode)
	return ok
}

// nodeName describes a YAML node in an error message.
func nodeName(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a sequence"
	case *ast.AliasNode:
		return "an alias of a collection"
	case *ast.AnchorNode:
		return "an anchored collection"
	case nil:
		return "an empty node"
	}
	return fmt.Sprintf("a %s node", n.Type())
}
