package load

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/relay-dev/relay/internal/source"
)

// parseYAML parses guarded bytes into a file displayed as display.
func parseYAML(display string, b []byte, lim Limits) (*source.File, *source.Error) {
	b = normalizeBreaks(stripBOM(b))
	if isBlank(b) {
		return nil, wholeFile(display, "file is empty")
	}
	fixes, e := prescanYAML(display, b, lim)
	if e != nil {
		return nil, e
	}
	f, allUsed, e := convertYAML(display, b, lim, fixes)
	if !allUsed {
		// The scan took some text for a block scalar header that goccy read
		// otherwise; patching it would change that text, so parse as is.
		f, _, e = convertYAML(display, b, lim, nil)
	}
	return f, e
}

// normalizeBreaks turns every CRLF into LF. YAML treats the two as the same
// line break and normalises breaks inside scalars to LF, so no value
// changes; but goccy counts a CRLF inside a multi-line quoted or plain
// scalar as two lines and folds it as a literal newline, which shifted
// every later position and changed quoted values. Lines and columns of
// the normalised text are those of the original (the CR ends each line).
func normalizeBreaks(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}

// convertYAML parses b with the keep-chomping fixes applied and converts
// the AST; allUsed is false when a fix did not land on a block scalar.
func convertYAML(display string, b []byte, lim Limits, fixes []keepBlock) (*source.File, bool, *source.Error) {
	if len(fixes) > 0 {
		b = bytes.Clone(b)
		for _, f := range fixes {
			b[f.plus] = '-'
		}
	}
	f, err := parseGoccy(b)
	if err != nil {
		return nil, true, yamlError(display, err)
	}
	body, e := singleDocument(display, f, b)
	if e != nil {
		return nil, true, e
	}
	c := newYAMLConv(display, len(b), lim)
	for _, f := range fixes {
		c.fixes[[2]int{f.line, f.col}] = strings.Repeat("\n", f.empty)
	}
	root, e := c.convert(body, 1)
	if e != nil {
		return nil, true, e
	}
	if len(c.fixes) > 0 {
		return nil, false, nil
	}
	return c.b.SetRoot(root), true, nil
}

// parseGoccy runs the YAML parser. Duplicate keys are allowed here because
// goccy detects them by a dotted path string that confuses "a.b" with a→b;
// the tree conversion checks them per mapping instead. A panic inside the
// parser becomes an error: hostile input must never crash relay.
func parseGoccy(b []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed on this input (%v)", r)
		}
	}()
	return parser.ParseBytes(b, 0, parser.AllowDuplicateMapKey())
}

// goccyError is what goccy's internal error types share.
type goccyError interface {
	GetToken() *token.Token
	GetMessage() string
}

// yamlError keeps one line of goccy's message plus its position; goccy
// appends a pretty-printed source excerpt that does not belong in a
// one-sentence error.
func yamlError(display string, err error) *source.Error {
	var ge goccyError
	if errors.As(err, &ge) {
		line, col := 1, 1
		if tk := ge.GetToken(); tk != nil && tk.Position != nil && tk.Position.Line > 0 {
			line, col = tk.Position.Line, max(tk.Position.Column, 1)
		}
		return errAt(display, line, col, "invalid YAML: %s", cleanMessage(ge.GetMessage()))
	}
	return wholeFile(display, "invalid YAML: %s", cleanMessage(err.Error()))
}

// cleanMessage reduces a parser message to one truncated line.
func cleanMessage(msg string) string {
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	if strings.HasPrefix(msg, "[") {
		if _, rest, ok := strings.Cut(msg, "] "); ok {
			msg = rest
		}
	}
	return source.Truncate(strings.TrimSpace(msg), echoMax)
}

// singleDocument returns the body of the file's only document. A contract
// is one document; a stray directive-only or empty document does not count.
func singleDocument(display string, f *ast.File, b []byte) (ast.Node, *source.Error) {
	var bodies []*ast.DocumentNode
	for _, d := range f.Docs {
		if d == nil || d.Body == nil {
			continue
		}
		if _, ok := d.Body.(*ast.DirectiveNode); ok {
			continue
		}
		bodies = append(bodies, d)
	}
	switch len(bodies) {
	case 0:
		if onlyComments(b) {
			return nil, wholeFile(display, "file is empty: it holds only comments")
		}
		return nil, wholeFile(display, "file is empty: it holds no YAML value")
	case 1:
		return bodies[0].Body, nil
	}
	second := bodies[1]
	tk := second.Start
	if tk == nil {
		tk = second.Body.GetToken()
	}
	line, col := tokenPos(tk)
	return nil, errAt(display, line, col,
		"file contains %d YAML documents; relay reads one per file", len(bodies))
}

// onlyComments reports whether every non-blank line of b is a comment.
func onlyComments(b []byte) bool {
	for line := range bytes.Lines(b) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

// tokenPos returns a token's 1-based position, 1:1 when goccy has none.
func tokenPos(tk *token.Token) (int, int) {
	if tk == nil || tk.Position == nil || tk.Position.Line < 1 {
		return 1, 1
	}
	return tk.Position.Line, max(tk.Position.Column, 1)
}
