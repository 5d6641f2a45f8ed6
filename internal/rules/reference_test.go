package rules_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/rules"
)

// TestReference fails when contracts/rules.md no longer matches the
// catalog; -update regenerates it.
func TestReference(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, rules.WriteReference(&buf))
	path := filepath.Join("..", "..", "contracts", "rules.md")
	if *update {
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "contracts/rules.md missing: go test ./internal/rules -run TestReference -update")
	assert.Equal(t, string(want), buf.String(), "contracts/rules.md is stale: go test ./internal/rules -run TestReference -update")
	for _, r := range rules.All() {
		assert.Contains(t, buf.String(), "\n## "+r.ID+"\n")
	}
}
