//go:build unix

package pgstore_test

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// seedEvents writes n chained notify-failed events spread over 100 other
// functions straight into audit_events, as a long-lived registry has.
func seedEvents(b *testing.B, url string, n int) {
	b.Helper()
	conn, err := pgx.Connect(b.Context(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(b.Context())
	var prev *registry.Event
	rows := make([][]any, 0, n)
	for i := range n {
		e := registry.Chain(prev, registry.Event{Time: registrytest.Start, Actor: "notifier", Action: registry.ActionNotifyFailed,
			Function: fmt.Sprintf("team/fn%d", i%100), Version: "1.0.0", Detail: "webhook timed out"})
		prev = &e
		rows = append(rows, []any{e.Seq, e.Time, e.Actor, string(e.Action), e.Function, e.Version, e.Detail, e.PrevHash, e.Hash})
	}
	cols := []string{"seq", "time", "actor", "action", "function", "version", "detail", "prev_hash", "hash"}
	if _, err := conn.CopyFrom(b.Context(), pgx.Identifier{"audit_events"}, cols, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPublish measures a write against a log of 10,000 events: every
// write verifies the whole chain under the lock, so this is the cost that
// grows with the registry's history.
func BenchmarkPublish(b *testing.B) {
	benchmarkOn(b, func(s *pgstore.Store, i int) error {
		v := fmt.Sprintf("1.0.%d", i)
		_, err := s.Publish(b.Context(), registrytest.Request(fnPay, v, "alice", v))
		return err
	})
}

// BenchmarkGet measures a read, which verifies only its function's events.
func BenchmarkGet(b *testing.B) {
	benchmarkOn(b, func(s *pgstore.Store, i int) error {
		if i == 0 {
			if _, err := s.Publish(b.Context(), registrytest.Request(fnPay, "1.0.0", "alice", "x")); err != nil {
				return err
			}
		}
		_, err := s.Get(b.Context(), fnPay, "1.0.0")
		return err
	})
}

func benchmarkOn(b *testing.B, op func(s *pgstore.Store, i int) error) {
	if theCluster == nil {
		b.Skip(skipReason)
	}
	url := theCluster.newDatabase(b)
	if err := pgstore.Migrate(b.Context(), url); err != nil {
		b.Fatal(err)
	}
	seedEvents(b, url, 10000)
	s, err := pgstore.Open(b.Context(), url, pgstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := 0; b.Loop(); i++ {
		if err := op(s, i); err != nil {
			b.Fatal(err)
		}
	}
}
