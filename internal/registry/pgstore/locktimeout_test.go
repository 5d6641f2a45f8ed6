//go:build unix

package pgstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestLockTimeout: a transaction that holds the write lock and never ends
// (a stuck writer) makes other writes fail after LockTimeout with a clear
// sentence, instead of blocking them forever; once it ends, writes work.
func TestLockTimeout(t *testing.T) {
	c := needCluster(t)
	url := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	s := open(t, url, pgstore.Options{LockTimeout: 200 * time.Millisecond})
	stuck, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close(t.Context())
	tx, err := stuck.Begin(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The same lock every write takes (pgstore's lockClass and lockChain).
	if _, err := tx.Exec(t.Context(), "SELECT pg_advisory_xact_lock($1, $2)", int32(0x72656c61), int32(1)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = s.Publish(t.Context(), registrytest.Request(fnPay, "1.0.0", "ada", "v1"))
	if err == nil || !strings.Contains(err.Error(), "held the registry's write lock too long") {
		t.Fatalf("Publish while the lock is held: %v", err)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Errorf("waited %s for a 200ms lock timeout", waited)
	}
	if err := tx.Rollback(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(t.Context(), registrytest.Request(fnPay, "1.0.0", "ada", "v1")); err != nil {
		t.Fatalf("Publish after the stuck writer ended: %v", err)
	}
}
