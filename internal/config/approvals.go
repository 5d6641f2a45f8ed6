package config

import (
	"github.com/relay-dev/relay/internal/source"
)

// Approvals is the approvals: section: whether approvals in the file
// registry must be signed, and by whom.
type Approvals struct {
	// RequireSignature is nil when not set: signatures are then required
	// exactly when the allowed-signers file exists.
	RequireSignature *bool
	// AllowedSigners is the allowed-signers file as written, relative to
	// the directory holding .relay.yaml; "" when not set.
	AllowedSigners string
	Pos            source.Pos
}

func parseApprovals(n *source.Node) (*Approvals, error) {
	if n.Kind != source.Object {
		return nil, source.Errorf(n.ValuePos(), "approvals must be a mapping like {require-signature: true, allowed-signers: .relay/allowed_signers}")
	}
	a := &Approvals{Pos: n.ValuePos()}
	for _, m := range n.Children {
		switch m.Key {
		case "require-signature":
			if m.Kind != source.Bool {
				return nil, source.Errorf(m.ValuePos(), "approvals.require-signature must be true or false")
			}
			v := m.Value == "true"
			a.RequireSignature = &v
		case "allowed-signers":
			if m.Kind != source.String || m.Value == "" {
				return nil, source.Errorf(m.ValuePos(), "approvals.allowed-signers must be a file path")
			}
			a.AllowedSigners = m.Value
		default:
			return nil, source.Errorf(m.Pos(), "unknown approvals key %q (want require-signature, allowed-signers)", source.Truncate(m.Key, 80))
		}
	}
	return a, nil
}
