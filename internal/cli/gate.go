package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/sshsig"
)

// gatedStore is a file store whose approvals count only when they verify:
// Active skips versions whose approval is not validly signed, and
// VerifyAudit checks every signature after the hash chain. It is what every
// command reads through when the policy requires signatures, so the base
// of a diff, --all, show and publish all see the same active version.
type gatedStore struct {
	registry.Store
	pol  *approvalPolicy
	warn io.Writer
}

// signatures collects, per version of function, the events that sign its
// approval: the approve event and any later sign events.
func (g *gatedStore) signatures(ctx context.Context, function string) (map[string][]registry.Event, error) {
	events, err := g.Audit(ctx, registry.AuditFilter{Function: function})
	if err != nil {
		return nil, err
	}
	out := map[string][]registry.Event{}
	for _, e := range events {
		switch e.Action {
		case registry.ActionApprove:
			out[e.Version] = []registry.Event{e}
		case registry.ActionSign:
			if s, ok := registry.ParseSignNote(e.Detail); ok {
				e.Signature, e.Action = s, registry.ActionApprove
				out[e.Version] = append(out[e.Version], e)
			}
		}
	}
	return out, nil
}

// check returns why v's approval is not honoured, or nil. Any one valid
// signature among its approval and later countersignatures is enough.
func (g *gatedStore) check(ctx context.Context, v registry.Version, sigs map[string][]registry.Event) error {
	events := sigs[v.Version]
	if len(events) == 0 {
		return errors.New("it has no approval event")
	}
	var first error
	for _, e := range events {
		err := g.pol.verifyApproval(ctx, v, e)
		if err == nil || errors.Is(err, sshsig.ErrUnavailable) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// Active returns the highest approved version whose approval verifies.
// A version whose approval does not is skipped with a warning, so a forged
// approval never lowers the bar: the diff runs against the last version a
// real reviewer approved, and its breaking changes still fail the gate.
func (g *gatedStore) Active(ctx context.Context, function string) (registry.Version, error) {
	top, err := g.Store.Active(ctx, function)
	if err != nil {
		return top, err
	}
	sigs, err := g.signatures(ctx, function)
	if err != nil {
		return registry.Version{}, err
	}
	why := g.check(ctx, top, sigs)
	if why == nil || errors.Is(why, sshsig.ErrUnavailable) {
		return top, why
	}
	vs, err := g.List(ctx, function)
	if err != nil {
		return registry.Version{}, err
	}
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		if !v.Live() || registry.CompareVersions(v.Version, top.Version) >= 0 {
			continue
		}
		err := g.check(ctx, v, sigs)
		if errors.Is(err, sshsig.ErrUnavailable) {
			return registry.Version{}, err
		}
		if err == nil {
			fmt.Fprintf(g.warn, "relay: warning: the approval of %s is not honoured: %v; using %s, the latest version whose approval verifies\n",
				top.Ref(), why, v.Ref())
			return g.Get(ctx, function, v.Version)
		}
	}
	return registry.Version{}, fmt.Errorf("%s has no approved version whose approval verifies (%s): the approval of %s is not honoured: %v; "+
		"an allowed reviewer signs it with relay contract approve %s --sign-key KEY", function, g.pol.Why, top.Ref(), why, top.Ref())
}

// VerifyAudit checks the hash chain, then the signature of every
// approval of a version that is still live.
func (g *gatedStore) VerifyAudit(ctx context.Context) error {
	if err := g.Store.VerifyAudit(ctx); err != nil {
		return err
	}
	events, err := g.Audit(ctx, registry.AuditFilter{})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, e := range events {
		if e.Action != registry.ActionApprove || seen[e.Function] {
			continue
		}
		seen[e.Function] = true
		if err := g.verifyFunction(ctx, e.Function); err != nil {
			return err
		}
	}
	return nil
}

// verifyFunction checks every live version's approval of function.
func (g *gatedStore) verifyFunction(ctx context.Context, function string) error {
	vs, err := g.List(ctx, function)
	if err != nil {
		return err
	}
	sigs, err := g.signatures(ctx, function)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if !v.Live() {
			continue
		}
		if err := g.check(ctx, v, sigs); err != nil {
			if errors.Is(err, sshsig.ErrUnavailable) {
				return err
			}
			return registry.Errorf(registry.ErrTampered, "the approval of %s does not verify (%s): %v", v.Ref(), g.pol.Why, err)
		}
	}
	return nil
}

// approvalCheck says whether v's approval verifies, for show: "" when the
// registry does not require signatures or v is not live.
func approvalCheck(ctx context.Context, s registry.Store, v registry.Version) (string, error) {
	g, ok := s.(*gatedStore)
	if !ok || !v.Live() {
		return "", nil
	}
	sigs, err := g.signatures(ctx, v.Function)
	if err != nil {
		return "", err
	}
	err = g.check(ctx, v, sigs)
	switch {
	case errors.Is(err, sshsig.ErrUnavailable):
		return "", err
	case err != nil:
		return "not honoured: " + err.Error(), nil
	}
	return "verified", nil
}
