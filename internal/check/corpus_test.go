package check_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/relay-dev/relay/internal/check"
)

// corpusSeries lists ../shared/corpus's series (KIND/API) with their
// versions in order, skipping without the corpus: it is not ours to ship.
func corpusSeries(t *testing.T) map[string][]string {
	t.Helper()
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	kinds, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("../shared/corpus not found (%v); corpus test skipped", err)
	}
	out := map[string][]string{}
	for _, k := range kinds {
		if !k.IsDir() {
			continue
		}
		apis, _ := os.ReadDir(filepath.Join(root, k.Name()))
		for _, a := range apis {
			files, _ := os.ReadDir(filepath.Join(root, k.Name(), a.Name()))
			var paths []string
			for _, f := range files {
				paths = append(paths, filepath.Join(root, k.Name(), a.Name(), f.Name()))
			}
			sort.Strings(paths)
			out[k.Name()+"/"+a.Name()] = paths
		}
	}
	return out
}

// TestCorpusPairsUnderEachMode: on real specs, --validate warn compares
// every adjacent pair the loader reads, whatever defects the specs have,
// and strict refuses with InvalidError the pairs whose revision warn found
// problems in. (Which corpus files are invalid, and why, is recorded in
// the validate package's corpus test.)
func TestCorpusPairsUnderEachMode(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus pairs take a while; skipped with -short")
	}
	for name, files := range corpusSeries(t) {
		for i := 1; i < len(files); i++ {
			base, rev := files[i-1], files[i]
			t.Run(name+"/"+filepath.Base(rev), func(t *testing.T) {
				in := check.Input{Base: osSide(base), Revision: osSide(rev), Now: now, Validate: check.ValidateWarn}
				res, err := check.Run(context.Background(), in)
				if err != nil {
					var inv *check.InvalidError
					if errors.As(err, &inv) {
						t.Fatalf("warn mode refused the pair: %v", err)
					}
					t.Skipf("the loader does not read this pair: %v", err) // load's corpus test owns these
				}
				if res.Report.Validation == nil || len(res.Report.Validation.Revision) == 0 {
					return // strict runs the same code with nothing to refuse
				}
				in.Validate = check.ValidateStrict
				_, err = check.Run(context.Background(), in)
				var inv *check.InvalidError
				if !errors.As(err, &inv) {
					t.Errorf("strict mode: got %v, want InvalidError", err)
				}
			})
		}
	}
}
