package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mdLink matches a markdown link's target: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocsLinkOnlyWhatTheRepositoryHolds: a user's clone holds the
// repository and nothing beside it, so the user documentation (README.md,
// docs/ and every other markdown file) must not send readers to files it
// does not hold: every relative link resolves inside the repository, and
// the project's private design notes are not cited as if users had them.
func TestDocsLinkOnlyWhatTheRepositoryHolds(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	var docs []string
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "bin" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") {
			docs = append(docs, p)
		}
		return nil
	}))
	require.Contains(t, docs, filepath.Join(root, "README.md"))
	for _, doc := range docs {
		rel, _ := filepath.Rel(root, doc)
		data, err := os.ReadFile(doc)
		require.NoError(t, err)
		text := string(data)
		for _, banned := range []string{"DESIGN.md", "../shared/corpus", "shared folder"} {
			// benchmarks.md is where the optional corpus is explained.
			if strings.Contains(text, banned) && (rel != filepath.Join("docs", "benchmarks.md") || banned == "DESIGN.md") {
				t.Errorf("%s cites %s, which a clone does not hold", rel, banned)
			}
		}
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			p := filepath.Clean(filepath.Join(filepath.Dir(doc), filepath.FromSlash(target)))
			if r, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(r, "..") {
				t.Errorf("%s links %s, outside the repository", rel, m[1])
				continue
			}
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s links %s, which the repository does not hold", rel, m[1])
			}
		}
	}
}
