package rules_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/rules"
)

var update = flag.Bool("update", false, "rewrite want.txt files from the current output")

// fixedNow is the clock for x-sunset checks in fixtures.
var fixedNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// classifyDir diffs dir/base.* against dir/revision.* and renders each change
// as "file:line:col rule-id" (the revision location, which every change has).
func classifyDir(t *testing.T, dir string) []string {
	t.Helper()
	changes := classify(t, dir)
	out := make([]string, 0, len(changes))
	for _, c := range changes {
		out = append(out, fmt.Sprintf("%s:%d:%d %s", c.Revision.File, c.Revision.Line, c.Revision.Column, c.ID))
	}
	return out
}

func classify(t *testing.T, dir string) []finding.Change {
	t.Helper()
	base := loadOne(t, dir, "base")
	rev := loadOne(t, dir, "revision")
	res, err := diff.Compare(base, rev, fixtureDiffOptions(t, dir))
	require.NoError(t, err)
	return rules.Classify(res, fixtureOptions(t, dir))
}

// fixtureOptions reads a fixture's optional options.txt ("key: value"
// lines) into classification options, so policy fixtures state the policy
// next to the contracts it applies to.
func fixtureOptions(t *testing.T, dir string) rules.Options {
	t.Helper()
	opts := rules.Options{Now: fixedNow}
	data, err := os.ReadFile(filepath.Join(dir, "options.txt"))
	if os.IsNotExist(err) {
		return opts
	}
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		key, val, ok := strings.Cut(line, ":")
		require.True(t, ok, "%s/options.txt: %q is not key: value", dir, line)
		val = strings.TrimSpace(val)
		switch key {
		case "beta-level":
			lvl, err := finding.ParseLevel(val)
			require.NoError(t, err)
			opts.BetaLevel = lvl
		case "min-deprecation-days":
			n, err := strconv.Atoi(val)
			require.NoError(t, err)
			opts.MinDeprecationDays = n
		case "schema-role": // a diff option, read by fixtureDiffOptions
		default:
			t.Fatalf("%s/options.txt: unknown key %q", dir, key)
		}
	}
	return opts
}

func loadOne(t *testing.T, dir, stem string) *load.Document {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, stem+".*"))
	require.Len(t, matches, 1, "want exactly one %s.* in %s", stem, dir)
	name := filepath.Base(matches[0])
	doc, err := load.Load(load.Options{FS: os.DirFS(dir), Path: name, Display: name})
	require.NoError(t, err)
	return doc
}

// TestFixtures walks testdata/<rule-id>/ and compares each directory's
// findings with its want.txt. Run with -update to rewrite them.
func TestFixtures(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	require.NoError(t, err)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join("testdata", d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			got := strings.Join(classifyDir(t, dir), "\n") + "\n"
			wantFile := filepath.Join(dir, "want.txt")
			if *update {
				require.NoError(t, os.WriteFile(wantFile, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(wantFile)
			require.NoError(t, err, "missing want.txt; run go test ./internal/rules -update")
			assert.Equal(t, string(want), got)
		})
	}
}

var kebab = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// TestCatalog audits the catalog: kebab-case IDs, complete docs, a fixture
// per rule that actually triggers it, and a reason for every asymmetry.
func TestCatalog(t *testing.T) {
	all := rules.All()
	require.NotEmpty(t, all)
	for _, r := range all {
		assert.Regexp(t, kebab, r.ID)
		assert.NotEmpty(t, r.Summary, r.ID)
		assert.NotEmpty(t, r.Message, r.ID)
		assert.True(t, r.Level.Rank() >= 0, "%s has level %q", r.ID, r.Level)
		assert.Contains(t, r.Doc, "base:", "%s doc needs a before/after example", r.ID)
		assert.Contains(t, r.Doc, "revision:", "%s doc needs a before/after example", r.ID)
		if r.Caller {
			continue // produced by the command, tested there (check.Added)
		}
		want, err := os.ReadFile(filepath.Join("testdata", r.ID, "want.txt"))
		if assert.NoError(t, err, "rule %s has no fixture directory testdata/%s", r.ID, r.ID) {
			assert.Contains(t, string(want), " "+r.ID+"\n", "fixture of %s does not trigger it", r.ID)
		}
	}
}

// TestAsymmetriesExplained: where request-X and response-X disagree on the
// level, both must say why.
func TestAsymmetriesExplained(t *testing.T) {
	for _, r := range rules.All() {
		rest, ok := strings.CutPrefix(r.ID, "request-")
		if !ok {
			continue
		}
		mirror := rules.ByID("response-" + rest)
		if mirror == nil || mirror.Level == r.Level {
			continue
		}
		assert.NotEmpty(t, r.Why, "%s (%s) vs %s (%s): no reason given", r.ID, r.Level, mirror.ID, mirror.Level)
		assert.NotEmpty(t, mirror.Why, "%s: no reason given", mirror.ID)
	}
}

// TestCatalogCanFail makes sure the asymmetry audit is not vacuous.
func TestCatalogCanFail(t *testing.T) {
	n := 0
	for _, r := range rules.All() {
		if strings.HasPrefix(r.ID, "request-") && rules.ByID("response-"+strings.TrimPrefix(r.ID, "request-")) != nil {
			n++
		}
	}
	assert.Greater(t, n, 10, "expected many mirrored request/response rules")
}

// TestSharedComponentReportedOnce: a change in a component reached by three
// operations (two through another component) is one change listing all three.
func TestSharedComponentReportedOnce(t *testing.T) {
	changes := classify(t, filepath.Join("testdata", "case-shared-component-affects"))
	require.Len(t, changes, 1)
	c := changes[0]
	assert.Equal(t, "response-property-removed", c.ID)
	assert.Equal(t, "/components/schemas/Owner/properties/email", c.Pointer)
	assert.Equal(t, []string{"GET /pets", "GET /pets/{id}", "POST /pets"}, c.Affects)
	assert.Equal(t, "GET /pets", c.Operation)
	require.NotNil(t, c.Base)
	assert.Equal(t, 40, c.Base.Line, "base points at the removed property")
	assert.Equal(t, 38, c.Revision.Line, "revision points at the parent that lost it")
}

// TestPolicyLevels: x-stability-level and x-extensible-enum change levels,
// which want.txt files (rule IDs only) cannot show.
func TestPolicyLevels(t *testing.T) {
	for dir, want := range map[string]finding.Level{
		"case-stability-alpha":                          finding.Info,
		"case-stability-beta":                           finding.Warning,
		"case-stability-beta-capped":                    finding.NonBreaking,
		"case-stability-mixed":                          finding.Breaking,
		"case-extensible-enum-request-removal":          finding.Breaking,
		"response-property-extensible-enum-value-added": finding.NonBreaking,
	} {
		changes := classify(t, filepath.Join("testdata", dir))
		require.Len(t, changes, 1, dir)
		assert.Equal(t, want, changes[0].Level, dir)
	}
}

// TestBaseLocationsInBase: a change's base location points into the base
// version and its revision location into the revision, in every fixture.
func TestBaseLocationsInBase(t *testing.T) {
	dirs, err := os.ReadDir("testdata")
	require.NoError(t, err)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		for _, c := range classify(t, filepath.Join("testdata", d.Name())) {
			if c.Base != nil {
				assert.True(t, strings.HasPrefix(c.Base.File, "base."), "%s %s: base location in %s", d.Name(), c.ID, c.Base.File)
			}
			assert.True(t, strings.HasPrefix(c.Revision.File, "revision."), "%s %s: revision location in %s", d.Name(), c.ID, c.Revision.File)
		}
	}
}

