package contracts

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCIScriptRefusesSelfApprovedPR plays issue 12's attack in a throwaway
// repository: main holds an approved, signed 1.0.0 and the allowed-signers
// file; a pull request publishes a breaking 2.0.0 and approves it itself,
// commits .relay/registry, and the gate runs on the pull request's tree
// with the allowed-signers file read from main (as CI must: the pull
// request can edit its own copy). Every forgery still exits 20; a real
// reviewer's signed approval lets the same change through.
func TestCIScriptRefusesSelfApprovedPR(t *testing.T) {
	relay := buildRelay(t)
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed (openssh-client)")
	}
	for _, c := range []struct {
		name  string
		forge func(t *testing.T, r *prRepo)
		want  int
	}{
		{name: "free-text reviewer with the requirement turned off", want: 20, forge: func(t *testing.T, r *prRepo) {
			write(t, r.dir, ".relay.yaml", signedManifest+"approvals: {require-signature: false}\n")
			r.relay(t, 0, "contract", "approve", "my-team/pets@2.0.0", "--reviewer", "someone-else")
		}},
		{name: "free-text reviewer with the allowed-signers file deleted", want: 20, forge: func(t *testing.T, r *prRepo) {
			require.NoError(t, os.Remove(filepath.Join(r.dir, ".relay", "allowed_signers")))
			r.relay(t, 0, "contract", "approve", "my-team/pets@2.0.0", "--reviewer", "someone-else")
		}},
		{name: "the author's own key added to the pull request's allowed signers", want: 20, forge: func(t *testing.T, r *prRepo) {
			f, err := os.OpenFile(filepath.Join(r.dir, ".relay", "allowed_signers"), os.O_APPEND|os.O_WRONLY, 0o644)
			require.NoError(t, err)
			_, err = f.WriteString("someone-else " + pubKey(t, r.keys, "mallory") + "\n")
			require.NoError(t, err)
			require.NoError(t, f.Close())
			r.relay(t, 0, "contract", "approve", "my-team/pets@2.0.0", "--sign-key", filepath.Join(r.keys, "mallory"))
		}},
		{name: "an allowed reviewer signs", want: 0, forge: func(t *testing.T, r *prRepo) {
			r.relay(t, 0, "contract", "approve", "my-team/pets@2.0.0", "--sign-key", filepath.Join(r.keys, "alice"))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newSignedRepo(t, relay)
			git(t, r.dir, "checkout", "-q", "-b", "pr")
			write(t, r.dir, "api.yaml", breaking)
			r.relay(t, 0, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "mallory")
			c.forge(t, r)
			git(t, r.dir, "add", "-A")
			git(t, r.dir, "commit", "-q", "-m", "pets v2, approved")

			trusted := filepath.Join(t.TempDir(), "allowed_signers")
			cmd := exec.Command("git", "show", "main:.relay/allowed_signers")
			cmd.Dir, cmd.Env = r.dir, hermeticEnv(r.dir)
			out, err := cmd.Output()
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(trusted, out, 0o644))

			code, stderr := runScript(t, r.dir, "run_ci_contract_diff.sh",
				[]string{"RELAY=" + relay, "RELAY_ALLOWED_SIGNERS=" + trusted})
			assert.Equal(t, c.want, code, stderr)
			if c.want == 20 {
				assert.Contains(t, stderr, "relay: warning: the approval of my-team/pets@2.0.0 is not honoured")
				assert.Contains(t, stderr, "using my-team/pets@1.0.0, the latest version whose approval verifies")
				assert.Contains(t, stderr, "response-property-removed")
			}
		})
	}
}

const signedManifest = "contracts:\n  - function: my-team/pets\n    path: api.yaml\n"

// prRepo is a repository whose main branch has the manifest, the
// allowed-signers file (alice reviews for my-team) and 1.0.0 of
// my-team/pets, published by ada and approved with alice's key.
type prRepo struct {
	dir, keys, relayBin string
}

func newSignedRepo(t *testing.T, relayBin string) *prRepo {
	t.Helper()
	r := &prRepo{dir: t.TempDir(), keys: t.TempDir(), relayBin: relayBin}
	for _, name := range []string{"alice", "mallory"} {
		out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", filepath.Join(r.keys, name)).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	write(t, r.dir, ".relay.yaml", signedManifest)
	write(t, r.dir, "api.yaml", baseContract)
	require.NoError(t, os.MkdirAll(filepath.Join(r.dir, ".relay"), 0o755))
	write(t, r.dir, ".relay/allowed_signers",
		`alice@example.com namespaces="relay-approval@my-team" `+pubKey(t, r.keys, "alice")+"\n")
	git(t, r.dir, "init", "-q")
	r.relay(t, 0, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "ada")
	r.relay(t, 0, "contract", "approve", "my-team/pets@1.0.0", "--sign-key", filepath.Join(r.keys, "alice"))
	git(t, r.dir, "add", "-A")
	git(t, r.dir, "commit", "-q", "-m", "pets v1, approved by alice")
	return r
}

// relay runs the relay binary in the repository and insists on its exit code.
func (r *prRepo) relay(t *testing.T, want int, args ...string) {
	t.Helper()
	cmd := exec.Command(r.relayBin, args...)
	cmd.Dir, cmd.Env = r.dir, hermeticEnv(r.dir)
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	require.Equal(t, want, code, "relay %s:\n%s", strings.Join(args, " "), out)
}

// pubKey is the "type base64" part of a generated public key.
func pubKey(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name+".pub"))
	require.NoError(t, err)
	f := strings.Fields(string(b))
	require.GreaterOrEqual(t, len(f), 2)
	return f[0] + " " + f[1]
}

// TestCIScriptTakesAllowedSignersFromTarget: in a pull request the script
// verifies approvals against the allowed-signers file of the target branch
// by itself, so a pull request that turns signatures off in its own
// .relay.yaml cannot make an unsigned approval on the target count (one
// pushed straight to main by someone with write access, say).
func TestCIScriptTakesAllowedSignersFromTarget(t *testing.T) {
	relay := buildRelay(t)
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed (openssh-client)")
	}
	r := newSignedRepo(t, relay)
	// On main: a breaking 2.0.0 approved with a free-text reviewer, which a
	// .relay.yaml without signatures accepts.
	write(t, r.dir, ".relay.yaml", signedManifest+"approvals: {require-signature: false}\n")
	write(t, r.dir, "api.yaml", breaking)
	r.relay(t, 0, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "mallory")
	r.relay(t, 0, "contract", "approve", "my-team/pets@2.0.0", "--reviewer", "someone-else")
	write(t, r.dir, ".relay.yaml", signedManifest)
	git(t, r.dir, "add", "-A")
	git(t, r.dir, "commit", "-q", "-m", "pets v2, approved without a signature")
	// The pull request turns signatures off and changes the contract again.
	git(t, r.dir, "checkout", "-q", "-b", "pr")
	write(t, r.dir, ".relay.yaml", signedManifest+"approvals: {require-signature: false}\n")
	git(t, r.dir, "commit", "-q", "-am", "no signatures please")

	code, stderr := runScript(t, r.dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay, "GITHUB_BASE_REF=main"})
	assert.Equal(t, 20, code, stderr)
	assert.Contains(t, stderr, "the approval of my-team/pets@2.0.0 is not honoured")
}
