package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/relay-dev/relay/internal/registry"
)

// sentinels are the registry errors the store's own checks return; they
// pass through dbError unchanged.
var sentinels = []error{
	registry.ErrNotFound, registry.ErrExists, registry.ErrIdentical, registry.ErrSelfApproval,
	registry.ErrBadTransition, registry.ErrConflict, registry.ErrTampered, registry.ErrInvalid,
}

// dbError turns what the database or the driver returned while doing what
// into the store's errors: the context's error when it ended, a registry
// sentinel for the constraint that refused a write, and otherwise one
// sentence naming what failed.
func dbError(ctx context.Context, err error, what string) error {
	if err == nil {
		return nil
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return err
		}
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if pgErr.Code == "55P03" { // lock_not_available: lock_timeout expired
			return fmt.Errorf("cannot %s: another writer has held the registry's write lock too long; try again, "+
				"or look for a stuck relay process or open transaction on the database", what)
		}
		if mapped := constraintError(pgErr, what); mapped != nil {
			return mapped
		}
	}
	return fmt.Errorf("cannot %s in the registry database: %s", what, oneLine(err.Error()))
}

// dbError is the package's dbError with the store's bounds: a statement
// cancelled by statement_timeout, or a read that gave up waiting for a
// lock, says what it waited for and how long.
func (s *Store) dbError(ctx context.Context, err error, what string) error {
	var pgErr *pgconn.PgError
	if ctx.Err() == nil && errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "57014": // query_canceled: statement_timeout expired
			return fmt.Errorf("cannot %s: the registry database did not finish %s; it may be overloaded, "+
				"or a statement is waiting on another session (raise it with ?statement_timeout=MS in the registry URL)",
				what, within(s.bounds.statement, "statement_timeout"))
		case pgErr.Code == "55P03" && !strings.HasPrefix(what, "write "):
			return fmt.Errorf("cannot %s: waited longer than %s for a lock another session holds on the registry's tables; "+
				"look for a stuck migration or an open transaction on the database", what, bound(s.bounds.lock, "lock_timeout"))
		}
	}
	return dbError(ctx, err, what)
}

// constraintError maps a refusal by the schema. The store checks all of
// these itself under the chain lock, so they fire only for writers that
// bypass it (another tool, a hand-written statement) or for a bug.
func constraintError(e *pgconn.PgError, what string) error {
	switch e.ConstraintName {
	case "function_contract_versions_pkey":
		return registry.Errorf(registry.ErrExists, "cannot %s: the version already exists; published content never changes, so publish it under a new version number", what)
	case "function_contract_versions_sha256_key":
		return registry.Errorf(registry.ErrIdentical, "cannot %s: its content is identical to a version already published; there is nothing new to publish", what)
	case "audit_events_pkey", "audit_events_prev_hash_key", "audit_events_prev_fkey":
		return registry.Errorf(registry.ErrConflict, "cannot %s: another writer appended to the audit log at the same time; try again", what)
	}
	switch e.Code {
	case "23001", "23514": // restrict_violation, check_violation: the schema's triggers
		return registry.Errorf(registry.ErrConflict, "cannot %s: the registry database refused it: %s", what, oneLine(e.Message))
	}
	return nil
}

// oneLine keeps messages to one line: server messages can carry newlines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
