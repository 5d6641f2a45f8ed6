package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/notify"
)

func runApprove(ctx context.Context, opts *ApproveOptions) error {
	hook, err := opts.webhook()
	if err != nil {
		return err
	}
	key, cleanup, err := opts.signingKey()
	if err != nil {
		return err
	}
	defer cleanup()
	return opts.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		// A proposal made against an older active version is checked again
		// against the one active now before anything is written.
		if err := opts.checkCurrent(ctx, s); err != nil {
			return err
		}
		if opts.policy == nil && opts.SignKey == "" {
			key = "" // PostgreSQL: git's signing key is for the file registry
		}
		if key == "" {
			return opts.approveUnsigned(ctx, s, hook)
		}
		return opts.approveSigned(ctx, s, hook, key)
	})
}

// approveUnsigned records an approval with a free-text reviewer: what a
// registry without an allowed-signers file (or with signatures turned off)
// accepts.
func (o *ApproveOptions) approveUnsigned(ctx context.Context, s registry.Store, hook *notify.Webhook) error {
	if p := o.policy; p != nil && p.Required {
		return fmt.Errorf("%s needs a signed approval (%s): pass --sign-key KEY, or set git's user.signingkey with gpg.format ssh",
			registry.Ref(o.Function, o.Version), p.Why)
	}
	if o.Reviewer == "" && o.policy != nil {
		return usageErrorf("approve needs --reviewer NAME, or --sign-key KEY to sign the approval")
	}
	return o.record(ctx, s, hook, registry.Change{Function: o.Function, Version: o.Version, Actor: o.Reviewer,
		Reason: o.Reason, To: registry.Approved, AllowSelf: o.AllowSelf})
}

// approveSigned signs the approval and records it; on a version that is
// already approved, it adds the signature to the existing approval.
func (o *ApproveOptions) approveSigned(ctx context.Context, s registry.Store, hook *notify.Webhook, key string) error {
	switch {
	case o.policy == nil:
		return usageErrorf("--sign-key is for the file registry: a PostgreSQL registry records the database identity as the reviewer")
	case o.policy.File == "":
		return fmt.Errorf("cannot sign the approval of %s: there is no allowed-signers file (%s, or approvals.allowed-signers in .relay.yaml) listing the reviewers' keys",
			registry.Ref(o.Function, o.Version), defaultAllowedSigners)
	case o.AllowSelf:
		return usageErrorf("--allow-self-approval cannot be signed: a signed approval comes from another reviewer (a solo project sets approvals.require-signature: false)")
	}
	v, err := s.Get(ctx, o.Function, o.Version)
	if err != nil {
		return err
	}
	sig, principal, err := o.sign(ctx, key, v)
	if err != nil {
		return err
	}
	if v.Live() {
		return o.countersign(ctx, s, v, principal, sig)
	}
	return o.record(ctx, s, hook, registry.Change{Function: o.Function, Version: o.Version, Actor: principal,
		Reason: o.Reason, To: registry.Approved, Signature: sig})
}

// countersign adds a signature to the approval of a live version.
func (o *ApproveOptions) countersign(ctx context.Context, s registry.Store, v registry.Version, principal string, sig *registry.Signature) error {
	if sameName(principal, v.Author) {
		return registry.Errorf(registry.ErrSelfApproval, "%s cannot be signed off by its own author %s; ask another reviewer", v.Ref(), principal)
	}
	if err := s.Note(ctx, v.Function, v.Version, principal, registry.ActionSign, registry.SignNote(*sig)); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.ErrOut, "%s was already %s; its approval is now signed by %s\n", v.Ref(), v.Status, principal)
	return nil
}

// sign signs the approval of v with key and returns the signature and the
// reviewer: the principal the allowed-signers file lists for the key.
func (o *ApproveOptions) sign(ctx context.Context, key string, v registry.Version) (*registry.Signature, string, error) {
	file, ns := o.policy.File, registry.SignatureNamespace(v.Function)
	principal := o.Reviewer
	if principal == "" {
		// Who the key belongs to is known only from a signature.
		probe, err := keygen.Sign(ctx, key, ns, []byte("relay-approval/probe\n"))
		if err != nil {
			return nil, "", err
		}
		if principal, err = o.principalOf(ctx, key, probe); err != nil {
			return nil, "", err
		}
	}
	at := registry.Clock(o.Now).Stamp()
	payload := registry.ApprovalPayload(v.Function, v.Version, v.SHA256, registry.ActionApprove, principal, at)
	armored, err := keygen.Sign(ctx, key, ns, payload)
	if err != nil {
		return nil, "", err
	}
	if _, err := o.principalOf(ctx, key, armored); err != nil {
		return nil, "", err
	}
	if !slices.Contains(o.principals, principal) {
		return nil, "", fmt.Errorf("--reviewer %s does not match the signing key %s, which %s lists as %s",
			principal, key, file, strings.Join(o.principals, ", "))
	}
	if err := keygen.Verify(ctx, file, principal, ns, armored, payload); err != nil {
		return nil, "", fmt.Errorf("%s may not approve %s: %s does not allow the key for %s (%w)", principal, v.Ref(), file, ns, err)
	}
	return &registry.Signature{SignedAt: at, Armored: armored}, principal, nil
}

// principalOf finds the principals the allowed-signers file lists for the
// key that made sig, keeps them in o.principals and returns the first.
func (o *ApproveOptions) principalOf(ctx context.Context, key, sig string) (string, error) {
	ps, err := keygen.FindPrincipals(ctx, o.policy.File, sig)
	if err != nil {
		return "", fmt.Errorf("cannot approve %s with %s: %w", registry.Ref(o.Function, o.Version), key, err)
	}
	o.principals = ps
	return ps[0], nil
}

// signingKey is --sign-key, else git's user.signingkey when gpg.format is
// ssh, as git signs commits; "" means unsigned. A literal "key::…" public
// key is written to a temporary file for ssh-keygen, which then signs
// through ssh-agent; cleanup removes it.
func (o *ApproveOptions) signingKey() (key string, cleanup func(), err error) {
	cleanup = func() {}
	key = o.SignKey
	if key == "" {
		key = gitSigningKey()
	}
	if literal, ok := strings.CutPrefix(key, "key::"); ok {
		dir, err := os.MkdirTemp("", "relay-key-")
		if err != nil {
			return "", cleanup, err
		}
		key, cleanup = filepath.Join(dir, "signing-key.pub"), func() { _ = os.RemoveAll(dir) }
		return key, cleanup, os.WriteFile(key, []byte(literal+"\n"), 0o600)
	}
	if rest, ok := strings.CutPrefix(key, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			key = filepath.Join(home, rest)
		}
	}
	return key, cleanup, nil
}

// gitSigningKey is git's user.signingkey when gpg.format is ssh, else "".
func gitSigningKey() string {
	if gitConfig("gpg.format") != "ssh" {
		return ""
	}
	return gitConfig("user.signingkey")
}

// gitConfig reads one git configuration value; "" when unset.
func gitConfig(name string) string {
	out, err := exec.Command("git", "config", "--get", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
