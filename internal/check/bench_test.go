package check_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
)

// corpusPair returns the last two versions of a corpus series (the files
// of ../shared/corpus/DIR in name order), skipping without the corpus: it
// is not part of the repository.
func corpusPair(tb testing.TB, dir string) (base, rev string) {
	tb.Helper()
	root := filepath.Join("..", "..", "..", "shared", "corpus", filepath.FromSlash(dir))
	entries, err := os.ReadDir(root)
	if err != nil {
		tb.Skipf("../shared/corpus/%s not found (%v); corpus benchmark skipped", dir, err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if len(names) < 2 {
		tb.Skipf("../shared/corpus/%s has fewer than two versions", dir)
	}
	return filepath.Join(root, names[len(names)-2]), filepath.Join(root, names[len(names)-1])
}

func osSide(p string) check.Side {
	return check.Side{Open: func(context.Context) (load.Options, error) {
		return load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Display: p}, nil
	}}
}

// BenchmarkRunStripe is what `relay contract diff` costs on the largest
// real pair, minus rendering: the whole pipeline, both sides loaded, with
// validation (the default) and without it (--validate off, which is what
// the diff cost before validation existed).
func BenchmarkRunStripe(b *testing.B) {
	for _, series := range []string{"openapi/stripe-json", "openapi/stripe-yaml"} {
		base, rev := corpusPair(b, series)
		for _, mode := range []check.ValidateMode{check.ValidateStrict, check.ValidateOff} {
			b.Run(filepath.Base(series)+"/validate="+string(mode), func(b *testing.B) {
				b.ReportAllocs()
				in := check.Input{Base: osSide(base), Revision: osSide(rev), Validate: mode,
					Tool: report.Tool{Name: "relay", Version: "bench"}}
				for b.Loop() {
					if _, err := check.Run(context.Background(), in); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
