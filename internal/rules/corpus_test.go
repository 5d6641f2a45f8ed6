package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/rules"
)

// corpusDir finds ../shared/corpus beside the module root; the corpus is
// not ours to ship, so a user's clone has none and these tests skip.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	require.NoError(tb, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("module root not found")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		tb.Skip("../shared/corpus not found; corpus tests skipped")
	}
	return corpus
}

// corpusSeries lists the HTTP API series (OpenAPI and Swagger) with their
// versions in order.
func corpusSeries(tb testing.TB) map[string][]string {
	root := corpusDir(tb)
	series := map[string][]string{}
	for _, kind := range []string{"openapi", "swagger2"} {
		apis, _ := os.ReadDir(filepath.Join(root, kind))
		for _, api := range apis {
			files, _ := filepath.Glob(filepath.Join(root, kind, api.Name(), "*"))
			sort.Strings(files)
			series[kind+"/"+api.Name()] = files
		}
	}
	return series
}

func loadPath(tb testing.TB, path string) *load.Document {
	tb.Helper()
	doc, err := load.Load(load.Options{FS: os.DirFS(filepath.Dir(path)), Path: filepath.Base(path), Display: filepath.Base(path)})
	require.NoError(tb, err, path)
	return doc
}

func diffDocs(tb testing.TB, base, rev *load.Document) []finding.Change {
	tb.Helper()
	res, err := diff.Compare(base, rev, diff.Options{})
	require.NoError(tb, err)
	return rules.Classify(res, rules.Options{Now: fixedNow})
}

// TestCorpusSelfDiffIsEmpty: diff(a, a) reports nothing, for every file.
func TestCorpusSelfDiffIsEmpty(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	for name, files := range corpusSeries(t) {
		for _, f := range files {
			t.Run(name+"/"+filepath.Base(f), func(t *testing.T) {
				doc := loadPath(t, f)
				assert.Empty(t, diffDocs(t, doc, doc))
			})
		}
	}
}

// TestCorpusAdjacentPairs: every adjacent pair diffs without error, and the
// result is deterministic and well-formed.
func TestCorpusAdjacentPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	for name, files := range corpusSeries(t) {
		for i := 1; i < len(files); i++ {
			base, rev := files[i-1], files[i]
			t.Run(name+"/"+filepath.Base(rev), func(t *testing.T) {
				b, r := loadPath(t, base), loadPath(t, rev)
				first := diffDocs(t, b, r)
				assert.Equal(t, first, diffDocs(t, b, r), "output must be deterministic")
				counts := map[finding.Level]int{}
				for _, c := range first {
					counts[c.Level]++
					assert.NotZero(t, c.Revision.Line, "%s at %s has no revision line", c.ID, c.Pointer)
					assert.True(t, strings.HasPrefix(c.Pointer, "/") || c.Pointer == "", c.Pointer)
				}
				t.Logf("%s → %s: %d changes %v", filepath.Base(base), filepath.Base(rev), len(first), counts)
			})
		}
	}
}

// BenchmarkStripe diffs the largest adjacent corpus pairs end to end (load
// both, match, classify). Target: < 1 s and < 300 MB per pair.
func BenchmarkStripe(b *testing.B) {
	series := corpusSeries(b)
	for _, name := range []string{"openapi/stripe-json", "openapi/stripe-yaml"} {
		files := series[name]
		for i := 1; i < len(files); i++ {
			base, rev := files[i-1], files[i]
			b.Run(strings.TrimPrefix(name, "openapi/")+"/"+filepath.Base(rev), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					diffDocs(b, loadPath(b, base), loadPath(b, rev))
				}
			})
		}
	}
}
