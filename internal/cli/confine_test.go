package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/load"
)

// TestRefsCannotEscapeThroughSymlinks: a symlink inside the contract's
// directory that points outside it must not let a $ref read the target.
func TestRefsCannotEscapeThroughSymlinks(t *testing.T) {
	tmp := t.TempDir()
	outside := filepath.Join(tmp, "outside")
	contract := filepath.Join(tmp, "contract")
	require.NoError(t, os.MkdirAll(outside, 0o755))
	require.NoError(t, os.MkdirAll(contract, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("Secret: {type: string}\n"), 0o644))
	require.NoError(t, os.Symlink(outside, filepath.Join(contract, "link")))
	api := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    S: {$ref: "link/secret.yaml#/Secret"}
`
	require.NoError(t, os.WriteFile(filepath.Join(contract, "api.yaml"), []byte(api), 0o644))

	opts, err := fileLoadOptions(filepath.Join(contract, "api.yaml"), "revision")
	require.NoError(t, err)
	_, err = load.Load(opts)
	require.Error(t, err, "the symlinked file outside the tree must not be read")
	assert.Contains(t, err.Error(), "api.yaml:6")
}
