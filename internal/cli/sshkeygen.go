package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/relay-dev/relay/internal/registry/sshsig"
)

// keygen signs and verifies approvals with the ssh-keygen on PATH.
var keygen = sshsig.Keygen{Run: runSSHKeygen}

// runSSHKeygen runs ssh-keygen; a failure is its last line of stderr,
// which names the problem ("incorrect signature", "namespace does not
// match"…).
func runSSHKeygen(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	if _, err := exec.LookPath(sshsig.Program); err != nil {
		return nil, sshsig.ErrUnavailable
	}
	cmd := exec.CommandContext(ctx, sshsig.Program, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("ssh-keygen: %s", lastLine(stderr.String(), err))
	}
	return stdout.Bytes(), nil
}

func lastLine(stderr string, err error) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return strings.TrimSuffix(l, ".")
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	}
	return err.Error()
}
