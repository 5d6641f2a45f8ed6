package report_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixture is one realistic report shared by every renderer's golden test:
// every level, two breaking changes, removals with a base location, shared
// components with affects lists, and one message full of characters that
// each format must escape (%, a newline, ':', ',', '|', '<', '&', '@'),
// located in a file whose name holds ',' and a space.
func fixture() *report.Report {
	loc := func(f string, l, c int) finding.Location { return finding.Location{File: f, Line: l, Column: c} }
	was := func(l, c int) *finding.Location { x := loc("base.yaml", l, c); return &x }
	shared := []string{"DELETE /pets/{id}", "GET /pets", "GET /pets/{id}", "GET /stores", "PATCH /pets/{id}", "POST /pets", "PUT /pets/{id}"}
	changes := []finding.Change{
		{ID: "operation-added", Level: finding.NonBreaking, Operation: "GET /stores", Pointer: "/paths/~1stores/get",
			Message: "operation GET /stores was added", Revision: loc("api.yaml", 40, 5), Affects: []string{"GET /stores"}},
		{ID: "response-property-removed", Level: finding.Breaking, Operation: "DELETE /pets/{id}", Pointer: "/components/schemas/Pet/properties/status",
			Message: "response property 'status' was removed", Base: was(41, 9), Revision: loc("api.yaml", 35, 7), Affects: shared},
		{ID: "request-parameter-added-required", Level: finding.Breaking, Operation: "POST /pets", Pointer: "/paths/~1pets/post/parameters/1",
			Message: "required query parameter 'dry_run' was added", Revision: loc("api.yaml", 52, 11), Affects: []string{"POST /pets"}},
		{ID: "response-property-enum-value-added", Level: finding.Warning, Operation: "GET /pets", Pointer: "/components/schemas/Kind/enum/2",
			Message: `response enum value "bird" was added to 'kind'`, Revision: loc("api.yaml", 61, 13), Affects: []string{"GET /pets", "GET /pets/{id}"}},
		{ID: "request-property-default-changed", Level: finding.Warning, Operation: "PATCH /pets/{id}", Pointer: "/components/schemas/PetPatch/properties/rate/default",
			Message: "default of request property 'rate' changed from \"5%\" to \"10%, max: 3|4 <b>&</b>\"\nask @octocat first",
			Base:    was(77, 18), Revision: loc("schemas/pet, v2.yaml", 14, 18), Affects: []string{"PATCH /pets/{id}"}},
		{ID: "api-info-changed", Level: finding.Info, Pointer: "/info/version", Message: "info version changed",
			Base: was(3, 3), Revision: loc("api.yaml", 3, 3)},
		{ID: "operation-documentation-changed", Level: finding.Info, Operation: "GET /pets", Pointer: "/paths/~1pets/get/summary",
			Message: "summary of operation GET /pets changed", Base: was(9, 7), Revision: loc("api.yaml", 9, 7), Affects: []string{"GET /pets"}},
	}
	side := func(src, v string) report.Side {
		return report.Side{Source: src, Version: v, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	}
	r := report.New(report.Tool{Name: "relay", Version: "test"}, side("base.yaml", "1.4.0"), side("api.yaml", "1.5.0"), changes, finding.Breaking)
	r.Function = "my-team/pets"
	return r
}

// fixtureSources is the contract text behind the fixture's locations, for
// the html snippets. "schemas/pet, v2.yaml" is left out on purpose: its
// location must be shown without a snippet.
func fixtureSources() map[string][]byte {
	text := func(name string, n int, special map[int]string) []byte {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			if s, ok := special[i]; ok {
				b.WriteString(s + "\n")
				continue
			}
			fmt.Fprintf(&b, "    x-line-%d: %s\n", i, name)
		}
		return []byte(b.String())
	}
	return map[string][]byte{
		"api.yaml": text("api.yaml", 80, map[int]string{
			3: "  version: 1.5.0", 35: "      properties:", 36: "        name: {type: string} # <b>not markup</b> & co",
		}),
		"base.yaml": text("base.yaml", 80, map[int]string{
			3: "  version: 1.4.0", 41: "        status:", 77: "          default: \"5%\"",
		}),
	}
}

// fixtureRules stands in for the catalog: a rule the report does not use,
// and not every rule it does use (the SARIF driver must still define it).
func fixtureRules() []*rules.Rule {
	return []*rules.Rule{
		{ID: "operation-added", Level: finding.NonBreaking, Summary: "An operation was added", Doc: "paths:\n  /stores:\n    get: …  # added"},
		{ID: "operation-removed", Level: finding.Breaking, Summary: "An operation was removed", Doc: "paths:\n  /pets:\n    delete: …  # removed"},
		{ID: "request-parameter-added-required", Level: finding.Breaking, Summary: "A required request parameter was added"},
		{ID: "request-property-default-changed", Level: finding.Warning, Summary: "The default of a request property changed"},
		{ID: "response-property-enum-value-added", Level: finding.Warning, Summary: "A response enum gained a value"},
		{ID: "response-property-removed", Level: finding.Breaking, Summary: "A response property was removed", Doc: "Pet:\n  properties:\n    status: …  # removed"},
	}
}

