package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/cli"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestAuditVerifyDetectsSignedPayloadTampering: whoever can write the
// registry can also recompute its hash chain, so the chain alone cannot
// notice an edited approval. The signature does: edit anything the
// reviewer signed, re-chain the log so that it is internally consistent
// again, and `audit --verify` against the allowed-signers file fails
// naming the approval, while the chain alone still verifies.
func TestAuditVerifyDetectsSignedPayloadTampering(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed (openssh-client)")
	}
	for name, edit := range map[string]func(e *registry.Event){
		"signed time moved": func(e *registry.Event) { e.Signature.SignedAt = e.Signature.SignedAt.Add(time.Second) },
		"reviewer renamed":  func(e *registry.Event) { e.Actor = "bob@example.com" },
		"version changed": func(e *registry.Event) {
			e.Version = "1.1.0" // approve the other pending version with 1.0.0's signature
		},
		"signature swapped": func(e *registry.Event) {
			e.Signature.Armored = strings.Replace(e.Signature.Armored, "A", "B", 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Chdir(t.TempDir()) // no .relay.yaml or allowed-signers file but the ones given
			dir, allowed := signedRegistry(t)
			args := []string{"contract", "audit", "--verify", "--registry", dir, "--allowed-signers", allowed}
			code, stderr := run(t, args...)
			require.Equal(t, 0, code, stderr)

			rewriteLog(t, dir, edit)
			code, stderr = run(t, "contract", "audit", "--verify", "--registry", dir)
			if code != 0 {
				// The edit also contradicts the version's own files, which
				// the unsigned check compares with the log: caught already.
				require.Equal(t, 1, code, stderr)
				assert.Contains(t, stderr, "the audit log never gave my-team/payments@1.0.0 that status")
				return
			}
			code, stderr = run(t, args...)
			assert.Equal(t, 1, code)
			assert.Regexp(t, `^relay: the approval of my-team/payments@1\.[01]\.0 does not verify \(--allowed-signers is set\): `, stderr)
		})
	}
}

// signedRegistry is a file store where ada published 1.0.0 and 1.1.0 and
// alice approved 1.0.0 with her key; it returns the store's directory and
// the allowed-signers file.
func signedRegistry(t *testing.T) (dir, allowed string) {
	t.Helper()
	keys := t.TempDir()
	key := filepath.Join(keys, "alice")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key).CombinedOutput()
	require.NoError(t, err, string(out))
	pub, err := os.ReadFile(key + ".pub")
	require.NoError(t, err)
	allowed = filepath.Join(keys, "allowed_signers")
	f := strings.Fields(string(pub))
	require.NoError(t, os.WriteFile(allowed, []byte("alice@example.com "+f[0]+" "+f[1]+"\n"), 0o644))

	dir = filepath.Join(t.TempDir(), "registry")
	store, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	for _, v := range []string{"1.0.0", "1.1.0"} {
		_, err = store.Publish(context.Background(), registrytest.Request("my-team/payments", v, "ada", v))
		require.NoError(t, err)
	}
	require.NoError(t, store.Close())
	code, stderr := run(t, "contract", "approve", "my-team/payments@1.0.0", "--registry", dir,
		"--allowed-signers", allowed, "--sign-key", key)
	require.Equal(t, 0, code, stderr)
	return dir, allowed
}

// rewriteLog applies edit to the approve event and re-chains the log.
func rewriteLog(t *testing.T, dir string, edit func(*registry.Event)) {
	t.Helper()
	p := filepath.Join(dir, "my-team", "payments", "audit.jsonl") // the function's own chain
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	var out bytes.Buffer
	var prev *registry.Event
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e registry.Event
		require.NoError(t, json.Unmarshal([]byte(line), &e))
		if e.Action == registry.ActionApprove {
			require.NotNil(t, e.Signature, "the approval was signed")
			edit(&e)
		}
		e = registry.Chain(prev, e)
		prev = &e
		b, err := json.Marshal(e)
		require.NoError(t, err)
		out.Write(append(b, '\n'))
	}
	require.NoError(t, os.WriteFile(p, out.Bytes(), 0o644))
}

// run runs relay in-process and returns its exit code and stderr.
func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ios, _, _, stderr := iostreams.Test()
	code := cli.Main(args, ios)
	return code, stderr.String()
}
