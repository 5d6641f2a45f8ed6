package load

import (
	"bytes"
	"unicode/utf8"

	"github.com/relay-dev/relay/internal/source"
)

// yamlScan is one cheap pass over YAML bytes before goccy/go-yaml sees them.
// goccy has no depth or alias budget and needs gigabytes for nesting a few
// thousand levels deep, so this pass estimates nesting from indentation,
// sequence dashes and flow brackets, and counts anchors and aliases. It is an
// estimate that errs low (a sequence at its parent's indentation is not
// counted); the tree conversion enforces the exact limits afterwards.
type yamlScan struct {
	lim     Limits
	display string
	stack   []int // columns of open block levels
	flow    int   // open flow collections
	anchors int
	aliases int
	// block is the column of the node that owns an open block scalar, or
	// -1: more indented lines belong to the scalar and are skipped.
	block int
	// plain is the column of the node that owns a plain scalar left open
	// at the end of a line, or -1: more indented lines continue it.
	plain  int
	quote  byte // quote character of a scalar still open at end of line
	lineNo int
	lineAt int // byte offset of line
	line   []byte
	// parent is the column of the node that owns what follows on the line
	// (the entry's dash, or the key once its ':' is seen): block scalar
	// content and plain scalar continuations are indented beyond it.
	parent   int
	tokStart int         // column where the current entry's content began
	i        int         // scan offset in line
	atStart  bool        // a node may begin at i
	keep     *keepBlock  // open keep-chomped block scalar with no content yet
	fixes    []keepBlock // content-less keep-chomped block scalars to patch
}

// keepBlock is a block scalar with keep chomping (|+ or >+). goccy v1.19.2
// rejects one that has no content lines before the next node ("could not
// find multi-line content"), although it is valid YAML that real specs
// use. The scan records each such header so parseYAML can turn its '+'
// into '-' (same length, so positions hold) and restore the value: one
// line break per empty line, as keep chomping keeps them.
type keepBlock struct {
	plus      int // byte offset of the '+'
	line, col int // position of the '|' or '>', where goccy puts the scalar
	empty     int // empty lines seen so far
}

// prescanYAML rejects control characters and bounds depth, anchors and
// aliases. b has passed checkCommon. It returns the keep-chomped block
// scalars goccy needs patched.
func prescanYAML(display string, b []byte, lim Limits) ([]keepBlock, *source.Error) {
	if e := checkControl(display, b); e != nil {
		return nil, e
	}
	s := &yamlScan{lim: lim, display: display, block: -1, plain: -1}
	for off := 0; off < len(b); s.lineNo++ {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += off
		}
		s.line, s.lineAt = b[off:end], off
		if e := s.scanLine(); e != nil {
			return nil, e
		}
		off = end + 1
	}
	return s.fixes, nil
}

// checkControl rejects C0 control characters other than tab, CR and LF,
// which YAML forbids and which would otherwise surface as a confusing
// parser error far from the byte.
func checkControl(display string, b []byte) *source.Error {
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return errAtOffset(display, b, i, "file contains control character %U", c)
		}
	}
	return nil
}

func (s *yamlScan) scanLine() *source.Error {
	ln := s.line
	indent := 0
	for indent < len(ln) && ln[indent] == ' ' {
		indent++
	}
	rest := bytes.TrimRight(ln[indent:], " \t\r")
	start := indent
	switch {
	case s.quote != 0:
		j := closeQuote(ln, 0, s.quote)
		if j < 0 {
			return nil
		}
		s.quote, start = 0, j
		return s.scanTokens(start, indent, false)
	case s.block >= 0 && s.inBlock(indent, len(rest) == 0):
		return nil
	case len(rest) == 0 || rest[0] == '#':
		return nil
	case s.plain >= 0 && indent > s.plain:
		return nil
	}
	s.plain = -1
	if s.flow == 0 {
		if e := s.pushIndent(indent); e != nil {
			return e
		}
	}
	return s.scanTokens(start, indent, true)
}

// inBlock reports whether a line belongs to the open block scalar, and
// records a content-less keep-chomped scalar when the line ends it.
func (s *yamlScan) inBlock(indent int, blank bool) bool {
	switch {
	case blank:
		if s.keep != nil {
			s.keep.empty++
		}
		return true
	case indent > s.block:
		s.keep = nil
		return true
	}
	if s.keep != nil {
		s.fixes = append(s.fixes, *s.keep)
		s.keep = nil
	}
	s.block = -1
	return false
}

// openBlock starts a block scalar whose indicator is at byte i.
func (s *yamlScan) openBlock(i, indent int) {
	s.block = indent
	for j := i + 1; j < len(s.line) && j <= i+2; j++ {
		if s.line[j] == '+' {
			s.keep = &keepBlock{plus: s.lineAt + j, line: s.lineNo + 1, col: utf8.RuneCount(s.line[:i]) + 1}
		}
	}
}

// pushIndent closes block levels deeper than indent and opens one at indent.
func (s *yamlScan) pushIndent(indent int) *source.Error {
	for len(s.stack) > 0 && s.stack[len(s.stack)-1] > indent {
		s.stack = s.stack[:len(s.stack)-1]
	}
	if len(s.stack) == 0 || s.stack[len(s.stack)-1] < indent {
		s.stack = append(s.stack, indent)
	}
	return s.checkDepth(indent)
}

