package pgstore

import (
	"context"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// change is one status change as requested.
type change struct {
	function, version string
	actor, reason     string
	to                registry.Status
	allowSelf         bool
}

// Approve moves a pending version to approved.
func (s *Store) Approve(ctx context.Context, function, version, reviewer, reason string, allowSelf bool) (registry.Version, error) {
	return s.change(ctx, change{function: function, version: version, actor: reviewer, reason: reason, to: registry.Approved, allowSelf: allowSelf})
}

// Reject moves a pending version to rejected; the reason is required.
func (s *Store) Reject(ctx context.Context, function, version, reviewer, reason string) (registry.Version, error) {
	return s.change(ctx, change{function: function, version: version, actor: reviewer, reason: reason, to: registry.Rejected})
}

// Deprecate marks an approved version deprecated.
func (s *Store) Deprecate(ctx context.Context, function, version, actor, reason string) (registry.Version, error) {
	return s.change(ctx, change{function: function, version: version, actor: actor, reason: reason, to: registry.Deprecated})
}

// Withdraw retires an approved or deprecated version for good.
func (s *Store) Withdraw(ctx context.Context, function, version, actor, reason string) (registry.Version, error) {
	return s.change(ctx, change{function: function, version: version, actor: actor, reason: reason, to: registry.Withdrawn})
}

// change checks the transition against the log, under the chain lock and
// with the row locked, then appends the event and updates the row in the
// same transaction.
func (s *Store) change(ctx context.Context, c change) (registry.Version, error) {
	if err := c.validate(); err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, c.function, c.version, func(sess *session) (registry.Version, error) {
		en := sess.h.versions[c.version]
		if en == nil {
			return registry.Version{}, registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(c.function, c.version))
		}
		if err := registry.CheckTransition(c.function, c.version, en.v.Status, c.to); err != nil {
			return registry.Version{}, err
		}
		if c.to == registry.Approved && !c.allowSelf && sameActor(c.actor, en.v.Author) {
			return registry.Version{}, registry.Errorf(registry.ErrSelfApproval,
				"%s cannot be approved by its own author %s; ask another reviewer, or allow self-approval explicitly", en.v.Ref(), c.actor)
		}
		e, err := sess.appendEvent(ctx, registry.Event{Time: s.clock.Stamp(), Actor: c.actor, Action: actionFor[c.to],
			Function: c.function, Version: c.version, Detail: c.reason})
		if err != nil {
			return registry.Version{}, err
		}
		v := sess.h.versions[c.version].v
		_, err = sess.tx.Exec(ctx, `UPDATE function_contract_versions
			SET status = $3, reviewer = $4, reason = $5, decided_at = $6, retired_by = $7, retire_reason = $8, retired_at = $9, last_seq = $10
			WHERE function = $1 AND version = $2`,
			c.function, c.version, string(v.Status), v.Reviewer, v.Reason, optTime(v.DecidedAt),
			v.RetiredBy, v.RetireReason, optTime(v.RetiredAt), e.Seq)
		if err != nil {
			return registry.Version{}, err
		}
		return sess.h.version(sess.rows[c.version])
	})
}

func (c change) validate() error {
	if err := checkRef(c.function, c.version); err != nil {
		return err
	}
	ref := registry.Ref(c.function, c.version)
	if strings.TrimSpace(c.actor) == "" {
		return registry.Errorf(registry.ErrInvalid, "marking %s %s needs the name of who does it", ref, c.to)
	}
	if c.to == registry.Rejected && strings.TrimSpace(c.reason) == "" {
		return registry.Errorf(registry.ErrInvalid, "rejecting %s needs a reason", ref)
	}
	return nil
}

// sameActor compares names as people type them: "Alice " is alice.
func sameActor(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// Note appends an event that changes no version, in the same locked
// transaction as every other write.
func (s *Store) Note(ctx context.Context, function, version, actor string, action registry.Action, detail string) error {
	if err := registry.ValidateFunction(function); err != nil {
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
