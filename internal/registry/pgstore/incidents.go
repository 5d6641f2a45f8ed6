package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
)

// Drift incidents are rows of drift_incidents (migration 0002). Every write
// runs inside the registry's write transaction, which holds the chain
// lock: two processes recording one fingerprint serialise, so both counts
// land, and a reopen or a status change commits with its audit event.

var _ registry.IncidentStore = (*Store)(nil)

// RecordIncidents folds the events into their incidents, one transaction
// per function.
func (s *Store) RecordIncidents(ctx context.Context, events []event.Event) error {
	byFn := map[string][]event.Event{}
	var fns []string
	for _, e := range events {
		if err := registry.CheckDriftEvent(e); err != nil {
			return err
		}
		if byFn[e.Function] == nil {
			fns = append(fns, e.Function)
		}
		byFn[e.Function] = append(byFn[e.Function], e)
	}
	slices.Sort(fns)
	var errs []error
	for _, fn := range fns {
		evs := byFn[fn]
		_, err := s.write(ctx, fn, "", func(sess *session) (registry.Version, error) {
			if len(sess.h.versions) == 0 {
				return registry.Version{}, registry.Errorf(registry.ErrNotFound,
					"drift %s names %s, which has no version in the registry; publish the contract first", evs[0].Fingerprint, fn)
			}
			for _, e := range evs {
				if err := s.recordOne(ctx, sess, e); err != nil {
					return registry.Version{}, err
				}
			}
			return registry.Version{}, nil
		})
		if err != nil {
			// One function's failure (not in the registry) does not lose
			// the other functions' drift.
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Store) recordOne(ctx context.Context, sess *session, e event.Event) error {
	cur, err := incidentRow(ctx, sess.tx, e.Fingerprint, true)
	if err != nil {
		return err
	}
	next, reopened := registry.RecordInto(cur, e, s.clock.Stamp())
	if reopened {
		if _, err := sess.appendEvent(ctx, registry.ReopenEvent(next)); err != nil {
			return err
		}
	}
	return putIncident(ctx, sess.tx, next, cur == nil)
}

// incidentRow reads one incident (nil when there is none), locking its
// row when forUpdate.
func incidentRow(ctx context.Context, q querier, fp string, forUpdate bool) (*registry.Incident, error) {
	sql := "SELECT incident::text FROM drift_incidents WHERE fingerprint = $1"
	if forUpdate {
		sql += " FOR UPDATE"
	}
	var raw string
	err := q.QueryRow(ctx, sql, fp).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeIncident([]byte(raw))
}

func decodeIncident(raw []byte) (*registry.Incident, error) {
	var in registry.Incident
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, registry.Errorf(registry.ErrTampered, "a row of drift_incidents is not a valid incident: %v", err)
	}
	return &in, nil
}

func putIncident(ctx context.Context, tx pgx.Tx, in registry.Incident, insert bool) error {
	raw, err := json.Marshal(in)
	if err != nil {
		return err
	}
	sql := "UPDATE drift_incidents SET function = $2, status = $3, last_seen = $4, incident = $5::jsonb WHERE fingerprint = $1"
	if insert {
		sql = "INSERT INTO drift_incidents (fingerprint, function, status, last_seen, incident) VALUES ($1, $2, $3, $4, $5::jsonb)"
	}
	_, err = tx.Exec(ctx, sql, in.Drift.Fingerprint, in.Drift.Function, string(in.Status), in.Drift.LastSeen, string(raw))
	return err
}

// ListIncidents reads the matching rows, most recently seen first.
func (s *Store) ListIncidents(ctx context.Context, f registry.IncidentFilter) ([]registry.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT incident::text FROM drift_incidents
		WHERE ($1 = '' OR function = $1) AND ($2 = '' OR status = $2)`, f.Function, string(f.Status))
	if err != nil {
		return nil, s.dbError(ctx, err, "list drift incidents")
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, s.dbError(ctx, err, "list drift incidents")
	}
	out := make([]registry.Incident, 0, len(raws))
	for _, raw := range raws {
		in, err := decodeIncident([]byte(raw))
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	// Sorted in Go, on the decoded times, so both backends order alike.
	registry.SortIncidents(out)
	return out, nil
}

// SetIncidentStatus changes the incident and appends its audit event in
// one transaction.
func (s *Store) SetIncidentStatus(ctx context.Context, c registry.IncidentChange) (registry.Incident, error) {
	if err := c.Validate(); err != nil {
		return registry.Incident{}, err
	}
	var err error
	if c.Actor, err = s.actor(c.Actor, fmt.Sprintf("marks incident %s %s", c.Fingerprint, c.To)); err != nil {
		return registry.Incident{}, err
	}
	cur, err := incidentRow(ctx, s.pool, c.Fingerprint, false)
	if err != nil {
		return registry.Incident{}, s.dbError(ctx, err, "read incident "+c.Fingerprint)
	}
	if cur == nil {
		return registry.Incident{}, registry.Errorf(registry.ErrNotFound, "there is no drift incident %s", c.Fingerprint)
	}
	var out registry.Incident
	_, err = s.write(ctx, cur.Drift.Function, cur.Drift.Version, func(sess *session) (registry.Version, error) {
		locked, err := incidentRow(ctx, sess.tx, c.Fingerprint, true)
		if err != nil {
			return registry.Version{}, err
		}
		if err := c.Decide(*locked); err != nil {
			return registry.Version{}, err
		}
		now := s.clock.Stamp()
		out = c.Apply(*locked, now)
		if _, err := sess.appendEvent(ctx, c.Event(out, now)); err != nil {
			return registry.Version{}, err
		}
		return registry.Version{}, putIncident(ctx, sess.tx, out, false)
	})
	return out, err
}
