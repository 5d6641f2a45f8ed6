package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// Registry metadata is typed by people (and a file store lives in the
// repository a pull request edits): audit, show and versions print it
// escaped, so a reason cannot forge an audit line, a name cannot send
// terminal escapes, and nothing becomes a CI workflow command.
func TestRegistryListingsEscapeMetadata(t *testing.T) {
	t.Chdir(t.TempDir())
	dir := filepath.Join(t.TempDir(), "registry")
	store, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	_, err = store.Publish(context.Background(), registrytest.Request("my-team/payments", "1.0.0", "ada\x1b]0;pwned\x07", "v1"))
	require.NoError(t, err)
	require.NoError(t, store.Close())

	run := func(args ...string) string {
		t.Helper()
		ios, _, stdout, stderr := iostreams.Test()
		code := Main(append(args, "--registry", dir), ios)
		require.Equal(t, 0, code, "relay %v: %s", args, stderr)
		return stdout.String()
	}
	forged := "no\n2\t2026-12-01T00:00:00Z\tapprove\tmy-team/payments@1.0.0\tbob\t::error::ok"
	run("contract", "reject", "my-team/payments@1.0.0", "--reviewer", "bob\u202e\u009b2J", "--reason", forged)

	wantReason := `no\n2\t2026-12-01T00:00:00Z\tapprove\tmy-team/payments@1.0.0\tbob\t:\u003aerror:\u003aok`
	audit := strings.Split(strings.TrimSuffix(run("contract", "audit"), "\n"), "\n")
	require.Len(t, audit, 2, "one line per event, whatever the reason holds")
	assert.Regexp(t, `^1\t\S+\tpublish\tmy-team/payments@1\.0\.0\tada\\u001b\]0;pwned\\u0007\t[0-9a-f]{64}$`, audit[0])
	assert.Regexp(t, `^2\t\S+\treject\tmy-team/payments@1\.0\.0\tbob\\u202e\\u009b2J\t`, audit[1])
	assert.True(t, strings.HasSuffix(audit[1], "\t"+wantReason), audit[1])

	show := run("contract", "show", "my-team/payments@1.0.0")
	assert.Contains(t, show, "author:   ada\\u001b]0;pwned\\u0007\n")
	assert.Contains(t, show, "reviewer: bob\\u202e\\u009b2J (")
	assert.Contains(t, show, "reason:   "+wantReason+"\n")

	versions := strings.Split(strings.TrimSuffix(run("contract", "versions", "my-team/payments"), "\n"), "\n")
	require.Len(t, versions, 2)
	assert.Regexp(t, `^1\.0\.0 +rejected +ada\\u001b\]0;pwned\\u0007 +bob\\u202e\\u009b2J +\S+ +first version$`, versions[1])
}
