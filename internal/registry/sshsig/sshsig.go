// Package sshsig signs and verifies registry decisions with OpenSSH's
// signature format, the mechanism git already uses for signed commits:
// ssh-keygen -Y sign, -Y find-principals and -Y verify against an
// allowed-signers file (see ssh-keygen(1), ALLOWED SIGNERS). It drives
// ssh-keygen rather than reimplementing the format, so keys held by
// ssh-agent, hardware keys and certificate authorities work as they do for
// git. Starting the process is the CLI's job: it hands in a Run function.
package sshsig

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Program is the ssh-keygen that Run is expected to start.
const Program = "ssh-keygen"

// ErrUnavailable is returned (wrapped) by Run when ssh-keygen is not
// installed.
var ErrUnavailable = errors.New("ssh-keygen is not installed: signed approvals need OpenSSH 8.2 or later (Debian/Ubuntu: openssh-client)")

// Run runs ssh-keygen with args and stdin as its standard input and
// returns its standard output; a failure's error names the problem
// ssh-keygen reported.
type Run func(ctx context.Context, stdin []byte, args ...string) ([]byte, error)

// Keygen signs and verifies through ssh-keygen.
type Keygen struct {
	Run Run
}

// Sign signs data with key (a private key file, or a public key whose
// private half is in ssh-agent) in namespace and returns the armored
// signature.
func (k Keygen) Sign(ctx context.Context, key, namespace string, data []byte) (string, error) {
	out, err := k.Run(ctx, data, "-Y", "sign", "-n", namespace, "-f", key)
	if err != nil {
		return "", fmt.Errorf("cannot sign with %s: %w", key, err)
	}
	sig := strings.TrimSpace(string(out))
	if !strings.HasPrefix(sig, "-----BEGIN SSH SIGNATURE-----") {
		return "", fmt.Errorf("cannot sign with %s: ssh-keygen wrote no signature", key)
	}
	return sig, nil
}

// FindPrincipals returns the principals that allowedSigners lists for the
// key that made sig; none is an error.
func (k Keygen) FindPrincipals(ctx context.Context, allowedSigners, sig string) ([]string, error) {
	sigFile, cleanup, err := tempSig(sig)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	out, err := k.Run(ctx, nil, "-Y", "find-principals", "-s", sigFile, "-f", allowedSigners)
	if errors.Is(err, ErrUnavailable) {
		return nil, err
	}
	var ps []string
	for _, line := range strings.Split(string(out), "\n") {
		for _, p := range strings.Split(strings.TrimSpace(line), ",") {
			if p != "" {
				ps = append(ps, p)
			}
		}
	}
	if err != nil || len(ps) == 0 {
		return nil, fmt.Errorf("the signing key is not listed in %s", allowedSigners)
	}
	return ps, nil
}

// Verify checks that sig is principal's signature of data in namespace,
// by a key allowedSigners lists for principal and that namespace.
func (k Keygen) Verify(ctx context.Context, allowedSigners, principal, namespace, sig string, data []byte) error {
	sigFile, cleanup, err := tempSig(sig)
	if err != nil {
		return err
	}
	defer cleanup()
	_, err = k.Run(ctx, data, "-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", namespace, "-s", sigFile)
	return err
}

// tempSig writes sig to a private temporary file: ssh-keygen reads
// signatures only from files.
func tempSig(sig string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "relay-sshsig-")
	if err != nil {
		return "", nil, fmt.Errorf("cannot write a temporary signature file: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	p := filepath.Join(dir, "approval.sig")
	if err := os.WriteFile(p, []byte(strings.TrimSpace(sig)+"\n"), 0o600); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("cannot write a temporary signature file: %w", err)
	}
	return p, cleanup, nil
}
