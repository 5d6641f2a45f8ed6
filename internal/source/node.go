package source

import (
	"strconv"
	"strings"
)

// Kind is the JSON data-model kind of a node.
type Kind uint8

// The node kinds. YAML scalars are mapped onto these by their resolved tag.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// File is one parsed file of a contract.
type File struct {
	// Path is the display path: as the user gave it, or relative to the
	// contract's root directory for files reached through $ref.
	Path string
	Root *Node
	// Size is the byte length of the source, used for reports and budgets.
	Size int
	// Nodes counts the nodes a Builder made for the file, alias copies
	// included: what it holds in memory, for budgets.
	Nodes int
}

// Node is one value in a parsed document. Object members keep their order.
// A node knows its parent and the key or index it sits under, so its JSON
// pointer is computed on demand rather than stored (most nodes never need it).
type Node struct {
	Kind Kind
	// Value is the scalar text: the string itself, the number literal as
	// written, "true"/"false", or "" for null. Empty for containers.
	Value string
	// Key is the member name under which this node sits in its parent object.
	Key string
	// Index is the position of this node among its parent's children.
	Index int32
	// Line and Col locate the value; KeyLine and KeyCol locate the member key
	// (zero for array items and the root).
	Line, Col       int32
	KeyLine, KeyCol int32
	Children        []*Node
	Parent          *Node
	File            *File
	index           map[string]int32
}

// indexThreshold is the member count above which an object gets a hash index;
// below it a linear scan is faster than hashing.
const indexThreshold = 12

// Get returns the member named key of an object node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	if len(n.Children) > indexThreshold {
		if n.index == nil {
			n.buildIndex()
		}
		if i, ok := n.index[key]; ok {
			return n.Children[i]
		}
		return nil
	}
	for _, c := range n.Children {
		if c.Key == key {
			return c
		}
	}
	return nil
}

func (n *Node) buildIndex() {
	n.index = make(map[string]int32, len(n.Children))
	for i, c := range n.Children {
		n.index[c.Key] = int32(i)
	}
}

// Has reports whether an object node has a member named key.
func (n *Node) Has(key string) bool { return n.Get(key) != nil }

// Str returns the string value of member key, or "" when absent or not a string.
func (n *Node) Str(key string) string {
	if c := n.Get(key); c != nil && c.Kind == String {
		return c.Value
	}
	return ""
}

// Bool returns the boolean value of member key, and whether it was a boolean.
func (n *Node) Bool(key string) (value, ok bool) {
	if c := n.Get(key); c != nil && c.Kind == Bool {
		return c.Value == "true", true
	}
	return false, false
}

// Float returns the numeric value of a number node.
func (n *Node) Float() (float64, bool) {
	if n == nil || n.Kind != Number {
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	return f, err == nil
}

// Num returns the numeric value of member key, and whether it was a number.
func (n *Node) Num(key string) (float64, bool) { return n.Get(key).Float() }

// Pos is where a finding about this node should point: the member key when
// the node sits in an object (the line a reader looks for), else the value.
func (n *Node) Pos() Pos {
	if n == nil {
		return Pos{}
	}
	p := Pos{Line: int(n.Line), Col: int(n.Col)}
	if n.KeyLine > 0 {
		p.Line, p.Col = int(n.KeyLine), int(n.KeyCol)
	}
	if n.File != nil {
		p.File = n.File.Path
	}
	return p
}

// ValuePos locates the value itself rather than its key.
func (n *Node) ValuePos() Pos {
	p := n.Pos()
	p.Line, p.Col = int(n.Line), int(n.Col)
	return p
}

// Pointer is the RFC 6901 JSON pointer of the node inside its file.
func (n *Node) Pointer() string {
	if n == nil || n.Parent == nil {
		return ""
	}
	var parts []string
	for c := n; c.Parent != nil; c = c.Parent {
		if c.Parent.Kind == Array {
			parts = append(parts, strconv.Itoa(int(c.Index)))
		} else {
			parts = append(parts, EscapeToken(c.Key))
		}
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(parts[i])
	}
	return b.String()
}

// Lookup resolves an RFC 6901 pointer (without the leading '#') from n.
func (n *Node) Lookup(pointer string) (*Node, bool) {
	if pointer == "" {
		return n, n != nil
	}
	if pointer[0] != '/' {
		return nil, false
	}
	cur := n
	for _, raw := range strings.Split(pointer[1:], "/") {
		tok := UnescapeToken(raw)
		switch {
		case cur == nil:
			return nil, false
		case cur.Kind == Object:
			cur = cur.Get(tok)
		case cur.Kind == Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(cur.Children) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			cur = cur.Children[i]
		default:
			return nil, false
		}
	}
	return cur, cur != nil
}

// The token replacers are built once: a Replacer compiles its tables on
// first use, and building one per call cost 4.6 MB on the Stripe pair,
// where every path key holds a '/'.
var (
	tokenEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	tokenUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// EscapeToken escapes one reference token per RFC 6901.
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return tokenEscaper.Replace(s)
}

// UnescapeToken reverses EscapeToken.
func UnescapeToken(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return tokenUnescaper.Replace(s)
}

// Walk calls fn for n and every descendant, depth first, in document order.
// fn returning false skips the node's children.
func (n *Node) Walk(fn func(*Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, c := range n.Children {
		c.Walk(fn)
	}
}

// Data converts n into Go's generic JSON model (map[string]any, []any,
// string, bool, nil), with numbers as number makes them: a validator that
// must not lose precision wants json.Number, kin-openapi wants float64.
func (n *Node) Data(number func(*Node) any) any {
	switch n.Kind {
	case Object:
		m := make(map[string]any, len(n.Children))
		for _, c := range n.Children {
			m[c.Key] = c.Data(number)
		}
		return m
	case Array:
		a := make([]any, len(n.Children))
		for i, c := range n.Children {
			a[i] = c.Data(number)
		}
		return a
	case String:
		return n.Value
	case Number:
		return number(n)
	case Bool:
		return n.Value == "true"
	}
	return nil
}

// SameValue compares two nodes as JSON values, ignoring positions and
// object key order. Numbers compare by value (1.0 == 1).
func SameValue(a, b *Node) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || len(a.Children) != len(b.Children) {
		return false
	}
	switch a.Kind {
	case Number:
		x, _ := a.Float()
		y, _ := b.Float()
		return x == y
	case Array:
		for i := range a.Children {
			if !SameValue(a.Children[i], b.Children[i]) {
				return false
			}
		}
		return true
	case Object:
		for _, c := range a.Children {
			if !SameValue(c, b.Get(c.Key)) {
				return false
			}
		}
		return true
	}
	return a.Value == b.Value
}
