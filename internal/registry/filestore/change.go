package filestore

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

var actionFor = map[registry.Status]registry.Action{
	registry.Approved:   registry.ActionApprove,
	registry.Rejected:   registry.ActionReject,
	registry.Deprecated: registry.ActionDeprecate,
	registry.Withdrawn:  registry.ActionWithdraw,
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

// change checks, commits and applies one status change.
func (s *Store) change(ctx context.Context, c change) (registry.Version, error) {
	if err := c.validate(); err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, c.function, c.version, false, func(sess *session) (registry.Version, error) {
		v := sess.st.versions[c.version]
		if v == nil {
			return registry.Version{}, notFound(sess.st, c.version)
		}
		if err := registry.CheckTransition(c.function, c.version, v.Status, c.to); err != nil {
			return registry.Version{}, err
		}
		if c.to == registry.Approved && !c.allowSelf && sameActor(c.actor, v.Author) {
			return registry.Version{}, registry.Errorf(registry.ErrSelfApproval,
				"%s cannot be approved by its own author %s; ask another reviewer, or allow self-approval explicitly", v.Ref(), c.actor)
		}
		before := sess.st.want()
		e := registry.Event{Time: s.clock.Stamp(), Actor: c.actor, Action: actionFor[c.to],
			Function: c.function, Version: c.version, Detail: c.reason}
		if _, err := sess.commit(ctx, e); err != nil {
			return registry.Version{}, err
		}
		hook("status-committed")
		return sess.afterStatus(c.version, before)
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

// Note appends an event that changes no version.
func (s *Store) Note(ctx context.Context, function, version, actor string, action registry.Action, detail string) error {
	if err := checkRef(function, version); err != nil {
		return err
	}
	if err := registry.CheckNote(function, version, action); err != nil {
		return err
	}
	_, err := s.write(ctx, function, version, false, func(sess *session) (registry.Version, error) {
		v := sess.st.versions[version]
		if v == nil {
			return registry.Version{}, notFound(sess.st, version)
		}
		e := registry.Event{Time: s.clock.Stamp(), Actor: actor, Action: action, Function: function, Version: version, Detail: detail}
		_, err := sess.commit(ctx, e)
		return *v, err
	})
	return err
}
