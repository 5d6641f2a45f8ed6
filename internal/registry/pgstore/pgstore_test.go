//go:build unix

package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

const fnPay = "my-team/payments"

// urls remembers each store's database, for the tamper hooks.
var urls sync.Map // *pgstore.Store → string

// TestConformance runs the shared suite against PostgreSQL, one fresh
// database per store.
func TestConformance(t *testing.T) {
	c := needCluster(t)
	registrytest.Run(t, registrytest.Harness{
		New: func(t *testing.T, clock func() time.Time) registry.Store {
			// A connection per writer, so the concurrency tests' goroutines
			// all meet in PostgreSQL rather than queue for the pool.
			return openNew(t, c, pgstore.Options{Clock: clock, MaxConns: registrytest.Writers})
		},
		TamperAudit:      tamperAudit,
		TamperContent:    tamperContent,
		ContradictActive: contradictActive,
	})
}

// TestConformanceSimpleProtocol runs the suite again with pgx's simple
// protocol (no prepared statements), the mode for connection poolers such
// as PgBouncer in transaction mode, where encoding and errors differ.
func TestConformanceSimpleProtocol(t *testing.T) {
	c := needCluster(t)
	registrytest.Run(t, registrytest.Harness{
		New: func(t *testing.T, clock func() time.Time) registry.Store {
			url := c.newDatabase(t) + "&default_query_exec_mode=simple_protocol"
			if err := pgstore.Migrate(t.Context(), url); err != nil {
				t.Fatalf("Migrate: %v", err)
			}
			return open(t, url, pgstore.Options{Clock: clock, MaxConns: registrytest.Writers})
		},
		TamperAudit:      tamperAudit,
		TamperContent:    tamperContent,
		ContradictActive: contradictActive,
	})
	url := c.newDatabase(t) + "&default_query_exec_mode=simple_protocol"
	if _, err := pgstore.Open(t.Context(), url, pgstore.Options{}); !errors.Is(err, pgstore.ErrSchema) {
		t.Errorf("Open of an unmigrated database: %v, want ErrSchema", err)
	}
}

// openNew creates, migrates and opens a fresh database.
func openNew(t *testing.T, c *cluster, opts pgstore.Options) *pgstore.Store {
	t.Helper()
	url := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return open(t, url, opts)
}

func open(t *testing.T, url string, opts pgstore.Options) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(t.Context(), url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	urls.Store(s, url)
	return s
}

func urlOf(t *testing.T, s registry.Store) string {
	t.Helper()
	url, ok := urls.Load(s)
	if !ok {
		t.Fatalf("not a store opened by this test: %T", s)
	}
	return url.(string)
}

// behindTheStore runs one statement as the superuser with triggers and
// foreign keys off (session_replication_role = replica), as an
// administrator or attacker with full access could, and insists that it
// changed exactly one row.
func behindTheStore(t *testing.T, s registry.Store, sql string, args ...any) {
	t.Helper()
	tamper(t, urlOf(t, s), sql, args...)
}

// tamper is behindTheStore for a database URL with superuser rights.
func tamper(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(t.Context(), "SET session_replication_role = replica"); err != nil {
		t.Fatal(err)
	}
	tag, err := conn.Exec(t.Context(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	if tag.RowsAffected() != 1 {
		t.Fatalf("%s changed %d rows, want 1", sql, tag.RowsAffected())
	}
}

// tamperAudit rewrites the actor of the second event, leaving its hash.
func tamperAudit(t *testing.T, s registry.Store) {
	t.Helper()
	behindTheStore(t, s, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
}

// tamperContent rewrites one file of the bundle, leaving the sha256.
func tamperContent(t *testing.T, s registry.Store, function, version string) {
	t.Helper()
	behindTheStore(t, s, `UPDATE function_contract_versions
		SET file_contents[array_position(file_paths, 'paths/pets.yaml')] = 'get: {}'::bytea
		WHERE function = $1 AND version = $2`, function, version)
}

// contradictActive marks version approved in its row, with no audit event.
func contradictActive(t *testing.T, s registry.Store, function, version string) {
	t.Helper()
	behindTheStore(t, s, "UPDATE function_contract_versions SET status = 'approved' WHERE function = $1 AND version = $2",
		function, version)
}
