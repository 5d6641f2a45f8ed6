package sshsig_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/registry/sshsig"
)

// newKey makes a throwaway ed25519 key and returns its private key path
// and its public key line.
func newKey(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	if _, err := exec.LookPath(sshsig.Program); err != nil {
		t.Skip("ssh-keygen is not installed (openssh-client)")
	}
	p := filepath.Join(dir, name)
	if out, err := exec.Command(sshsig.Program, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", p).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(p + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(pub))
	return p, f[0] + " " + f[1]
}

// keygen runs the real ssh-keygen, as the CLI does.
var keygen = sshsig.Keygen{Run: func(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, sshsig.Program, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.New("ssh-keygen: " + strings.TrimSpace(stderr.String()))
	}
	return out, nil
}}

func TestSignFindVerify(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	alice, alicePub := newKey(t, dir, "alice")
	mallory, _ := newKey(t, dir, "mallory")
	allowed := filepath.Join(dir, "allowed_signers")
	line := `alice@example.com,alice namespaces="relay-approval@my-team" ` + alicePub + "\n"
	if err := os.WriteFile(allowed, []byte("# reviewers\n"+line), 0o644); err != nil {
		t.Fatal(err)
	}
	data := []byte("payload\n")
	sig, err := keygen.Sign(ctx, alice, "relay-approval@my-team", data)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := keygen.FindPrincipals(ctx, allowed, sig)
	if err != nil || strings.Join(ps, " ") != "alice@example.com alice" {
		t.Fatalf("FindPrincipals = %q, %v", ps, err)
	}
	if err := keygen.Verify(ctx, allowed, "alice@example.com", "relay-approval@my-team", sig, data); err != nil {
		t.Errorf("Verify of a good signature: %v", err)
	}
	for name, check := range map[string]func() error{
		"other data": func() error {
			return keygen.Verify(ctx, allowed, "alice", "relay-approval@my-team", sig, []byte("payloae\n"))
		},
		"other principal": func() error { return keygen.Verify(ctx, allowed, "bob", "relay-approval@my-team", sig, data) },
		"other team": func() error {
			other, err := keygen.Sign(ctx, alice, "relay-approval@billing", data)
			if err != nil {
				return nil
			}
			return keygen.Verify(ctx, allowed, "alice", "relay-approval@billing", other, data)
		},
		"garbage": func() error {
			return keygen.Verify(ctx, allowed, "alice", "relay-approval@my-team", "not a signature", data)
		},
	} {
		if err := check(); err == nil || !strings.HasPrefix(err.Error(), "ssh-keygen: ") {
			t.Errorf("%s: Verify = %v, want an ssh-keygen error", name, err)
		}
	}
	malSig, err := keygen.Sign(ctx, mallory, "relay-approval@my-team", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keygen.FindPrincipals(ctx, allowed, malSig); err == nil || err.Error() != "the signing key is not listed in "+allowed {
		t.Errorf("FindPrincipals of an unlisted key = %v", err)
	}
	if _, err := keygen.Sign(ctx, filepath.Join(dir, "missing"), "relay-approval@my-team", data); err == nil ||
		!strings.HasPrefix(err.Error(), "cannot sign with "+filepath.Join(dir, "missing")+": ssh-keygen: ") {
		t.Errorf("Sign with a missing key = %v", err)
	}
}