// TestStabilityLoweredKeepsLevels: lowering x-stability-level is itself a
// warning, and the break made in the same revision keeps its level (the
// base's promise governs), so no pair of commits slips past a gate.
func TestStabilityLoweredKeepsLevels(t *testing.T) {
	levels := map[string]finding.Level{}
	for _, c := range classify(t, filepath.Join("testdata", "case-stability-lowered-with-break")) {
		levels[c.ID] = c.Level
	}
	assert.Equal(t, map[string]finding.Level{
		"operation-stability-decreased": finding.Warning,
		"response-property-removed":     finding.Breaking,
	}, levels)
}

// TestRepeatedChangeReportedOnce: the same 429 added to three operations is
// one change filed under the first in document order (not alphabetical),
// listing all three; a different 429 elsewhere stays its own change.
func TestRepeatedChangeReportedOnce(t *testing.T) {
	changes := classify(t, filepath.Join("testdata", "case-repeated-change-across-operations"))
	require.Len(t, changes, 2)
	byOp := map[string]finding.Change{}
	for _, c := range changes {
		byOp[c.Operation] = c
	}
	c := byOp["GET /zebras"]
	assert.Equal(t, []string{"GET /apples", "GET /zebras", "POST /apples"}, c.Affects)
	assert.Equal(t, "/paths/~1zebras/get/responses/429", c.Pointer)
	assert.Equal(t, []string{"GET /moles"}, byOp["GET /moles"].Affects)
}

// TestSharedSchemaFiledInDocumentOrder: a shared schema's change is filed
// under the operation that first reaches it in the document.
func TestSharedSchemaFiledInDocumentOrder(t *testing.T) {
	changes := classify(t, filepath.Join("testdata", "case-shared-schema-filed-in-document-order"))
	require.Len(t, changes, 1)
	assert.Equal(t, "GET /zoo", changes[0].Operation)
	assert.Equal(t, []string{"GET /animals", "GET /zoo"}, changes[0].Affects)
}

// TestRepeatedInlineChangeReportedOnce: the same property dropped from two
// operations' identical inline schemas is one change; the same name
// dropped with a different schema is another.
func TestRepeatedInlineChangeReportedOnce(t *testing.T) {
	changes := classify(t, filepath.Join("testdata", "case-repeated-inline-schema-change"))
	require.Len(t, changes, 2)
	assert.Equal(t, "GET /orders", changes[0].Operation)
	assert.Equal(t, []string{"GET /invoices", "GET /orders"}, changes[0].Affects)
	assert.Equal(t, []string{"GET /refunds"}, changes[1].Affects)
}

// TestCopiesMadeOneComponent: two base components merged into one shared
// revision component lose the same enum value once, not once per copy.
func TestCopiesMadeOneComponent(t *testing.T) {
	changes := classify(t, filepath.Join("testdata", "case-copies-made-one-component"))
	require.Len(t, changes, 1)
	assert.Equal(t, []string{"POST /orders", "POST /returns"}, changes[0].Affects)
	assert.Equal(t, "POST /orders", changes[0].Operation)
}
