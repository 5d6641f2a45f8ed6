package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// kindsRefused lists the JSON Schema and AsyncAPI corpus files relay
// refuses, with why: none is self-contained. Each $refs a schema of its
// source repository that the corpus does not hold — a sibling file
// (reached through the document's $id: https://json.schemastore.org/X.json
// is ./X.json) or another host — and relay never fetches one without
// --allow-remote-refs. Any other refusal fails the test.
var kindsRefused = map[string]string{
	"jsonschema/schemastore-dependabot-2.0/02-b582ac3e.json": `:8:15: remote $ref "https://json.schemastore.org/base.json#/definitions/timezone" is refused`,
	"jsonschema/schemastore-eslintrc/04-ef1dcef4.json":       `:1442:19: unresolvable $ref "partial-eslint-plugins.json"`,
	"jsonschema/schemastore-package/02-39d11987.json":        `:760:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/03-1a08e09d.json":        `:829:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/04-3f253fb7.json":        `:1033:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/05-2a3fb603.json":        `:1080:15: unresolvable $ref "eslintrc.json"`,
}

// kindsSeries lists the JSON Schema and AsyncAPI series, versions in order,
// as paths relative to the corpus.
func kindsSeries(tb testing.TB) (string, map[string][]string) {
	root := corpusDir(tb)
	series := map[string][]string{}
	for _, kind := range []string{"jsonschema", "asyncapi"} {
		apis, _ := os.ReadDir(filepath.Join(root, kind))
		for _, api := range apis {
			files, _ := filepath.Glob(filepath.Join(root, kind, api.Name(), "*"))
			sort.Strings(files)
			for i, f := range files {
				files[i], _ = filepath.Rel(root, f)
				files[i] = filepath.ToSlash(files[i])
			}
			series[kind+"/"+api.Name()] = files
		}
	}
	return root, series
}

// loadKind loads a corpus file; a refusal must be an expected one, a
// one-line *source.Error naming the file and line.
func loadKind(t *testing.T, root, rel string) *load.Document {
	t.Helper()
	doc, err := load.Load(load.Options{FS: os.DirFS(filepath.Join(root, filepath.Dir(rel))),
		Path: filepath.Base(rel), Display: rel})
	want, refused := kindsRefused[rel]
	if !refused {
		require.NoError(t, err, rel)
		return doc
	}
	require.Error(t, err, "%s is listed as refused but loads", rel)
	var se *source.Error
	require.True(t, errors.As(err, &se), "%T is not a *source.Error", err)
	assert.Contains(t, err.Error(), rel+want)
	return nil
}

// TestCorpusKindsSelfDiff: diff(a, a) is empty for every JSON Schema and
// AsyncAPI corpus file relay loads.
func TestCorpusKindsSelfDiff(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	root, series := kindsSeries(t)
	for _, files := range series {
		for _, f := range files {
			t.Run(f, func(t *testing.T) {
				if doc := loadKind(t, root, f); doc != nil {
					assert.Empty(t, diffDocs(t, doc, doc))
				}
			})
		}
	}
}

// TestCorpusKindsAdjacentPairs: every adjacent pair of loadable files diffs
// without error, deterministically, every change located in the revision.
func TestCorpusKindsAdjacentPairs(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	root, series := kindsSeries(t)
	for _, files := range series {
		for i := 1; i < len(files); i++ {
			base, rev := files[i-1], files[i]
			t.Run(rev, func(t *testing.T) {
				b, r := loadKind(t, root, base), loadKind(t, root, rev)
				if b == nil || r == nil {
					t.Skipf("%s → %s: a side is refused (see kindsRefused)", base, rev)
				}
				first := diffDocs(t, b, r)
				assert.Equal(t, first, diffDocs(t, b, r), "output must be deterministic")
				counts := map[finding.Level]int{}
				for _, c := range first {
					counts[c.Level]++
					assert.NotZero(t, c.Revision.Line, "%s at %s has no revision line", c.ID, c.Pointer)
					assert.NotEmpty(t, c.Revision.File, "%s at %s has no revision file", c.ID, c.Pointer)
					assert.True(t, strings.HasPrefix(c.Pointer, "/") || c.Pointer == "", c.Pointer)
				}
				t.Logf("%s → %s: %d changes %v", filepath.Base(base), filepath.Base(rev), len(first), counts)
			})
		}
	}
}

// TestCorpusAsyncAPIMigration: the streetlights example rewritten from
// AsyncAPI 2.6 to 3.0 by the AsyncAPI project itself is the same
// application, so nothing above info.
func TestCorpusAsyncAPIMigration(t *testing.T) {
	root, series := kindsSeries(t)
	files := series["asyncapi/spec-example-streetlights-mqtt"]
	var from, to string
	for i := 1; i < len(files); i++ {
		b, r := loadKind(t, root, files[i-1]), loadKind(t, root, files[i])
		if strings.HasPrefix(b.SpecVersion, "2") && strings.HasPrefix(r.SpecVersion, "3") {
			from, to = files[i-1], files[i]
			for _, c := range diffDocs(t, b, r) {
				assert.Equal(t, finding.Info, c.Level, "%s %s at %s", c.ID, c.Message, c.Pointer)
			}
		}
	}
	require.NotEmpty(t, from, "the corpus has no 2.x → 3.x pair")
	t.Logf("%s → %s", from, to)
}
