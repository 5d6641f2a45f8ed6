package drift

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/load"
)

// corpusDir finds ../shared/corpus beside the module root, skipping the
// test when it is absent (it is not part of the repository).
func corpusDir(tb testing.TB) string {
	tb.Helper()
	c := filepath.Join("..", "..", "..", "shared", "corpus")
	if st, err := os.Stat(c); err != nil || !st.IsDir() {
		tb.Skip("../shared/corpus not found; corpus tests skipped")
	}
	return c
}

var templateVar = regexp.MustCompile(`\{[^}]*\}`)

// TestCorpus compiles every real contract of the corpus relay can judge
// traffic against and plays made-up traffic at each of its paths: the
// validator may refuse a contract (exit 1, a sentence) but must never fail
// internally, whatever the traffic.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	root := corpusDir(t)
	compiled, refused := 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		doc, err := load.Load(load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Display: rel})
		if err != nil || doc.Kind == load.AsyncAPI {
			return nil //nolint:nilerr // a contract relay cannot load is load's corpus test's business
		}
		v, err := NewValidator(context.Background(), doc, Options{Contract: rel, MaxBody: 4096})
		if err != nil {
			refused++
			t.Logf("refused: %s", err)
			assert.NotContains(t, err.Error(), "internal error", rel)
			return nil
		}
		compiled++
		playPaths(t, v, doc)
		assert.Zero(t, v.Stats().Internal, "%s: the validator failed internally", rel)
		return nil
	})
	require.NoError(t, err)
	t.Logf("%d contracts compiled, %d refused", compiled, refused)
}

// playPaths sends a few exchanges at each path of the contract (at most
// 100 paths), with bodies of every JSON type.
func playPaths(t *testing.T, v *Validator, doc *load.Document) {
	t.Helper()
	paths := doc.Main.Root.Get("paths")
	if paths == nil {
		paths = doc.Main.Root // a function contract or JSON Schema: any path will do
	}
	bodies := []string{`{"a":1,"id":"x"}`, `[1,"x",null,{"b":[]}]`, `"s"`, `12.5`, `not json`, `{"a":`}
	for i, c := range paths.Children {
		if i >= 100 {
			break
		}
		path := templateVar.ReplaceAllString(c.Key, "1")
		for j, m := range []string{"GET", "POST", "PUT", "DELETE"} {
			body := bodies[(i+j)%len(bodies)]
			v.Check(context.Background(), Exchange{Method: m, URL: path + "?limit=x&page=-1", Status: 200 + 100*(j%3),
				ReqHeader: http.Header{"Content-Type": {"application/json"}}, ReqBody: []byte(body),
				RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(body)})
		}
	}
}
