package load

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

// corpusDir finds ../shared/corpus next to the module root, or "".
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
			return ""
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if st, err := os.Stat(c); err != nil || !st.IsDir() {
		return ""
	}
	return c
}

func requireCorpus(tb testing.TB) string {
	tb.Helper()
	c := corpusDir(tb)
	if c == "" {
		tb.Skip("../shared/corpus not found; corpus tests skipped")
	}
	return c
}

// corpusRefused lists corpus files that are refused on purpose, with the
// position and phrase of their error. None is self-contained: each $refs a
// remote document (refused without --allow-remote-refs) or a sibling file
// of its source repository that the corpus does not hold. (The AsyncAPI
// adeo files load: their remote $refs are Avro payloads and Kafka binding
// schemas, which relay compares as written without loading them.)
var corpusRefused = map[string]string{
	"jsonschema/schemastore-dependabot-2.0/02-b582ac3e.json": `:8:15: remote $ref "https://json.schemastore.org/base.json#/definitions/timezone" is refused`,
	"jsonschema/schemastore-eslintrc/04-ef1dcef4.json":       `:1442:19: unresolvable $ref "partial-eslint-plugins.json": no such file`,
	"jsonschema/schemastore-package/02-39d11987.json":        `:760:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/03-1a08e09d.json":        `:829:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/04-3f253fb7.json":        `:1033:15: remote $ref "https://json.schemastore.org/eslintrc.json" is refused`,
	"jsonschema/schemastore-package/05-2a3fb603.json":        `:1080:15: unresolvable $ref "eslintrc.json": no such file`,
}

// loadCorpusFile loads one corpus file from a FS rooted at its directory.
func loadCorpusFile(tb testing.TB, corpus, rel string) (*Document, error) {
	tb.Helper()
	dir, name := filepath.Split(filepath.Join(corpus, rel))
	return Load(Options{FS: os.DirFS(dir), Path: name, Display: filepath.ToSlash(rel)})
}

func TestCorpusLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus takes a while to load; skipped with -short")
	}
	corpus := requireCorpus(t)
	var files []string
	require.NoError(t, filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(p); ext == ".json" || ext == ".yaml" || ext == ".yml" {
			rel, _ := filepath.Rel(corpus, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	}))
	require.NotEmpty(t, files)
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			doc, err := loadCorpusFile(t, corpus, rel)
			if want, ok := corpusRefused[rel]; ok {
				require.Error(t, err)
				var se *source.Error
				require.True(t, errors.As(err, &se), "error %T is not a *source.Error", err)
				assert.Contains(t, err.Error(), rel+want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, strings.Split(rel, "/")[0] == "swagger2", doc.Kind == Swagger)
			assert.NotEmpty(t, doc.SHA256)
		})
	}
}

func benchLoad(b *testing.B, rel string) {
	corpus := requireCorpus(b)
	dir, name := filepath.Split(filepath.Join(corpus, rel))
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Load(Options{FS: os.DirFS(dir), Path: name, Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadStripeJSON(b *testing.B) {
	benchLoad(b, "openapi/stripe-json/03-e0123a38.json")
}

func BenchmarkLoadStripeYAML(b *testing.B) {
	benchLoad(b, "openapi/stripe-yaml/03-63a67463.yaml")
}

// TestCorpusKeyLines checks every member key of every corpus file against
// the file's text: the line relay reports for the key must hold it (as
// written, or JSON-escaped). It caught goccy counting CRLF breaks twice
// inside multi-line scalars, which put findings past the end of the file.
func TestCorpusKeyLines(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpus takes a while to parse; skipped with -short")
	}
	corpus := requireCorpus(t)
	require.NoError(t, filepath.WalkDir(corpus, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := filepath.Ext(p)
		if ext != ".json" && ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		f, err := ParseFile(p, data)
		require.NoError(t, err)
		lines := strings.Split(string(data), "\n")
		bad := 0
		f.Root.Walk(func(n *source.Node) bool {
			if n.KeyLine == 0 || bad >= 3 {
				return bad < 3
			}
			l := int(n.KeyLine)
			text := ""
			if l <= len(lines) {
				text = lines[l-1]
			}
			escaped, _ := json.Marshal(n.Key)
			if !strings.Contains(text, n.Key) && !strings.Contains(text, strings.Trim(string(escaped), `"`)) {
				bad++
				t.Errorf("%s: key %q reported at line %d, which reads %q", p, n.Key, l, source.Truncate(text, 80))
			}
			return true
		})
		return nil
	}))
}