// goldenOptions are the renderer settings of the golden files.
func goldenOptions() report.Options {
	return report.Options{
		LinkBase: "https://github.com/relay-dev/pets/blob/0123abc/",
		Sources:  fixtureSources(),
		Rules:    fixtureRules(),
	}
}

func empty() *report.Report {
	s := report.Side{Source: "a.yaml", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	return report.New(report.Tool{Name: "relay", Version: "test"}, s, s, nil, finding.Breaking)
}

func TestGolden(t *testing.T) {
	color := report.Options{Color: true}
	cases := []struct {
		name, format string
		opts         report.Options
		rep          *report.Report
	}{
		{"report.json", "json", goldenOptions(), fixture()},
		{"report.yaml", "yaml", goldenOptions(), fixture()},
		{"report.txt", "text", goldenOptions(), fixture()},
		{"report-color.txt", "text", color, fixture()},
		{"report.md", "markdown", goldenOptions(), fixture()},
		{"report.html", "html", goldenOptions(), fixture()},
		{"report.sarif", "sarif", goldenOptions(), fixture()},
		{"report.junit.xml", "junit", goldenOptions(), fixture()},
		{"report.github.txt", "github", goldenOptions(), fixture()},
		{"report.gitlab.json", "gitlab", goldenOptions(), fixture()},
		{"empty.json", "json", goldenOptions(), empty()},
		{"empty.txt", "text", goldenOptions(), empty()},
		{"empty.md", "markdown", goldenOptions(), empty()},
		{"empty.html", "html", goldenOptions(), empty()},
		{"empty.sarif", "sarif", goldenOptions(), empty()},
		{"empty.junit.xml", "junit", goldenOptions(), empty()},
		{"empty.github.txt", "github", goldenOptions(), empty()},
		{"empty.gitlab.json", "gitlab", goldenOptions(), empty()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, render(t, c.format, c.opts, c.rep))
		})
	}
}

// render renders rep in one format, failing the test on any error.
func render(t *testing.T, format string, opts report.Options, rep *report.Report) []byte {
	t.Helper()
	r, err := report.Lookup(format, opts)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, r.Render(&buf, rep))
	return buf.Bytes()
}

// checkGolden compares got with testdata/NAME.golden; -update rewrites it.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o644))
		return
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./internal/report -update")
	assert.Equal(t, string(want), string(got))
}

// TestRenderersArePure renders the fixture twice in every format: the
// same input must give the same bytes (no clock, no map order, no env).
func TestRenderersArePure(t *testing.T) {
	for _, f := range report.Formats() {
		a := render(t, f, goldenOptions(), fixture())
		b := render(t, f, goldenOptions(), fixture())
		assert.Equal(t, string(a), string(b), f)
	}
}

func TestNewSortsCountsAndDecides(t *testing.T) {
	r := fixture()
	require.Len(t, r.Changes, 7)
	assert.Equal(t, finding.Breaking, r.Changes[0].Level)
	assert.Equal(t, finding.Info, r.Changes[6].Level)
	assert.Equal(t, report.Summary{Breaking: 2, Warning: 2, NonBreaking: 1, Info: 2, ExitCode: 20, Verdict: "breaking"}, r.Summary)
	assert.Equal(t, "none", empty().Summary.Verdict)
	assert.NotNil(t, empty().Changes, "no changes serialise as [], not null")
}

func TestExitCodeMatrix(t *testing.T) {
	for _, c := range []struct {
		top, failOn finding.Level
		want        int
	}{
		{"", finding.Breaking, 0}, {finding.Info, finding.Breaking, 0}, {finding.NonBreaking, finding.Breaking, 10},
		{finding.Warning, finding.Breaking, 10}, {finding.Warning, finding.Warning, 20}, {finding.Breaking, finding.Breaking, 20},
		{finding.NonBreaking, finding.Warning, 10}, {finding.Info, finding.Warning, 0},
	} {
		assert.Equal(t, c.want, report.ExitCode(c.top, c.failOn), "top=%q failOn=%q", c.top, c.failOn)
	}
}

func TestLookupEveryFormat(t *testing.T) {
	for _, f := range report.Formats() {
		r, err := report.Lookup(f, report.Options{})
		assert.NoError(t, err, f)
		assert.NotNil(t, r, f)
	}
}

func TestLookupErrors(t *testing.T) {
	_, err := report.Lookup("pdf", report.Options{})
	assert.ErrorContains(t, err, "unknown format")
	_, err = report.Lookup("SARIF", report.Options{})
	assert.ErrorContains(t, err, "unknown format")
}
