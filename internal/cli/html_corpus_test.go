package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/iostreams"
)

// maxHTMLReport is the size the html report of a large real API must stay
// under: a change to a shared Stripe component reaches 444 operations, and
// listing them inline in each change made the page 13 MB.
const maxHTMLReport = 2 << 20

// TestHTMLReportSizeOnStripe renders the html report of each adjacent pair
// of Stripe descriptions in ../shared/corpus (skipped when it is absent:
// the corpus is not ours to ship) and checks the size and that the page
// stays offline.
func TestHTMLReportSizeOnStripe(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 4 MB contracts; skipped with -short")
	}
	corpus := sharedCorpus(t)
	external := regexp.MustCompile(`(?i)<[^>]*\s(src|href|action|srcset|poster|data|formaction)\s*=\s*["']?\s*(https?:)?//`)
	for _, series := range []string{"stripe-json", "stripe-yaml"} {
		files, _ := filepath.Glob(filepath.Join(corpus, "openapi", series, "*"))
		sort.Strings(files)
		if len(files) < 2 {
			t.Logf("no %s pair in the corpus", series)
			continue
		}
		for i := 1; i < len(files); i++ {
			base, rev := files[i-1], files[i]
			t.Run(series+"/"+filepath.Base(rev), func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "r.html")
				ios, _, _, stderr := iostreams.Test()
				code := Main([]string{"contract", "diff", base, rev, "--format", "html", "--output", out}, ios)
				require.Contains(t, []int{0, 10, 20}, code, stderr.String())
				page, err := os.ReadFile(out)
				require.NoError(t, err)
				t.Logf("%s → %s: html report %d bytes", filepath.Base(base), filepath.Base(rev), len(page))
				assert.Less(t, len(page), maxHTMLReport)
				assert.Empty(t, external.FindAllString(string(page), -1), "the page loads nothing from the network")
				assert.Equal(t, 1, strings.Count(strings.ToLower(string(page)), "<script"))
			})
		}
	}
}

// sharedCorpus finds ../shared/corpus beside the module root, or skips.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("module root not found; corpus test skipped")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("../shared/corpus not found; corpus test skipped")
	}
	return corpus
}
