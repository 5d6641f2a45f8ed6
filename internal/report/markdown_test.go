package report_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// unescapedPipes counts the '|' that delimit cells in a table row.
func unescapedPipes(line string) int {
	return strings.Count(line, "|") - strings.Count(line, `\|`)
}

func TestMarkdownEscapesCells(t *testing.T) {
	out := string(render(t, "markdown", report.Options{}, fixture()))
	rows := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, " | `") {
			rows++
			assert.Equal(t, 6, unescapedPipes(line), "a cell leaks a '|': %s", line)
		}
	}
	assert.Equal(t, len(fixture().Changes), rows, "one row per change")
	assert.Contains(t, out, `to "10%, max: 3\|4 &lt;b&gt;&amp;&lt;/b&gt;"<br>ask @`+"\u200b"+`octocat first`)
	assert.NotContains(t, out, "<b>", "user text must not become HTML")
	assert.Contains(t, out, `'dry\_run'`, "emphasis characters are escaped")
	assert.Contains(t, out, "**relay: 2 breaking changes** — exit 20")
	assert.NotContains(t, out, "not shown", "a small report is shown whole")
}

func TestMarkdownBreakingFirstRestCollapsed(t *testing.T) {
	out := string(render(t, "markdown", report.Options{}, fixture()))
	details := strings.Index(out, "<details>")
	require.Positive(t, details)
	assert.Less(t, strings.LastIndex(out, "| breaking | `"), details)
	assert.Greater(t, strings.Index(out, "| warning | `"), details)
	assert.Contains(t, out, "<summary>5 other changes: 2 warning, 1 non-breaking, 2 info</summary>")
	assert.True(t, strings.HasSuffix(out, "</details>\n"))
}

func TestMarkdownLinks(t *testing.T) {
	row := func(file string, opts report.Options) string {
		rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{{
			ID: "operation-removed", Level: finding.Breaking, Operation: "GET /a", Pointer: "/paths/~1a/get", Message: "m",
			Revision: finding.Location{File: file, Line: 7, Column: 3},
		}}, finding.Breaking)
		out := string(render(t, "markdown", opts, rep))
		return out[strings.Index(out, "| breaking |"):]
	}
	link := report.Options{LinkBase: "https://example.test/blob/abc/"}
	assert.Contains(t, row("docs/api (v2).yaml", link), "[docs/api (v2).yaml:7](<https://example.test/blob/abc/docs/api%20%28v2%29.yaml#L7>) |")
	assert.Contains(t, row("docs/api.yaml", report.Options{}), "| docs/api.yaml:7 |", "no LinkBase, no link")
	for _, f := range []string{"git:main:api.yaml", "-", "../up.yaml", "/abs/api.yaml"} {
		assert.NotContains(t, row(f, link), "](", "%s is not a file in the working tree", f)
	}
}

// synthetic builds a report of n changes: every breakingEvery-th breaking,
// the rest spread over the other levels, with messages long enough to matter.
func synthetic(n, breakingEvery int) *report.Report {
	levels := []finding.Level{finding.Warning, finding.NonBreaking, finding.Info}
	cs := make([]finding.Change, n)
	for i := range cs {
		l := levels[i%3]
		if i%breakingEvery == 0 {
			l = finding.Breaking
		}
		cs[i] = finding.Change{
			ID: "response-property-removed", Level: l, Operation: fmt.Sprintf("GET /things/%04d", i),
			Pointer:  fmt.Sprintf("/components/schemas/Thing%d/properties/field", i),
			Message:  fmt.Sprintf("response property 'field_%d' was removed from a schema with a long, descriptive name", i),
			Revision: finding.Location{File: "api.yaml", Line: i + 1, Column: 5},
		}
	}
	return report.New(report.Tool{Name: "relay", Version: "test"}, report.Side{Source: "a.yaml"}, report.Side{Source: "b.yaml"}, cs, finding.Breaking)
}

var tailLine = regexp.MustCompile(`… and (\d+) more changes \((\d+) breaking\) not shown; see the JSON report\.`)

// TestMarkdownStaysUnderTheCommentLimit cuts 5,000 changes twice: inside
// the breaking table, and (with few breaking changes) inside <details>.
func TestMarkdownStaysUnderTheCommentLimit(t *testing.T) {
	for _, every := range []int{7, 5000} {
		t.Run(fmt.Sprintf("breaking every %d", every), func(t *testing.T) {
			checkMarkdownCap(t, synthetic(5000, every))
		})
	}
}

func checkMarkdownCap(t *testing.T, rep *report.Report) {
	out := string(render(t, "markdown", report.Options{LinkBase: "https://example.test/blob/abc/"}, rep))
	assert.Less(t, len(out), 65000)
	shown, shownBreaking := 0, 0
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "`response-property-removed`") {
			shown++
			if strings.HasPrefix(line, "| breaking |") {
				shownBreaking++
			}
		}
	}
	require.Positive(t, shown)
	m := tailLine.FindStringSubmatch(out)
	require.NotNil(t, m, "the cut is summarised")
	hidden, _ := strconv.Atoi(m[1])
	hiddenBreaking, _ := strconv.Atoi(m[2])
	assert.Equal(t, len(rep.Changes), shown+hidden, "every change is either a row or counted")
	assert.Equal(t, rep.Summary.Breaking, shownBreaking+hiddenBreaking)
	assert.Equal(t, strings.Count(out, "<details>"), strings.Count(out, "</details>"), "tags stay balanced")
}
