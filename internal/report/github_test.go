package report_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// TestGitHubEscaping follows @actions/core: data escapes %, CR and LF;
// property values also ':' and ','.
func TestGitHubEscaping(t *testing.T) {
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{{
		ID: "rule:x,y", Level: finding.Breaking, Operation: "GET /a", Pointer: "/p",
		Message:  "50% done\r\nnext: a,b ::error::forged",
		Revision: finding.Location{File: "dir/a:b,c%.yaml", Line: 12, Column: 3},
	}}, finding.Breaking)
	lines := strings.Split(string(render(t, "github", report.Options{}, rep)), "\n")
	assert.Equal(t, "::error file=dir/a%3Ab%2Cc%25.yaml,line=12,col=3,title=rule%3Ax%2Cy::GET /a: 50%25 done%0D%0Anext: a,b ::error::forged", lines[0])
	assert.Equal(t, "relay: 1 breaking change — 1 breaking, 0 warning, 0 non-breaking, 0 info (exit 20)", lines[1])
}

func TestGitHubStandardInputHasNoFile(t *testing.T) {
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{{
		ID: "operation-added", Level: finding.NonBreaking, Operation: "GET /a", Pointer: "/p", Message: "m",
		Revision: finding.Location{File: "-", Line: 2, Column: 1},
	}}, finding.Breaking)
	out := string(render(t, "github", report.Options{}, rep))
	assert.True(t, strings.HasPrefix(out, "::notice title=operation-added::GET /a: m\n"), out)
}

func changesOf(n int, l finding.Level, id string) []finding.Change {
	cs := make([]finding.Change, n)
	for i := range cs {
		cs[i] = finding.Change{ID: id, Level: l, Operation: fmt.Sprintf("GET /%s/%02d", id, i), Pointer: "/p",
			Message: "m", Revision: finding.Location{File: "api.yaml", Line: i + 1, Column: 1}}
	}
	return cs
}

// TestGitHubAnnotationCaps: GitHub shows ten annotations of each kind per
// step. A kind over the cap gets nine and a tenth that counts the rest.
func TestGitHubAnnotationCaps(t *testing.T) {
	var cs []finding.Change
	cs = append(cs, changesOf(37, finding.Breaking, "b")...)
	cs = append(cs, changesOf(10, finding.Warning, "w")...)
	cs = append(cs, changesOf(3, finding.NonBreaking, "n")...)
	cs = append(cs, changesOf(9, finding.Info, "i")...)
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, cs, finding.Breaking)
	out := string(render(t, "github", report.Options{}, rep))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")

	count := map[string]int{}
	for _, l := range lines {
		kind, _, _ := strings.Cut(strings.TrimPrefix(l, "::"), " ")
		kind, _, _ = strings.Cut(kind, "::")
		count[kind]++
	}
	assert.Equal(t, map[string]int{"error": 10, "warning": 10, "notice": 10, "relay:": 1}, count)
	assert.Contains(t, lines, "::error::relay: 28 more breaking changes not shown as annotations; see the report")
	assert.Contains(t, lines, "::notice::relay: 3 more info changes not shown as annotations; see the report")
	assert.NotContains(t, out, "more warning", "exactly ten warnings fit")
	assert.Equal(t, "relay: 37 breaking changes — 37 breaking, 10 warning, 3 non-breaking, 9 info (exit 20)", lines[len(lines)-1])
	// Most severe first.
	require.True(t, strings.HasPrefix(lines[0], "::error "))
	assert.Less(t, strings.Index(out, "::warning "), strings.Index(out, "::notice "))
}

func TestGitHubMixedCut(t *testing.T) {
	cs := append(changesOf(6, finding.NonBreaking, "n"), changesOf(8, finding.Info, "i")...)
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, cs, finding.Breaking)
	out := string(render(t, "github", report.Options{}, rep))
	assert.Contains(t, out, "::notice::relay: 5 more info changes not shown")
	cs = append(changesOf(12, finding.NonBreaking, "n"), changesOf(8, finding.Info, "i")...)
	rep = report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, cs, finding.Breaking)
	out = string(render(t, "github", report.Options{}, rep))
	assert.Contains(t, out, "::notice::relay: 11 more changes (3 non-breaking, 8 info) not shown")
}
