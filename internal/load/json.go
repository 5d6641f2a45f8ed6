package load

import (
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// jsonParser is a recursive-descent JSON parser that builds relay's tree
// directly. encoding/json cannot report key positions or duplicate keys, and
// its token API allocates per token; this parser shares one string copy of
// the input with every unescaped string in the tree and tracks lines and
// columns incrementally, so minified input stays linear.
type jsonParser struct {
	src     string
	raw     []byte // src's bytes, for error positions
	pos     int
	line    int
	colPos  int // byte offset whose column is colAt; tokens only move forward
	colAt   int
	b       *source.Builder
	lim     Limits
	nodes   int
	members []member // children of every open container, innermost last
	err     *source.Error
	display string
	scratch []byte // reused unescape buffer
}

// member is one parsed child waiting for its container to close, so the
// container's Children slice is allocated once at its final size.
type member struct {
	key       string
	line, col int
	node      *source.Node
}

// parseJSON parses guarded bytes into a file displayed as display.
func parseJSON(display string, b []byte, lim Limits) (*source.File, *source.Error) {
	b = stripBOM(b)
	p := &jsonParser{src: string(b), raw: b, line: 1, colAt: 1, lim: lim, display: display}
	p.b = source.NewBuilder(display, len(b))
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, wholeFile(display, "file is empty")
	}
	root := p.value(1)
	if p.err != nil {
		return nil, p.err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		p.failf("unexpected data after the JSON value: %s", p.excerpt())
		return nil, p.err
	}
	return p.b.SetRoot(root), nil
}

// column returns the 1-based rune column of byte offset off, which must not
// precede the last offset asked for on the same line.
func (p *jsonParser) column(off int) int {
	c, s := p.colAt, p.src
	for i := p.colPos; i < off; i++ {
		if s[i]&0xC0 != 0x80 {
			c++
		}
	}
	p.colPos, p.colAt = off, c
	return c
}

func (p *jsonParser) skipSpace() {
	s := p.src
	for i := p.pos; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\r':
		case '\n':
			p.line++
			p.colPos, p.colAt = i+1, 1
		default:
			p.pos = i
			return
		}
	}
	p.pos = len(s)
}

// failf records the first error, at the current offset, in p.err.
func (p *jsonParser) failf(format string, args ...any) {
	if p.err == nil {
		p.err = errAtOffset(p.display, p.raw, p.pos, format, args...)
	}
}

// excerpt names what sits at the current offset for an error message.
func (p *jsonParser) excerpt() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	end := min(p.pos+20, len(p.src))
	for end < len(p.src) && p.src[end]&0xC0 == 0x80 {
		end++
	}
	r := []rune(p.src[p.pos:end])
	if r[0] < 0x20 {
		return "control character " + strconv.QuoteRuneToASCII(r[0])
	}
	return quote(string(r[:1]))
}

// unexpected reports what was found where something else was expected.
func (p *jsonParser) unexpected(want string) *source.Node {
	p.failf("expected %s, found %s", want, p.excerpt())
	return nil
}

// count enforces the node budget.
func (p *jsonParser) count() bool {
	p.nodes++
	if p.nodes > p.lim.MaxNodes {
		p.failf("document has more than %d nodes", p.lim.MaxNodes)
		return false
	}
	return true
}

// value parses one value at the current (non-space) offset.
func (p *jsonParser) value(depth int) *source.Node {
	if p.pos >= len(p.src) {
		return p.unexpected("a value")
	}
	if !p.count() {
		return nil
	}
	line, col := p.line, p.column(p.pos)
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		if depth > p.lim.MaxDepth {
			p.failf("nesting is deeper than the limit of %d levels", p.lim.MaxDepth)
			return nil
		}
		if c == '{' {
			return p.object(depth, line, col)
		}
		return p.array(depth, line, col)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return nil
		}
		return p.b.Scalar(source.String, s, line, col)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(line, col)
	default:
		return p.literal(line, col)
	}
}

// literal parses true, false or null.
func (p *jsonParser) literal(line, col int) *source.Node {
	rest := p.src[p.pos:]
	for _, lit := range [...]struct {
		text string
		kind source.Kind
	}{{"true", source.Bool}, {"false", source.Bool}, {"null", source.Null}} {
		if len(rest) >= len(lit.text) && rest[:len(lit.text)] == lit.text {
			p.pos += len(lit.text)
			v := lit.text
			if lit.kind == source.Null {
				v = ""
			}
			return p.b.Scalar(lit.kind, v, line, col)
		}
	}
	return p.unexpected("a value")
}

// number scans a JSON number; its node keeps the literal as written.
func (p *jsonParser) number(line, col int) *source.Node {
	end, want := numberEnd(p.src, p.pos)
	if want != "" {
		p.pos = end
		return p.unexpected(want)
	}
	lit := p.src[p.pos:end]
	// Only an exponent or a very long literal can leave float64's range.
	if len(lit) > 300 || strings.ContainsAny(lit, "eE") {
		if _, err := strconv.ParseFloat(lit, 64); err != nil {
			p.failf("number %s is out of range", source.Truncate(lit, echoMax))
			return nil
		}
	}
	p.pos = end
	return p.b.Scalar(source.Number, lit, line, col)
}

// numberEnd matches the JSON number grammar from s[i]. It returns the end
// of the number, or the offset of the first bad byte and what was wanted
// there.
func numberEnd(s string, i int) (int, string) {
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return i, "a digit"
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return i, "a digit after the decimal point"
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return i, "a digit in the exponent"
		}
	}
	return i, ""
}

// array parses [ value, … ] with p.pos on '['.
func (p *jsonParser) array(depth, line, col int) *source.Node {
	n := p.b.Container(source.Array, line, col)
	p.pos++
	base := len(p.members)
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return n
	}
	for {
		child := p.value(depth + 1)
		if child == nil {
			return nil
		}
		p.members = append(p.members, member{node: child})
		p.skipSpace()
		if p.pos >= len(p.src) {
			return p.unexpected("',' or ']' after array element")
		}
		switch p.src[p.pos] {
		case ',':
			p.pos++
			p.skipSpace()
		case ']':
			p.pos++
			p.closeArray(n, base)
			return n
		default:
			return p.unexpected("',' or ']' after array element")
		}
	}
}

func (p *jsonParser) closeArray(n *source.Node, base int) {
	items := p.members[base:]
	n.Children = make([]*source.Node, 0, len(items))
	for _, m := range items {
		p.b.AddItem(n, m.node)
	}
	clear(items)
	p.members = p.members[:base]
}
