package cli_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestApproveWithGitsLiteralSigningKey: like git, approve signs with
// user.signingkey = "key::ssh-ed25519 …" when gpg.format is ssh, the
// private half held by ssh-agent, and no --reviewer or --sign-key.
func TestApproveWithGitsLiteralSigningKey(t *testing.T) {
	for _, tool := range []string{"ssh-keygen", "ssh-agent", "ssh-add", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	t.Chdir(t.TempDir())
	dir, allowed := signedRegistry(t)
	key := filepath.Join(filepath.Dir(allowed), "alice")

	sock := filepath.Join(t.TempDir(), "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	stdout, err := agent.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, agent.Start())
	t.Cleanup(func() { _ = agent.Process.Kill(); _ = agent.Wait() })
	// The agent prints its environment once its socket listens.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Contains(t, line, "SSH_AUTH_SOCK="+sock)
	t.Setenv("SSH_AUTH_SOCK", sock)
	out, err := exec.Command("ssh-add", "-q", key).CombinedOutput()
	require.NoError(t, err, string(out))

	pub, err := os.ReadFile(key + ".pub")
	require.NoError(t, err)
	gitconfig := filepath.Join(t.TempDir(), "gitconfig")
	require.NoError(t, os.WriteFile(gitconfig, []byte("[gpg]\n\tformat = ssh\n[user]\n\tsigningkey = key::"+strings.TrimSpace(string(pub))+"\n"), 0o644))
	t.Setenv("GIT_CONFIG_GLOBAL", gitconfig)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")

	code, stderr := run(t, "contract", "approve", "my-team/payments@1.1.0", "--registry", dir, "--allowed-signers", allowed)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "my-team/payments@1.1.0 is approved by alice@example.com (signed)\n", stderr)
	code, stderr = run(t, "contract", "audit", "--verify", "--registry", dir, "--allowed-signers", allowed)
	assert.Equal(t, 0, code, stderr)
}
