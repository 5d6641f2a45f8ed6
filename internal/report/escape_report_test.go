package report_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// hostileReport is a report whose every contract-controlled string carries what a
// pull request author could use against a terminal or a CI log: newlines
// that start workflow commands, ANSI and OSC escapes, C1 controls, bidi
// overrides, NUL, DEL, U+FFFE, U+2028 and U+0085.
func hostileReport() *report.Report {
	nasty := "x\n::error file=a::forged\r\x1b[31mred\x1b]0;title\x07\u009b2J\u202egnp.\u2028\u0085\x00\x7f\ufffe##[add-mask]y"
	loc := finding.Location{File: "::warning::f.yaml", Line: 3, Column: 1}
	changes := []finding.Change{{
		ID: "response-property-enum-value-added", Level: finding.Warning,
		Operation: "::notice::op " + nasty,
		Pointer:   "/components/schemas/" + nasty,
		Message:   "response enum value '" + nasty + "' was added",
		Revision:  loc, Base: &loc,
		Affects: []string{"GET /a\n::error::b", "GET /c"},
	}}
	side := report.Side{Source: "base\n::error::.yaml", Version: "1\x1b[2J", SHA256: "00"}
	return report.New(report.Tool{Name: "relay", Version: "test"}, side, side, changes, finding.Breaking)
}

// commandLike reports a line GitHub Actions or Azure Pipelines would run.
func commandLike(line string) bool {
	trimmed := strings.TrimLeft(line, " \t\u00a0\u0085\u2028\u2029\v\f")
	return strings.HasPrefix(trimmed, "::") || strings.Contains(line, "##[") || strings.Contains(line, "##vso[")
}

func TestTextEscapesHostileStrings(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.Text{}.Render(&buf, hostileReport()))
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		assert.False(t, commandLike(l), "line would run as a workflow command: %q", l)
		for _, r := range l {
			assert.False(t, report.NeedsEscape(r), "raw %U in line %q", r, l)
		}
	}
	want := `base\n:\u003aerror:\u003a.yaml (1\u001b[2J) → base\n:\u003aerror:\u003a.yaml (1\u001b[2J)

:\u003anotice:\u003aop x\n:\u003aerror file=a:\u003aforged\r\u001b[31mred\u001b]0;title\u0007\u009b2J\u202egnp.\u2028\u0085\u0000\u007f\ufffe#\u0023[add-mask]y
  WARNING       response-property-enum-value-added  response enum value 'x\n:\u003aerror file=a:\u003aforged\r\u001b[31mred\u001b]0;title\u0007\u009b2J\u202egnp.\u2028\u0085\u0000\u007f\ufffe#\u0023[add-mask]y' was added
    :\u003awarning:\u003af.yaml:3:1 (was :\u003awarning:\u003af.yaml:3:1)
    affects 2 operations: GET /a\n:\u003aerror:\u003ab, GET /c

0 breaking, 1 warning, 0 non-breaking, 0 info — verdict: warning (exit 10)
`
	assert.Equal(t, want, out)
}

// yamlPrintable is YAML 1.2's c-printable set less the characters some
// parsers take for line breaks (U+0085, U+2028, U+2029): a valid document
// carries anything else only as an escape in a double-quoted scalar.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return true
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return false
	case r == 0x2028 || r == 0x2029 || r == 0xfffe || r == 0xffff || r == utf8.RuneError:
		return false
	}
	return true
}

func TestYAMLStaysValidWithHostileStrings(t *testing.T) {
	rep := hostileReport()
	var buf bytes.Buffer
	require.NoError(t, report.YAML{}.Render(&buf, rep))
	for i, r := range buf.String() {
		assert.True(t, yamlPrintable(r), "raw %U at byte %d of the YAML report", r, i)
	}
	var back struct {
		Base    report.Side      `yaml:"base"`
		Changes []finding.Change `yaml:"changes"`
	}
	require.NoError(t, yaml.Unmarshal(buf.Bytes(), &back), buf.String())
	require.Len(t, back.Changes, 1)
	assert.Equal(t, rep.Changes[0].Message, back.Changes[0].Message)
	assert.Equal(t, rep.Changes[0].Operation, back.Changes[0].Operation)
	assert.Equal(t, rep.Changes[0].Affects, back.Changes[0].Affects)
	assert.Equal(t, rep.Base.Source, back.Base.Source)
}

func TestValidationTextEscapesHostileStrings(t *testing.T) {
	v := report.NewValidation(report.Tool{Name: "relay", Version: "test"}, []report.ValidationResult{{
		Source: "::error::a.yaml",
		Problems: []finding.Problem{{
			Location: finding.Location{File: "::error::a.yaml", Line: 2, Column: 3},
			Message:  "bad value \"x\n::add-mask::y\x1b[2J\u202e\"",
		}},
	}})
	var buf bytes.Buffer
	require.NoError(t, report.ValidationText{}.Render(&buf, v))
	assert.Equal(t, ":\\u003aerror:\\u003aa.yaml:2:3: bad value \"x :\\u003aadd-mask:\\u003ay\\u001b[2J\\u202e\"\n1 file checked: 0 valid, 1 invalid (1 problem)\n", buf.String())
}
