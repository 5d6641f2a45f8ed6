package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/report"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixture is one realistic report shared by every renderer's golden test.
func fixture() *report.Report {
	loc := func(f string, l, c int) report.Location { return report.Location{File: f, Line: l, Column: c} }
	was := func(l, c int) *report.Location { x := loc("base.yaml", l, c); return &x }
	shared := []string{"DELETE /pets/{id}", "GET /pets", "GET /pets/{id}", "GET /stores", "PATCH /pets/{id}", "POST /pets", "PUT /pets/{id}"}
	changes := []report.Change{
		{ID: "operation-added", Level: report.NonBreaking, Operation: "GET /stores", Pointer: "/paths/~1stores/get",
			Message: "operation GET /stores was added", Revision: loc("api.yaml", 40, 5), Affects: []string{"GET /stores"}},
		{ID: "response-property-removed", Level: report.Breaking, Operation: "DELETE /pets/{id}", Pointer: "/components/schemas/Pet/properties/status",
			Message: "response property 'status' was removed", Base: was(41, 9), Revision: loc("api.yaml", 35, 7), Affects: shared},
		{ID: "response-property-enum-value-added", Level: report.Warning, Operation: "GET /pets", Pointer: "/components/schemas/Kind/enum/2",
			Message: `response enum value "bird" was added to 'kind'`, Revision: loc("api.yaml", 61, 13), Affects: []string{"GET /pets", "GET /pets/{id}"}},
		{ID: "api-info-changed", Level: report.Info, Pointer: "/info/version", Message: "info version changed",
			Base: was(3, 3), Revision: loc("api.yaml", 3, 3)},
		{ID: "operation-documentation-changed", Level: report.Info, Operation: "GET /pets", Pointer: "/paths/~1pets/get/summary",
			Message: "summary of operation GET /pets changed", Base: was(9, 7), Revision: loc("api.yaml", 9, 7), Affects: []string{"GET /pets"}},
	}
	side := func(src, v string) report.Side {
		return report.Side{Source: src, Version: v, SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	}
	r := report.New(report.Tool{Name: "relay", Version: "test"}, side("base.yaml", "1.4.0"), side("api.yaml", "1.5.0"), changes, report.Breaking)
	r.Function = "my-team/pets"
	return r
}

func empty() *report.Report {
	s := report.Side{Source: "a.yaml", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	return report.New(report.Tool{Name: "relay", Version: "test"}, s, s, nil, report.Breaking)
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name, format string
		color        bool
		rep          *report.Report
	}{
		{"report.json", "json", false, fixture()},
		{"report.yaml", "yaml", false, fixture()},
		{"report.txt", "text", false, fixture()},
		{"report-color.txt", "text", true, fixture()},
		{"empty.json", "json", false, empty()},
		{"empty.txt", "text", false, empty()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := report.Lookup(c.format, report.Options{Color: c.color})
			require.NoError(t, err)
			var buf bytes.Buffer
			require.NoError(t, r.Render(&buf, c.rep))
			golden := filepath.Join("testdata", c.name+".golden")
			if *update {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test ./internal/report -update")
			assert.Equal(t, string(want), buf.String())
		})
	}
}

func TestNewSortsCountsAndDecides(t *testing.T) {
	r := fixture()
	require.Len(t, r.Changes, 5)
	assert.Equal(t, report.Breaking, r.Changes[0].Level)
	assert.Equal(t, report.Info, r.Changes[4].Level)
	assert.Equal(t, report.Summary{Breaking: 1, Warning: 1, NonBreaking: 1, Info: 2, ExitCode: 20, Verdict: "breaking"}, r.Summary)
	assert.Equal(t, "none", empty().Summary.Verdict)
	assert.NotNil(t, empty().Changes, "no changes serialise as [], not null")
}

func TestExitCodeMatrix(t *testing.T) {
	for _, c := range []struct {
		top, failOn report.Level
		want        int
	}{
		{"", report.Breaking, 0}, {report.Info, report.Breaking, 0}, {report.NonBreaking, report.Breaking, 10},
		{report.Warning, report.Breaking, 10}, {report.Warning, report.Warning, 20}, {report.Breaking, report.Breaking, 20},
		{report.NonBreaking, report.Warning, 10}, {report.Info, report.Warning, 0},
	} {
		assert.Equal(t, c.want, report.ExitCode(c.top, c.failOn), "top=%q failOn=%q", c.top, c.failOn)
	}
}

func TestLookupErrors(t *testing.T) {
	_, err := report.Lookup("sarif", report.Options{})
	assert.ErrorContains(t, err, "not available yet")
	_, err = report.Lookup("pdf", report.Options{})
	assert.ErrorContains(t, err, "unknown format")
}
