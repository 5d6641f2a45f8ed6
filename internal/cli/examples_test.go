package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	// readmeExit is the verdict line every example README carries.
	readmeExit = regexp.MustCompile(`Exit code \*\*(\d+)\*\*`)
	// readmeWith is a verdict for extra flags: "With `--flag x`, exit code **N**".
	readmeWith = regexp.MustCompile("With `([^`]+)`, exit code \\*\\*(\\d+)\\*\\*")
)

// TestExamples runs relay on every bundled example of testdata/examples
// (base.* and revision.*, or base/ and revision/ holding api.yaml) and
// holds it to the exit code its README promises.
func TestExamples(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "examples")
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	// An explicit policy keeps a .relay.yaml above the checkout out of it.
	cfg := filepath.Join(t.TempDir(), ".relay.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("fail-on: breaking\n"), 0o600))
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
			require.NoError(t, err, "every example has a README giving its verdict")
			m := readmeExit.FindSubmatch(readme)
			require.NotNil(t, m, "README has no 'Exit code **N**' line")
			base, rev := examplePair(t, dir)
			want, _ := strconv.Atoi(string(m[1]))
			assert.Equal(t, want, runExample(cfg, base, rev), "relay contract diff %s %s", base, rev)
			for _, w := range readmeWith.FindAllSubmatch(readme, -1) {
				want, _ := strconv.Atoi(string(w[2]))
				flags := strings.Fields(string(w[1]))
				assert.Equal(t, want, runExample(cfg, base, rev, flags...), "with %s", w[1])
			}
		})
		n++
	}
	assert.GreaterOrEqual(t, n, 6, "the petstore, multifile, jsonschema, function, asyncapi and asyncapi-migration examples")
}

func examplePair(t *testing.T, dir string) (base, rev string) {
	t.Helper()
	for _, pair := range [][2]string{{"base.yaml", "revision.yaml"}, {"base.json", "revision.json"}, {"base/api.yaml", "revision/api.yaml"}} {
		b, r := filepath.Join(dir, pair[0]), filepath.Join(dir, pair[1])
		if _, err := os.Stat(b); err == nil {
			return b, r
		}
	}
	t.Fatalf("%s has no base/revision pair", dir)
	return "", ""
}

func runExample(cfg, base, rev string, flags ...string) int {
	ios, _, _, _ := testIO()
	args := append([]string{"contract", "diff", base, rev, "--config", cfg}, flags...)
	return Main(args, ios)
}
