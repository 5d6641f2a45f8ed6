package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
)

// read runs fn on function's verified history, in a read-only REPEATABLE
// READ transaction, so that the events and rows it reads are one snapshot.
func (s *Store) read(ctx context.Context, function string, fn func(tx pgx.Tx, h *history) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := registry.ValidateFunction(function); err != nil {
		return err
	}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		events, err := functionEvents(ctx, tx, function)
		if err != nil {
			return err
		}
		h, err := replay(function, events)
		if err != nil {
			return err
		}
		return fn(tx, h)
	})
	return s.dbError(ctx, err, "read "+function)
}

// Get returns one version with its files, verified against the sha256 of
// its publish event.
func (s *Store) Get(ctx context.Context, function, version string) (registry.Version, error) {
	if err := registry.ValidateRef(function, version); err != nil {
		return registry.Version{}, err
	}
	var out registry.Version
	err := s.read(ctx, function, func(tx pgx.Tx, h *history) error {
		var err error
		out, err = h.load(ctx, tx, version)
		return err
	})
	return out, err
}

// load reads a version with its files.
func (h *history) load(ctx context.Context, q querier, version string) (registry.Version, error) {
	w, ok, err := versionRow(ctx, q, h.function, version)
	switch {
	case err != nil:
		return registry.Version{}, err
	case ok:
		if err := h.checkRow(w, false); err != nil {
			return registry.Version{}, err
		}
		return h.version(w)
	case h.versions[version] != nil:
		return registry.Version{}, missingRow(registry.Ref(h.function, version))
	}
	return registry.Version{}, h.notFound(version)
}

// List returns the function's versions in semver order, without files.
func (s *Store) List(ctx context.Context, function string) ([]registry.Version, error) {
	var out []registry.Version
	err := s.read(ctx, function, func(tx pgx.Tx, h *history) error {
		rows, err := functionRows(ctx, tx, function, false)
		if err != nil {
			return err
		}
		if err := h.checkRows(rows, false); err != nil {
			return err
		}
		if len(h.versions) == 0 {
			return h.notFound("")
		}
		for _, v := range h.list() {
			full, err := h.version(rows[v.Version])
			if err != nil {
				return err
			}
			out = append(out, full)
		}
		return nil
	})
	return out, err
}

// Active returns the active version with its files. Rows whose statuses
// would make another version active than the log does are ErrConflict.
func (s *Store) Active(ctx context.Context, function string) (registry.Version, error) {
	var out registry.Version
	err := s.read(ctx, function, func(tx pgx.Tx, h *history) error {
		rows, err := functionRows(ctx, tx, function, false)
		if err != nil {
			return err
		}
		if err := h.checkRows(rows, false); err != nil {
			return err
		}
		if err := h.checkActive(rows); err != nil {
			return err
		}
		a := h.active()
		switch {
		case a == "" && len(h.versions) == 0:
			return h.notFound("")
		case a == "":
			return registry.Errorf(registry.ErrNotFound, "%s has no active version: none of its %d versions is approved", function, len(h.versions))
		}
		out, err = h.load(ctx, tx, a)
		return err
	})
	return out, err
}

// Audit returns the matching events in order. It does not verify the
// chain, so a damaged log can still be inspected; VerifyAudit checks it.
func (s *Store) Audit(ctx context.Context, filter registry.AuditFilter) ([]registry.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The database narrows by a bound at most as strict as the filter's
	// (timestamptz keeps microseconds); filter.Match decides exactly.
	var since any
	if !filter.Since.IsZero() {
		since = filter.Since.Truncate(time.Microsecond)
	}
	rows, err := s.pool.Query(ctx, "SELECT "+eventColumns+` FROM audit_events
		WHERE ($1 = '' OR function = $1) AND ($2 = '' OR actor = $2) AND ($3 = '' OR action = $3)
		AND ($4::timestamptz IS NULL OR time >= $4) ORDER BY seq`,
		filter.Function, filter.Actor, string(filter.Action), since)
	if err != nil {
		return nil, s.dbError(ctx, err, "read the audit log")
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (registry.Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, s.dbError(ctx, err, "read the audit log")
	}
	return filter.Apply(events), nil
}

// VerifyAudit recomputes the whole hash chain.
func (s *Store) VerifyAudit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	_, _, err := verifyChain(ctx, s.pool, "")
	return s.dbError(ctx, err, "verify the audit log")
}
