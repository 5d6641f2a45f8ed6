package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
)

func smallReport() *report.Report {
	return report.New(report.Tool{Name: "relay", Version: "test"}, report.Side{Source: "a.yaml"}, report.Side{Source: "b.yaml"},
		[]finding.Change{{ID: "operation-removed", Level: finding.Breaking, Operation: "GET /a", Pointer: "/paths/~1a/get",
			Message: "operation GET /a was removed", Revision: finding.Location{File: "b.yaml", Line: 3, Column: 1}}}, finding.Breaking)
}

// TestStepSummaryReadsInjectedEnv: the job summary path comes from
// DiffOptions.Getenv, never from the process environment in tests.
func TestStepSummaryReadsInjectedEnv(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	env := func(k string) string {
		if k == stepSummaryEnv {
			return summary
		}
		return ""
	}
	for _, format := range []string{"json", "github"} {
		ios, _, out, _ := testIO()
		opts := &DiffOptions{IO: ios, Outputs: []output{{Format: format}}, Getenv: env}
		if err := opts.writeReports(smallReport(), finding.Breaking); err != nil {
			t.Fatal(err)
		}
		if out.Len() == 0 {
			t.Errorf("%s: nothing on stdout", format)
		}
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(b), "**relay: 1 breaking change** — exit 20"); got != 1 {
		t.Errorf("summary has %d verdict lines, want 1 (github only):\n%s", got, b)
	}
}

// TestSourcesOfKeysByDisplayPath: snippets are looked up by the file names
// the report's locations carry, for the main file and its $ref'd siblings.
func TestSourcesOfKeysByDisplayPath(t *testing.T) {
	api := "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/pet.yaml'}\n"
	pet := "type: object\nproperties:\n  name: {type: string}\n"
	fsys := fstest.MapFS{"api.yaml": {Data: []byte(api)}, "schemas/pet.yaml": {Data: []byte(pet)}}
	doc, err := load.Load(load.Options{FS: fsys, Path: "api.yaml", Display: "specs/api.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	// Standard input: the main file's bytes are the ones given, siblings
	// come from the working directory.
	stdin := []byte(api + "# from stdin\n")
	stdinDoc, err := load.Load(load.Options{FS: fsys, Path: "-", Display: "-", Data: stdin, Kind: load.OpenAPI})
	if err != nil {
		t.Fatal(err)
	}
	got := sourcesOf([]*check.Loaded{
		{Doc: doc, Options: load.Options{FS: fsys, Display: "specs/api.yaml"}},
		{Doc: stdinDoc, Options: load.Options{FS: fsys, Display: "-", Data: stdin}},
	})
	want := map[string]string{"specs/api.yaml": api, "specs/schemas/pet.yaml": pet, "-": string(stdin), "schemas/pet.yaml": pet}
	if len(got) != len(want) {
		t.Errorf("sources keyed %v, want %d keys", keys(got), len(want))
	}
	for k, v := range want {
		if string(got[k]) != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
