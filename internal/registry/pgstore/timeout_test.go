//go:build unix

package pgstore_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// silentServer accepts TCP connections on 127.0.0.1 and never answers,
// like a PostgreSQL server that is hung or a port that swallows packets
// behind a load balancer. It returns its port.
func silentServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

// boundedCtx is the test's own safety net: if relay hung, the test ends
// with this context's error instead of hanging the run. It is far longer
// than any timeout under test, and nothing asserts on durations.
func boundedCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// TestConnectTimeout: a server that accepts the connection and never
// answers makes Open and Migrate fail with a sentence saying what they
// waited for, whether the bound comes from Options or from the URL's
// connect_timeout.
func TestConnectTimeout(t *testing.T) {
	port := silentServer(t)
	base := fmt.Sprintf("postgres://relay:s3cr3t@127.0.0.1:%d/registry?sslmode=disable", port)
	want := fmt.Sprintf("cannot connect to the registry database: 127.0.0.1:%d accepted the connection but did not answer within ", port)

	_, err := pgstore.Open(boundedCtx(t), base, pgstore.Options{ConnectTimeout: 200 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), want+"200ms") {
		t.Fatalf("Open with ConnectTimeout: %v, want %q", err, want+"200ms")
	}
	_, err = pgstore.Open(boundedCtx(t), base+"&connect_timeout=1", pgstore.Options{})
	if err == nil || !strings.Contains(err.Error(), want+"1s (connect_timeout") {
		t.Fatalf("Open with connect_timeout=1: %v", err)
	}
	err = pgstore.Migrate(boundedCtx(t), base+"&connect_timeout=1")
	if err == nil || !strings.Contains(err.Error(), want+"1s (connect_timeout") {
		t.Fatalf("Migrate with connect_timeout=1: %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("the message leaks the password: %v", err)
	}
}

// TestSessionTimeouts: every session runs with statement_timeout and
// lock_timeout, so a read stuck behind another session's lock fails with
// a sentence naming what it waited for instead of waiting forever.
func TestSessionTimeouts(t *testing.T) {
	c := needCluster(t)
	url := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	seed := open(t, url, pgstore.Options{})
	t.Cleanup(func() { _ = seed.Close() })
	if _, err := seed.Publish(t.Context(), registrytest.Request(fnPay, "1.0.0", "ada", "v1")); err != nil {
		t.Fatal(err)
	}
	lockTables := func() pgx.Tx {
		stuck, err := pgx.Connect(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = stuck.Close(context.Background()) })
		tx, err := stuck.Begin(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(t.Context(), "LOCK TABLE audit_events, function_contract_versions IN ACCESS EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		return tx
	}

	s := open(t, url, pgstore.Options{LockTimeout: 150 * time.Millisecond})
	t.Cleanup(func() { _ = s.Close() })
	tx := lockTables()
	_, err := s.List(boundedCtx(t), fnPay)
	if err == nil || !strings.Contains(err.Error(), "cannot read "+fnPay+": waited longer than 150ms (lock_timeout) for a lock another session holds on the registry's tables") {
		t.Fatalf("List behind a table lock: %v", err)
	}
	_ = tx.Rollback(t.Context())

	// The bound is 2s, not less, so that on a loaded machine only the
	// statement stuck behind the lock reaches it.
	s2 := open(t, url, pgstore.Options{LockTimeout: time.Hour, StatementTimeout: 2 * time.Second})
	t.Cleanup(func() { _ = s2.Close() })
	tx = lockTables()
	_, err = s2.Active(boundedCtx(t), fnPay)
	if err == nil || !strings.Contains(err.Error(), "cannot read "+fnPay+": the registry database did not finish within 2s (statement_timeout)") {
		t.Fatalf("Active with a short statement timeout: %v", err)
	}
	_ = tx.Rollback(t.Context())

	// The URL's own settings win over the defaults.
	s3 := open(t, url+"&statement_timeout=1234", pgstore.Options{})
	t.Cleanup(func() { _ = s3.Close() })
	if _, err := s3.List(t.Context(), fnPay); err != nil {
		t.Fatalf("List once the lock is gone: %v", err)
	}
	var got string
	conn, err := pgx.Connect(t.Context(), url+"&statement_timeout=1234")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if err := conn.QueryRow(t.Context(), "SHOW statement_timeout").Scan(&got); err != nil || got != "1234ms" {
		t.Fatalf("statement_timeout from the URL: %q, %v", got, err)
	}
}

// TestMigrateLockTimeout: a migrator that waits for another one's lock
// gives up after lock_timeout, saying so.
func TestMigrateLockTimeout(t *testing.T) {
	c := needCluster(t)
	url := c.newDatabase(t)
	other, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Close(context.Background()) }()
	// The lock every migrator takes (pgstore's lockClass and lockMigrate).
	if _, err := other.Exec(t.Context(), "SELECT pg_advisory_lock($1, $2)", int32(0x72656c61), int32(2)); err != nil {
		t.Fatal(err)
	}
	err = pgstore.Migrate(boundedCtx(t), url+"&lock_timeout=150")
	if err == nil || !strings.Contains(err.Error(), "cannot migrate: another migrator held the registry's migration lock longer than 150ms (lock_timeout)") {
		t.Fatalf("Migrate behind another migrator: %v", err)
	}
}
