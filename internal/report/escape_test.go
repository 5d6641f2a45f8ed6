package report

import "testing"

func TestSafeText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text, 'quoted' and ^\\d+$", "plain text, 'quoted' and ^\\d+$"},
		{"héllo wörld ✓ 日本", "héllo wörld ✓ 日本"},
		{"two\nlines\r\tand a tab", `two\nlines\r\tand a tab`},
		{"NUL\x00 BEL\a ESC\x1b[31m DEL\x7f", `NUL\u0000 BEL\u0007 ESC\u001b[31m DEL\u007f`},
		{"OSC \x1b]0;title\x07 C1 CSI \u009b2J NEL\u0085", `OSC \u001b]0;title\u0007 C1 CSI \u009b2J NEL\u0085`},
		{"bidi \u202eevil\u202c \u2066iso\u2069 \u200fRLM \u061c", `bidi \u202eevil\u202c \u2066iso\u2069 \u200fRLM \u061c`},
		{"zero\u200bwidth \ufeffBOM \u2028LS \u2029PS", `zero\u200bwidth \ufeffBOM \u2028LS \u2029PS`},
		{"nonchar \ufffe \uffff tag \U000e0041", `nonchar \ufffe \uffff tag \U000e0041`},
		{"bad \xff byte", `bad \xff byte`},
		{"replacement \ufffd stays", "replacement \ufffd stays"},
		{"::error::pwned", `:\u003aerror:\u003apwned`},
		{":::", `:\u003a:`},
		{"::::", `:\u003a:\u003a`},
		{"git:main:api.yaml", "git:main:api.yaml"},
		{"##[add-mask]secret ##vso[task.setvariable]", `#\u0023[add-mask]secret #\u0023vso[task.setvariable]`},
		{"# heading #tag", "# heading #tag"},
		{"x\n::add-mask::y", `x\n:\u003aadd-mask:\u003ay`},
	} {
		if got := SafeText(tt.in); got != tt.want {
			t.Errorf("SafeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
