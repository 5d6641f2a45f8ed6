package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SafeText makes an untrusted string (a name, enum value or description
// from a contract, a reviewer's reason) safe to print on a terminal or in
// a CI job log, keeping it readable and on one line:
//
//   - newline, carriage return and tab read \n, \r and \t; every other
//     control character (C0, DEL, C1 including U+0085), format character
//     (bidi overrides and isolates, zero-width characters, the BOM), line
//     and paragraph separator and noncharacter (U+FFFE) reads \uXXXX
//     (\UXXXXXXXX past U+FFFF), and a byte that is not UTF-8 reads \xNN. So a string can neither add a
//     line, nor move the cursor, recolour or retitle a terminal (ANSI and
//     OSC escapes start with ESC or C1), nor reorder what is shown
//     (Trojan Source);
//   - the second character of "::" and of "##" reads \u003a and \u0023.
//     GitHub Actions runs a log line as a workflow command when it starts
//     with "::" after leading white space (::error::, ::add-mask::,
//     ::stop-commands::) and, in its older form, when it holds "##[" at
//     any position; Azure Pipelines runs "##vso[" at any position. With
//     neither pair left in untrusted text, and relay's own lines never
//     starting with "::", nothing a contract says can become a command,
//     however the text reaches the log (cat of a report file, a pipe,
//     a container step) and whatever the runner trims first. Wrapping the
//     output in ::stop-commands:: instead would depend on relay knowing it
//     runs under Actions, on the closing token being printed (a truncated
//     or piped report would leave the job's own commands off), and would
//     put a random token into otherwise reproducible reports.
//
// Backslashes are left alone, so a pattern such as ^\d+$ reads as written;
// the escapes are for reading, not for decoding back.
func SafeText(s string) string {
	if isSafe(s) {
		return s
	}
	var b strings.Builder
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
			r = -1
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case NeedsEscape(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r)
		case NeedsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case (r == ':' || r == '#') && prev == r:
			fmt.Fprintf(&b, `\u%04x`, r)
			r = -1
		default:
			b.WriteRune(r)
		}
		prev = r
		i += size
	}
	return b.String()
}

// isSafe is the fast path: most strings need no escape at all.
func isSafe(s string) bool {
	prev := rune(-1)
	for _, r := range s {
		if r == utf8.RuneError || NeedsEscape(r) || (r == ':' || r == '#') && prev == r {
			return false
		}
		prev = r
	}
	return true
}

// NeedsEscape reports whether a character must not reach a terminal or
// a YAML document raw: controls (Cc: C0, DEL, C1), format characters (Cf:
// bidi controls, zero-width characters, the BOM), line and paragraph
// separators, and the noncharacters U+FFFE and U+FFFF.
func NeedsEscape(r rune) bool {
	if r < 0x20 || r == 0x7f {
		return true
	}
	if r < 0x80 {
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || r&0xfffe == 0xfffe
}
