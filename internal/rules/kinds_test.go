package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
)

// fixtureDiffOptions reads the diff options of a fixture's options.txt
// (schema-role: input|output).
func fixtureDiffOptions(t *testing.T, dir string) diff.Options {
	t.Helper()
	var opts diff.Options
	data, err := os.ReadFile(filepath.Join(dir, "options.txt"))
	if os.IsNotExist(err) {
		return opts
	}
	require.NoError(t, err)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if key, val, ok := strings.Cut(line, ":"); ok && key == "schema-role" {
			opts.SchemaRole = diff.SchemaRole(strings.TrimSpace(val))
		}
	}
	return opts
}
