package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/sshsig"
)

// AllowedSignersEnv names the allowed-signers file the gate trusts. It is
// meant for CI, which reads the file from the target branch (a pull
// request can edit its own copy): when it is set, signed approvals are
// required whatever .relay.yaml says.
const AllowedSignersEnv = "RELAY_ALLOWED_SIGNERS"

// defaultAllowedSigners is the allowed-signers file's place in a repository.
const defaultAllowedSigners = ".relay/allowed_signers"

// trustOptions say where the approval policy comes from.
type trustOptions struct {
	// AllowedSigners is --allowed-signers; it wins over $RELAY_ALLOWED_SIGNERS.
	AllowedSigners string
	// ConfigPath is --config; "" means the nearest .relay.yaml.
	ConfigPath string
	Getenv     func(string) string
	// Warn receives the warnings about approvals that are not honoured.
	Warn io.Writer
}

// approvalPolicy is whether approvals must be signed, and by whom.
type approvalPolicy struct {
	// Required: an approval without a valid signature is not honoured.
	Required bool
	// File is the allowed-signers file; "" when there is none.
	File string
	// Why names what made signatures required, for messages.
	Why string
}

// policy decides the approval policy: --allowed-signers or
// $RELAY_ALLOWED_SIGNERS require signatures against that file; otherwise
// .relay.yaml's approvals: section decides, and by default signatures are
// required exactly when the allowed-signers file exists.
func (t trustOptions) policy() (*approvalPolicy, error) {
	getenv := t.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, given := range []struct{ path, from string }{
		{t.AllowedSigners, "--allowed-signers"}, {getenv(AllowedSignersEnv), "$" + AllowedSignersEnv},
	} {
		if given.path == "" {
			continue
		}
		if err := checkSignersFile(given.path); err != nil {
			return nil, fmt.Errorf("%s names %s, %w", given.from, given.path, err)
		}
		return &approvalPolicy{Required: true, File: given.path, Why: given.from + " is set"}, nil
	}
	cfg, err := loadConfig(t.ConfigPath)
	if err != nil {
		return nil, err
	}
	return configPolicy(cfg)
}

// configPolicy reads the approvals: section (cfg may be nil).
func configPolicy(cfg *config.Config) (*approvalPolicy, error) {
	file := filepath.Join(repoRoot(), defaultAllowedSigners)
	var a *config.Approvals
	if cfg != nil && cfg.Approvals != nil {
		a = cfg.Approvals
		if a.AllowedSigners != "" {
			file = filepath.Join(filepath.Dir(cfg.Path), a.AllowedSigners)
		}
	}
	exists := checkSignersFile(file) == nil
	switch {
	case a != nil && a.RequireSignature != nil && !*a.RequireSignature:
		return &approvalPolicy{File: existing(file, exists)}, nil
	case a != nil && a.RequireSignature != nil:
		if err := checkSignersFile(file); err != nil {
			return nil, fmt.Errorf("%s: approvals.require-signature is true, but the allowed-signers file %s %w", a.Pos, file, err)
		}
		return &approvalPolicy{Required: true, File: file, Why: "approvals.require-signature is true"}, nil
	case exists:
		return &approvalPolicy{Required: true, File: file, Why: file + " exists"}, nil
	}
	return &approvalPolicy{}, nil
}

func existing(file string, exists bool) string {
	if exists {
		return file
	}
	return ""
}

// checkSignersFile says why path cannot be an allowed-signers file.
func checkSignersFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("which does not exist")
	case err != nil:
		return fmt.Errorf("which cannot be read: %w", err)
	case st.IsDir():
		return errors.New("which is a directory, not an allowed-signers file")
	}
	return nil
}

// verifyApproval checks the decision event e of version v: signed, by a
// key the allowed-signers file lists for the event's actor and for the
// function's team, over this version's content, and not by its author.
func (p *approvalPolicy) verifyApproval(ctx context.Context, v registry.Version, e registry.Event) error {
	if e.Signature == nil {
		return errors.New("it is not signed")
	}
	if sameName(e.Actor, v.Author) {
		return fmt.Errorf("it was signed by %s, the version's own author", e.Actor)
	}
	payload := registry.ApprovalPayload(v.Function, v.Version, v.SHA256, e.Action, e.Actor, e.Signature.SignedAt)
	err := keygen.Verify(ctx, p.File, e.Actor, registry.SignatureNamespace(v.Function), e.Signature.Armored, payload)
	if errors.Is(err, sshsig.ErrUnavailable) {
		return err
	}
	if err != nil {
		return fmt.Errorf("its signature as %s does not verify against %s for %s (%w)", e.Actor, p.File,
			registry.SignatureNamespace(v.Function), err)
	}
	return nil
}

// sameName compares names as people type them, like the registry does.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// openGated opens the registry at loc and, when it is a file store whose
// policy requires signed approvals, reads it through a gatedStore. The
// policy is nil for PostgreSQL, whose reviewer is the database identity.
func openGated(ctx context.Context, loc string, clock func() time.Time, trust trustOptions) (registry.Store, *approvalPolicy, error) {
	var pol *approvalPolicy
	if !isPostgresLocation(loc) {
		var err error
		if pol, err = trust.policy(); err != nil {
			return nil, nil, err
		}
	}
	s, err := openRegistry(ctx, loc, clock)
	if err != nil || pol == nil || !pol.Required {
		return s, pol, err
	}
	warn := trust.Warn
	if warn == nil {
		warn = io.Discard
	}
	return &gatedStore{Store: s, pol: pol, warn: warn}, pol, nil
}