func (s *yamlScan) checkDepth(i int) *source.Error {
	if len(s.stack)+s.flow <= s.lim.MaxDepth {
		return nil
	}
	return s.errAt(i, "nesting is deeper than the limit of %d levels", s.lim.MaxDepth)
}

func (s *yamlScan) errAt(i int, format string, args ...any) *source.Error {
	col := utf8.RuneCount(s.line[:min(i, len(s.line))]) + 1
	return errAt(s.display, s.lineNo+1, col, format, args...)
}

func isYAMLSpace(ln []byte, i int) bool {
	return i >= len(ln) || ln[i] == ' ' || ln[i] == '\t' || ln[i] == '\r'
}

// scanTokens walks one line from byte i. atStart is true where a node may
// begin: only there do quotes, anchors, aliases, tags, block scalar
// headers and (outside flow collections) brackets mean anything; elsewhere
// they are plain text.
func (s *yamlScan) scanTokens(i, indent int, atStart bool) *source.Error {
	s.i, s.atStart = i, atStart
	s.parent, s.tokStart = indent, i
	for s.i < len(s.line) {
		if stop, e := s.step(); e != nil || stop {
			return e
		}
	}
	if !s.atStart && s.flow == 0 {
		s.plain = s.parent
	}
	return nil
}

// step consumes one byte or token. stop means the rest of the line is no
// structure: a comment, a block scalar header, or a quote left open.
func (s *yamlScan) step() (stop bool, e *source.Error) {
	ln, i := s.line, s.i
	switch c := ln[i]; {
	case c == ' ' || c == '\t' || c == '\r':
		s.i++
	case c == '#' && (i == 0 || ln[i-1] == ' ' || ln[i-1] == '\t'):
		return true, nil
	case s.atStart:
		return s.nodeStart(c)
	default:
		return false, s.structure(c)
	}
	return false, nil
}

// nodeStart handles a byte where a node may begin.
func (s *yamlScan) nodeStart(c byte) (stop bool, e *source.Error) {
	i := s.i
	switch {
	case s.flow == 0 && (c == '-' || c == '?') && isYAMLSpace(s.line, i+1):
		s.i++
		return false, s.dashLevel(i)
	case c == '"' || c == '\'':
		j := closeQuote(s.line, i+1, c)
		if j < 0 {
			s.quote = c
			return true, nil
		}
		s.i, s.atStart = j, false
	case c == '&' || c == '*' || c == '!':
		s.i, s.atStart = tokenEnd(s.line, i), c != '*'
		return false, s.countProperty(c, i)
	case s.flow == 0 && (c == '|' || c == '>'):
		s.openBlock(i, s.parent)
		return true, nil
	default:
		return false, s.structure(c)
	}
	return false, nil
}

// structure handles flow indicators and the ':' that ends a key.
func (s *yamlScan) structure(c byte) *source.Error {
	i := s.i
	s.i++
	switch {
	case c == '[' || c == '{':
		if s.atStart || s.flow > 0 {
			s.flow++
			s.atStart = true
			return s.checkDepth(i)
		}
	case s.flow > 0 && (c == ']' || c == '}'):
		s.flow--
	case s.flow > 0 && c == ',':
		s.atStart = true
		return nil
	case c == ':' && (isYAMLSpace(s.line, i+1) || s.flow > 0):
		if s.flow == 0 {
			s.parent = s.tokStart // the key's column
		}
		s.atStart = true
		return nil
	}
	s.atStart = false
	return nil
}

// dashLevel opens the level a block sequence entry or explicit key at i
// introduces, at the column of the content that follows it on the line.
func (s *yamlScan) dashLevel(i int) *source.Error {
	j := i + 1
	for j < len(s.line) && (s.line[j] == ' ' || s.line[j] == '\t') {
		j++
	}
	s.parent, s.tokStart = i, j
	if j >= len(s.line) || s.line[j] == '#' || s.line[j] == '\r' {
		return nil // the next line's indentation opens the level
	}
	s.stack = append(s.stack, j)
	return s.checkDepth(i)
}

// countProperty counts anchors (&) and aliases (*) against the limit.
func (s *yamlScan) countProperty(c byte, i int) *source.Error {
	switch c {
	case '&':
		s.anchors++
		if s.anchors > s.lim.MaxAliases {
			return s.errAt(i, "file has more than %d YAML anchors", s.lim.MaxAliases)
		}
	case '*':
		s.aliases++
		if s.aliases > s.lim.MaxAliases {
			return s.errAt(i, "file has more than %d YAML aliases", s.lim.MaxAliases)
		}
	}
	return nil
}

// tokenEnd skips an anchor, alias or tag token: up to a space or a flow
// indicator.
func tokenEnd(ln []byte, i int) int {
	for i++; i < len(ln); i++ {
		switch ln[i] {
		case ' ', '\t', '\r', ',', '[', ']', '{', '}':
			return i
		}
	}
	return i
}

// closeQuote returns the offset just past the quote closing a scalar that
// opened before i, or -1 when the scalar continues on the next line.
func closeQuote(ln []byte, i int, q byte) int {
	for i < len(ln) {
		c := ln[i]
		switch {
		case q == '"' && c == '\\':
			i += 2
			continue
		case c == q && q == '\'' && i+1 < len(ln) && ln[i+1] == '\'':
			i += 2
			continue
		case c == q:
			return i + 1
		}
		i++
	}
	return -1
}
