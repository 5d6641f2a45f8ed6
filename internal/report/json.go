package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

// JSON renders the report of record (contracts/report.schema.json).
type JSON struct{}

// Render writes indented JSON with a trailing newline; HTML characters in
// messages stay as written.
func (JSON) Render(w io.Writer, r *Report) error {
	return writeIndentedJSON(w, r)
}

// YAML renders the JSON report as YAML, with the same keys in the same order.
type YAML struct{}

// Render goes through the JSON encoding so keys match the JSON report.
func (YAML) Render(w io.Writer, r *Report) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var tree any
	if err := yaml.UnmarshalWithOptions(data, &tree, yaml.UseOrderedMap()); err != nil {
		return err
	}
	out, err := yaml.Marshal(quoteUnprintable(tree))
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// quoteUnprintable marks every string holding a character YAML may not
// carry raw (NUL and other controls, DEL, C1, U+FFFE) or that some parsers
// take for a line break (U+0085, U+2028, U+2029) to be written
// double-quoted, where the encoder escapes them; written plain, as the
// encoder otherwise would, they make the document invalid or change what
// it says. Bidi and other format characters are escaped the same way, so
// the YAML reads on a terminal as the text report does.
func quoteUnprintable(v any) any {
	switch v := v.(type) {
	case string:
		if strings.ContainsFunc(v, NeedsEscape) || !utf8.ValidString(v) {
			return doubleQuoted(v)
		}
	case yaml.MapSlice:
		for i := range v {
			v[i].Key = quoteUnprintable(v[i].Key)
			v[i].Value = quoteUnprintable(v[i].Value)
		}
	case []any:
		for i := range v {
			v[i] = quoteUnprintable(v[i])
		}
	}
	return v
}

// doubleQuoted is a string the YAML encoder writes as a double-quoted scalar.
type doubleQuoted string

// MarshalYAML writes the scalar with YAML's escapes; the encoder re-reads
// it and keeps the double-quoted style.
func (s doubleQuoted) MarshalYAML() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range string(s) {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r > 0xffff && NeedsEscape(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		case NeedsEscape(r) || r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return []byte(b.String()), nil
}

// writeIndentedJSON is how every JSON report is written: two-space indent,
// a trailing newline, and <, > and & kept as they are (reports are read by
// people and tools, never embedded in HTML).
func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
