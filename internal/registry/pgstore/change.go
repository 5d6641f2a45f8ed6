package pgstore

import (
	"context"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// Apply checks the transition against the log, under the chain lock and
// with the row locked, then appends the event and updates the row in the
// same transaction.
func (s *Store) Apply(ctx context.Context, c registry.Change) (registry.Version, error) {
	var err error
	if c.Actor, err = s.actor(c.Actor, "marks "+registry.Ref(c.Function, c.Version)+" "+string(c.To)); err != nil {
		return registry.Version{}, err
	}
	if err := c.Validate(); err != nil {
		return registry.Version{}, err
	}
	if c.Signature != nil {
		// The event table has no column for it: recording the event without
		// it would break its hash, and dropping it silently would mislead.
		return registry.Version{}, registry.Errorf(registry.ErrInvalid,
			"%s: the PostgreSQL registry keeps no approval signatures; approve without --sign-key", registry.Ref(c.Function, c.Version))
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

// actor is who the store records for a write: the database session user
// when Options.ActorIsDatabaseUser (a given name must be that user), else
// the given name. what describes the write for the message.
func (s *Store) actor(given, what string) (string, error) {
	if s.user == "" {
		return given, nil
	}
	if given != "" && !strings.EqualFold(strings.TrimSpace(given), s.user) {
		return "", registry.Errorf(registry.ErrInvalid,
			"the PostgreSQL registry records the database user %s as who %s, so it cannot record %q; connect as that user instead", s.user, what, given)
	}
	return s.user, nil
}
