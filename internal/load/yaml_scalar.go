package load

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"github.com/relay-dev/relay/internal/source"
)

// scalar converts a plain, quoted or block scalar by goccy's resolved type.
func (c *yamlConv) scalar(n ast.Node) (*source.Node, *source.Error) {
	line, col := tokenPos(n.GetToken())
	if e := c.count(1, line, col); e != nil {
		return nil, e
	}
	kind, value, e := c.scalarValue(n, line, col)
	if e != nil {
		return nil, e
	}
	return c.b.Scalar(kind, value, line, col), nil
}

func (c *yamlConv) scalarValue(n ast.Node, line, col int) (source.Kind, string, *source.Error) {
	switch n := n.(type) {
	case *ast.StringNode:
		if n.Token.Type == token.StringType && looksNumeric(n.Value) {
			// goccy leaves numbers it cannot hold in int64/float64 as strings.
			return c.number(n.Value, line, col)
		}
		return source.String, n.Value, nil
	case *ast.LiteralNode:
		if v, ok := c.fixes[[2]int{line, col}]; ok {
			delete(c.fixes, [2]int{line, col})
			return source.String, v, nil
		}
		return source.String, n.Value.Value, nil
	case *ast.IntegerNode:
		return source.Number, intText(n), nil
	case *ast.FloatNode:
		return c.number(n.Token.Value, line, col)
	case *ast.BoolNode:
		return source.Bool, strconv.FormatBool(n.Value), nil
	case *ast.NullNode:
		return source.Null, "", nil
	case *ast.MergeKeyNode:
		return source.String, n.Token.Value, nil
	case *ast.InfinityNode, *ast.NanNode:
		return 0, "", c.errAt(line, col, "number %s cannot be represented in JSON", n.GetToken().Value)
	}
	return 0, "", c.errAt(line, col, "invalid YAML: unexpected %s", nodeName(n))
}

// intText is an integer's literal when it is already JSON, else its decimal
// value: 0x1F, 0o17 and 1_000 become 31, 15 and 1000.
func intText(n *ast.IntegerNode) string {
	if isJSONNumber(n.Token.Value) {
		return n.Token.Value
	}
	switch v := n.Value.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	}
	return n.Token.Value
}

// number validates a YAML float or big-number literal and renders it as a
// JSON number, keeping the literal when it already is one (so `1.10` stays
// "1.10", which matters for version fields).
func (c *yamlConv) number(lit string, line, col int) (source.Kind, string, *source.Error) {
	clean := strings.ReplaceAll(lit, "_", "")
	f, err := strconv.ParseFloat(clean, 64)
	if errors.Is(err, strconv.ErrRange) || math.IsInf(f, 0) {
		return 0, "", c.errAt(line, col, "number %s is out of range", source.Truncate(lit, echoMax))
	}
	if err != nil {
		return source.String, lit, nil
	}
	if isJSONNumber(clean) {
		return source.Number, clean, nil
	}
	return source.Number, strconv.FormatFloat(f, 'g', -1, 64), nil
}

// looksNumeric matches YAML 1.2 core-schema decimal numbers (with the _
// separators goccy accepts).
func looksNumeric(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '_') {
			i++
		}
		return i - j
	}
	n := digits()
	if i < len(s) && s[i] == '.' {
		i++
		n += digits()
	}
	if n == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// isJSONNumber reports whether s matches the JSON number grammar.
func isJSONNumber(s string) bool {
	end, want := numberEnd(s, 0)
	return want == "" && end == len(s)
}

// literalText is a scalar's text as written (unquoted), which is how
// relay names keys such as `200:` and values tagged !!str.
func literalText(n ast.Node) string {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value
	case *ast.LiteralNode:
		return n.Value.Value
	case *ast.NullNode:
		if n.Token == nil || n.Token.Type == token.ImplicitNullType {
			return ""
		}
	case nil:
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}

// tagged honours the core-schema tags on scalars (!!str 200 is the string
// "200"); other tags, and tags on collections, leave the value as parsed.
func (c *yamlConv) tagged(n *ast.TagNode, depth int) (*source.Node, *source.Error) {
	if !isPlainScalar(n.Value) {
		return c.convert(n.Value, depth)
	}
	line, col := tokenPos(n.Start)
	if e := c.count(1, line, col); e != nil {
		return nil, e
	}
	text := literalText(n.Value)
	var kind source.Kind
	var value string
	var e *source.Error
	switch coreTag(n.Start.Value) {
	case "str", "binary", "timestamp":
		kind, value = source.String, text
	case "int", "float":
		kind, value, e = c.number(text, line, col)
		if e == nil && kind != source.Number {
			e = c.errAt(line, col, "value %s tagged %s is not a number", quote(text), n.Start.Value)
		}
	case "bool":
		kind, value = source.Bool, strings.ToLower(text)
		if value != "true" && value != "false" {
			e = c.errAt(line, col, "value %s tagged %s is not a boolean", quote(text), n.Start.Value)
		}
	case "null":
		kind = source.Null
	default:
		kind, value, e = c.scalarValue(n.Value, line, col)
	}
	if e != nil {
		return nil, e
	}
	return c.b.Scalar(kind, value, line, col), nil
}

// isPlainScalar reports whether n is a scalar value itself rather than an
// anchor, alias or tag wrapped around one.
func isPlainScalar(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode,
		*ast.NullNode, *ast.InfinityNode, *ast.NanNode, *ast.MergeKeyNode:
		return true
	}
	return false
}

// coreTag returns the YAML core-schema tag name of !!x or
// tag:yaml.org,2002:x, or "" for any other tag.
func coreTag(tag string) string {
	for _, prefix := range []string{"!!", "!<tag:yaml.org,2002:", "tag:yaml.org,2002:"} {
		if strings.HasPrefix(tag, prefix) {
			return strings.TrimSuffix(strings.TrimPrefix(tag, prefix), ">")
		}
	}
	return ""
}
