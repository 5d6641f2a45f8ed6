// Package pgstore is the registry backend for teams: the contract registry
// kept in a PostgreSQL database that every developer and CI job reaches
// through one postgres:// URL.
//
// # Schema
//
// The schema lives in numbered SQL files embedded in the binary
// (migrations/NNNN_name.sql). Migrate applies the missing ones, each in its
// own transaction that also records it in schema_migrations, under a
// session advisory lock so that two migrators never race. Open refuses a
// database whose schema is behind (run `relay registry migrate`) or ahead
// (upgrade relay) of the binary, and one whose applied migrations differ
// from the embedded ones.
//
// Two tables hold the registry (see migrations/0001_init.sql):
//
//   - audit_events is the hash-chained audit log, one row per event.
//     Constraints keep the chain linear and gapless: every event but the
//     first references the event numbered one less together with its hash
//     (a foreign key), and no two events share a predecessor (UNIQUE
//     prev_hash). Triggers refuse UPDATE, DELETE and TRUNCATE.
//   - function_contract_versions holds one row per published version: the
//     bundle (parallel path and content arrays), its sha256, kind, main
//     file, author, diff summary, and a copy of the version's status and
//     review taken from the log. UNIQUE (function, version) and UNIQUE
//     (function, sha256) back up ErrExists and ErrIdentical. A trigger
//     refuses DELETE, TRUNCATE and any change to the content columns,
//     inserts a row only as pending together with its publish event, and
//     lets the status move only along the lifecycle, each step with the
//     audit event that records it (last_seq).
//
// The triggers bind every role except the tables' owner and superusers,
// who can disable them: run relay with a role that may only SELECT and
// INSERT audit_events and SELECT, INSERT and UPDATE the versions.
//
// # Commit protocol
//
// Every write is one transaction: it appends its audit event and changes
// its row, and both commit together or not at all. There is no crash
// window, so unlike the file store there is nothing to repair afterwards.
// (As with any database, a connection lost during COMMIT leaves the caller
// unsure whether it happened; the registry is consistent either way, and
// publishing again then reports registry.ErrExists if it did.)
//
// # Concurrency
//
// Writers from any number of goroutines and processes serialise on one
// transaction-level advisory lock (pg_advisory_xact_lock), taken as the
// first statement of every write and held until it commits. Under that
// lock the writer reads the chain head, verifies the chain, checks the
// function's rows (SELECT … FOR UPDATE, so that even a writer that skipped
// the lock would queue on them) and decides with registry.CheckTransition.
// Writes run at READ COMMITTED on purpose: each statement after the lock
// sees everything the previous holder committed, whereas a REPEATABLE READ
// snapshot could date from before the lock was granted. The unique
// constraints and the chain's foreign key are the second line: a write
// that somehow raced would fail there, never fork the chain. Reads run in
// a REPEATABLE READ, read-only transaction, so the events and rows they
// compare come from one snapshot.
//
// # Verification
//
// The audit log is the record; the rows' status columns are a copy that
// makes the active version queryable. Every write verifies the whole hash
// chain and compares every row of its function with the log (status and
// last event), and fails closed: registry.ErrTampered for a broken chain
// or content, registry.ErrConflict for a row whose status the log does not
// explain. Reads verify the function's own events (each hash, and each
// link to the stored hash of the event before it), take statuses from the
// log, check content against the sha256 of the publish event, and Active
// refuses when the rows would make another version active than the log.
// Reads do not recompute the whole chain, so that reading one function
// does not cost the whole registry: VerifyAudit, and the next write, do.
// That makes a write cost about 5 µs per event in the log, under the lock
// (0.4 s at 100,000 events on a 2-core machine; see BenchmarkPublish),
// which suits a registry written at the pace of reviews.
// Like any hash chain, this one cannot notice events cut off its end, nor
// a history rewritten wholesale by someone who can recompute every hash.
package pgstore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/relay-dev/relay/internal/registry"
)

// Options configures a Store.
type Options struct {
	// Clock stamps events; nil means the wall clock.
	Clock func() time.Time
	// MaxConns caps the connection pool; 0 keeps pgxpool's default
	// (the larger of 4 and the number of CPUs).
	MaxConns int32
	// LockTimeout bounds how long a write waits for the registry's write
	// lock, and any statement for a lock another session holds, before
	// giving up with a clear error; 0 means DefaultLockTimeout. A writer
	// stuck mid-transaction would otherwise block every other writer, CI
	// jobs included, until PostgreSQL ends its session. The URL's
	// lock_timeout, when set, is the session's instead.
	LockTimeout time.Duration
	// ActorIsDatabaseUser records the database session user as the author
	// of a publish and the actor of a status change, and refuses a request
	// naming anyone else: a name is free text, a database login is not.
	ActorIsDatabaseUser bool
	// ConnectTimeout bounds connecting, the server's first answer
	// included, when the URL sets no connect_timeout; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// StatementTimeout bounds each statement when the URL sets no
	// statement_timeout; 0 means DefaultStatementTimeout.
	StatementTimeout time.Duration
}

// Store is the PostgreSQL-backed registry.Store.
//
// It holds a connection pool rather than one connection: the Store is
// shared by goroutines, and with a pool their writes meet in PostgreSQL,
// where the advisory lock serialises them exactly as it serialises other
// processes, instead of queueing on a mutex in this process that would
// hide the database's behaviour. The pool opens connections lazily, so a
// CLI run that makes one call uses one connection.
type Store struct {
	pool        *pgxpool.Pool
	clock       registry.Clock
	lockTimeout time.Duration
	// user is the session user when Options.ActorIsDatabaseUser, else "".
	user   string
	bounds bounds
}

var _ registry.Store = (*Store)(nil)

// Open connects to the registry database at url and checks that its schema
// is the one this binary was built for.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, b, err := parseConfig(url, opts)
	if err != nil {
		return nil, err
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(ctx, err, &cfg.ConnConfig.Config, b)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, connectError(ctx, err, &cfg.ConnConfig.Config, b)
	}
	err = checkSchema(ctx, conn.Conn())
	var user string
	if err == nil && opts.ActorIsDatabaseUser {
		// Every connection of the pool logs in with the URL's user.
		err = conn.QueryRow(ctx, "SELECT session_user").Scan(&user)
	}
	conn.Release()
	if err != nil {
		pool.Close()
		return nil, schemaError(ctx, err, b)
	}
	return &Store{pool: pool, clock: opts.Clock, lockTimeout: orDefault(opts.LockTimeout, DefaultLockTimeout), bounds: b, user: user}, nil
}

// Close closes the pool, waiting for connections in use to be returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Advisory lock keys: the class is the ASCII bytes of "relay" without the
// y, so relay's locks do not collide with another application's in the
// same database; advisory locks are per database, so registries in
// different databases never contend.
const (
	lockClass   int32 = 0x72656c61
	lockChain   int32 = 1 // writers, for the whole transaction
	lockMigrate int32 = 2 // migrators, for their session
)
