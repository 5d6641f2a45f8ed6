package pgstore

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
)

// querier is what reads need from a transaction or a pool.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// eventColumns are audit_events' columns in registry.Event's field order.
const eventColumns = "seq, time, actor, action, function, version, detail, prev_hash, hash"

func scanEvent(r pgx.Row, extra ...any) (registry.Event, error) {
	var e registry.Event
	var action string
	dest := append([]any{&e.Seq, &e.Time, &e.Actor, &action, &e.Function, &e.Version, &e.Detail, &e.PrevHash, &e.Hash}, extra...)
	err := r.Scan(dest...)
	e.Action, e.Time = registry.Action(action), e.Time.UTC()
	return e, err
}

// verifyChain streams the whole audit log, checking every link, and returns
// its last event (nil for an empty log) and the events of function (none
// when function is "").
func verifyChain(ctx context.Context, q querier, function string) (*registry.Event, []registry.Event, error) {
	rows, err := q.Query(ctx, "SELECT "+eventColumns+" FROM audit_events ORDER BY seq")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var head *registry.Event
	var kept []registry.Event
	for at := int64(1); rows.Next(); at++ {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, nil, err
		}
		if err := registry.CheckLink(head, e, at); err != nil {
			return nil, nil, err
		}
		head = &e
		if function != "" && e.Function == function {
			kept = append(kept, e)
		}
	}
	return head, kept, rows.Err()
}

// functionEvents reads function's events, each checked against its own
// hash and against the stored hash of the event before it (whichever
// function that one belongs to): the part of the chain that a read of one
// function relies on.
func functionEvents(ctx context.Context, q querier, function string) ([]registry.Event, error) {
	rows, err := q.Query(ctx, `SELECT a.seq, a.time, a.actor, a.action, a.function, a.version, a.detail, a.prev_hash, a.hash, p.hash
		FROM audit_events a LEFT JOIN audit_events p ON p.seq = a.seq - 1
		WHERE a.function = $1 ORDER BY a.seq`, function)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registry.Event
	for rows.Next() {
		var prevHash *string
		e, err := scanEvent(rows, &prevHash)
		if err != nil {
			return nil, err
		}
		var prev *registry.Event
		if e.Seq != 1 {
			prev = &registry.Event{Seq: e.Seq - 1}
			if prevHash != nil {
				prev.Hash = *prevHash
			}
		}
		if err := registry.CheckLink(prev, e, e.Seq); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// history is one function as its audit events tell it.
type history struct {
	function string
	versions map[string]*entry
}

// entry is one version: everything but the content columns, and the event
// that last changed it.
type entry struct {
	v       registry.Version
	lastSeq int64
}

// replay folds function's events. An event the lifecycle does not allow
// (approving an unknown or rejected version…) means the log was forged
// with recomputed hashes, or written by a buggy tool: ErrTampered.
func replay(function string, events []registry.Event) (*history, error) {
	h := &history{function: function, versions: map[string]*entry{}}
	for _, e := range events {
		if err := h.apply(e); err != nil {
			return nil, err
		}
	}
	return h, nil
}

func (h *history) apply(e registry.Event) error {
	if e.Action == registry.ActionPublish {
		if h.versions[e.Version] != nil {
			return registry.Errorf(registry.ErrTampered, "audit event %d publishes %s a second time", e.Seq, e.Ref())
		}
		h.versions[e.Version] = &entry{lastSeq: e.Seq, v: registry.Version{Function: e.Function, Version: e.Version,
			SHA256: e.Detail, Status: registry.Pending, Author: e.Actor, CreatedAt: e.Time}}
		return nil
	}
	to, ok := registry.StatusSetBy(e.Action)
	if !ok {
		return nil // events that change no version (notify-failed)
	}
	en := h.versions[e.Version]
	if en == nil || !registry.CanTransition(en.v.Status, to) {
		return registry.Errorf(registry.ErrTampered, "audit event %d (%s %s) does not follow from the events before it", e.Seq, e.Action, e.Ref())
	}
	en.lastSeq = e.Seq
	registry.ApplyStatus(&en.v, to, e)
	return nil
}

// list returns copies of the versions in ascending semver order.
func (h *history) list() []registry.Version {
	out := make([]registry.Version, 0, len(h.versions))
	for _, en := range h.versions {
		out = append(out, en.v)
	}
	slices.SortFunc(out, func(a, b registry.Version) int { return registry.CompareVersions(a.Version, b.Version) })
	return out
}

// active is the version registry.SelectActive picks, or "".
func (h *history) active() string {
	vs := h.list()
	if i := registry.SelectActive(vs); i >= 0 {
		return vs[i].Version
	}
	return ""
}

// notFound words a read's ErrNotFound for version ("" for the function).
func (h *history) notFound(version string) error {
	if len(h.versions) == 0 {
		return registry.Errorf(registry.ErrNotFound, "%s does not exist: no version of it was ever published", h.function)
	}
	return registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(h.function, version))
}
