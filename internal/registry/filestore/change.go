package filestore

import (
	"context"

	"github.com/relay-dev/relay/internal/registry"
)

// Apply checks, commits and applies one status change.
func (s *Store) Apply(ctx context.Context, c registry.Change) (registry.Version, error) {
	if err := checkFunction(c.Function); err != nil {
		return registry.Version{}, err
	}
	if err := c.Validate(); err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, c.Function, c.Version, false, func(sess *session) (registry.Version, error) {
		v := sess.st.versions[c.Version]
		if v == nil {
			return registry.Version{}, notFound(sess.st, c.Version)
		}
		if err := c.Decide(*v); err != nil {
			return registry.Version{}, err
		}
		before := sess.st.want()
		if _, err := sess.commit(c.Event(s.clock.Stamp())); err != nil {
			return registry.Version{}, err
		}
		hook("status-committed")
		return sess.afterStatus(c.Version, before)
	})
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
		_, err := sess.commit(e)
		return *v, err
	})
	return err
}
