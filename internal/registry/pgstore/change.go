package pgstore

import (
	"context"

	"github.com/relay-dev/relay/internal/registry"
)

// Approve moves a pending version to approved.
func (s *Store) Approve(ctx context.Context, function, version, reviewer, reason string, allowSelf bool) (registry.Version, error) {
	return s.change(ctx, registry.Change{Function: function, Version: version, Actor: reviewer, Reason: reason, To: registry.Approved, AllowSelf: allowSelf})
}

// Reject moves a pending version to rejected; the reason is required.
func (s *Store) Reject(ctx context.Context, function, version, reviewer, reason string) (registry.Version, error) {
	return s.change(ctx, registry.Change{Function: function, Version: version, Actor: reviewer, Reason: reason, To: registry.Rejected})
}

// Deprecate marks an approved version deprecated.
func (s *Store) Deprecate(ctx context.Context, function, version, actor, reason string) (registry.Version, error) {
	return s.change(ctx, registry.Change{Function: function, Version: version, Actor: actor, Reason: reason, To: registry.Deprecated})
}

// Withdraw retires an approved or deprecated version for good.
func (s *Store) Withdraw(ctx context.Context, function, version, actor, reason string) (registry.Version, error) {
	return s.change(ctx, registry.Change{Function: function, Version: version, Actor: actor, Reason: reason, To: registry.Withdrawn})
}

// change checks the transition against the log, under the chain lock and
// with the row locked, then appends the event and updates the row in the
// same transaction.
func (s *Store) change(ctx context.Context, c registry.Change) (registry.Version, error) {
	if err := c.Validate(); err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, c.Function, c.Version, func(sess *session) (registry.Version, error) {
		en := sess.h.versions[c.Version]
		if en == nil {
			return registry.Version{}, registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(c.Function, c.Version))
		}
		if err := c.Decide(en.v); err != nil {
			return registry.Version{}, err
		}
		e, err := sess.appendEvent(ctx, c.Event(s.clock.Stamp()))
		if err != nil {
			return registry.Version{}, err
		}
		v := sess.h.versions[c.Version].v
		_, err = sess.tx.Exec(ctx, `UPDATE function_contract_versions
			SET status = $3, reviewer = $4, reason = $5, decided_at = $6, retired_by = $7, retire_reason = $8, retired_at = $9, last_seq = $10
			WHERE function = $1 AND version = $2`,
			c.Function, c.Version, string(v.Status), v.Reviewer, v.Reason, optTime(v.DecidedAt),
			v.RetiredBy, v.RetireReason, optTime(v.RetiredAt), e.Seq)
		if err != nil {
			return registry.Version{}, err
		}
		return sess.h.version(sess.rows[c.Version])
	})
}

// Note appends an event that changes no version, in the same locked
// transaction as every other write.
func (s *Store) Note(ctx context.Context, function, version, actor string, action registry.Action, detail string) error {
	if err := registry.ValidateRef(function, version); err != nil {
		return err
	}
	if err := registry.CheckNote(function, version, action); err != nil {
		return err
	}
	_, err := s.write(ctx, function, version, func(sess *session) (registry.Version, error) {
		en := sess.h.versions[version]
		if en == nil {
			return registry.Version{}, registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(function, version))
		}
		_, err := sess.appendEvent(ctx, registry.Event{Time: s.clock.Stamp(), Actor: actor, Action: action,
			Function: function, Version: version, Detail: detail})
		return en.v, err
	})
	return err
}
