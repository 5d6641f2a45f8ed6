//go:build unix

package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry/pgstore"
)

// exec runs statements on url as the superuser, triggers on.
func execSQL(t *testing.T, url string, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(t.Context(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func queryInt(t *testing.T, url, sql string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var n int
	if err := conn.QueryRow(t.Context(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// wantSchemaErr insists on ErrSchema and an exact one-sentence message.
func wantSchemaErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	if !errors.Is(err, pgstore.ErrSchema) || err.Error() != want {
		t.Errorf("%s: got %v, want ErrSchema %q", what, err, want)
	}
}

func TestOpenUnmigrated(t *testing.T) {
	url := needCluster(t).newDatabase(t)
	_, err := pgstore.Open(t.Context(), url, pgstore.Options{})
	want := fmt.Sprintf("the registry database schema is at version 0, relay needs %d: run `relay registry migrate`", pgstore.SchemaVersion())
	wantSchemaErr(t, "Open before Migrate", err, want)
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	url := needCluster(t).newDatabase(t)
	for i := range 2 {
		if err := pgstore.Migrate(t.Context(), url); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	if n := queryInt(t, url, "SELECT count(*) FROM schema_migrations"); n != pgstore.SchemaVersion() {
		t.Errorf("schema_migrations has %d rows, want %d", n, pgstore.SchemaVersion())
	}
	s := open(t, url, pgstore.Options{})
	defer s.Close()
	if err := s.VerifyAudit(t.Context()); err != nil {
		t.Error(err)
	}
}

func TestMigrateConcurrently(t *testing.T) {
	url := needCluster(t).newDatabase(t)
	const migrators = 4
	var wg sync.WaitGroup
	errs := make(chan error, migrators)
	for range migrators {
		wg.Go(func() { errs <- pgstore.Migrate(t.Context(), url) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate: %v", err)
		}
	}
	if n := queryInt(t, url, "SELECT count(*) FROM schema_migrations"); n != pgstore.SchemaVersion() {
		t.Errorf("schema_migrations has %d rows, want %d", n, pgstore.SchemaVersion())
	}
	s := open(t, url, pgstore.Options{})
	_ = s.Close()
}

func TestSchemaAhead(t *testing.T) {
	url := needCluster(t).newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	next := pgstore.SchemaVersion() + 1
	execSQL(t, url, "INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, 'future.sql', 'x')", next)
	want := fmt.Sprintf("the registry database schema is at version %d, newer than version %d that this relay knows: upgrade relay", next, next-1)
	_, err := pgstore.Open(t.Context(), url, pgstore.Options{})
	wantSchemaErr(t, "Open of a newer schema", err, want)
	wantSchemaErr(t, "Migrate of a newer schema", pgstore.Migrate(t.Context(), url), want)
}

func TestSchemaFromAnotherBuild(t *testing.T) {
	url := needCluster(t).newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	execSQL(t, url, "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1")
	_, err := pgstore.Open(t.Context(), url, pgstore.Options{})
	if !errors.Is(err, pgstore.ErrSchema) || !strings.Contains(err.Error(), "migration 1 (0001_init.sql)") {
		t.Errorf("Open with an edited migration: %v", err)
	}
	if err := pgstore.Migrate(t.Context(), url); !errors.Is(err, pgstore.ErrSchema) {
		t.Errorf("Migrate with an edited migration: %v", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	c := needCluster(t)
	// A port nothing listens on: the one the cluster does not use, closed.
	url := fmt.Sprintf("postgres://relay:s3cret@127.0.0.1:%d/x?sslmode=disable&connect_timeout=2", unusedPort(t, c))
	_, err := pgstore.Open(t.Context(), url, pgstore.Options{})
	if err == nil {
		t.Fatal("Open of an unreachable database succeeded")
	}
	t.Logf("Open: %v", err)
	if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "\n") {
		t.Errorf("the error leaks the password or spans lines: %q", err)
	}
	if err := pgstore.Migrate(t.Context(), url); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Migrate of an unreachable database: %v", err)
	}
	_, err = pgstore.Open(t.Context(), "mysql://nope", pgstore.Options{})
	t.Logf("Open of mysql://: %v", err)
	if err == nil {
		t.Error("Open of a non-PostgreSQL URL succeeded")
	}
}

func unusedPort(t *testing.T, c *cluster) int {
	t.Helper()
	for {
		p, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		if p != c.port {
			return p
		}
	}
}
