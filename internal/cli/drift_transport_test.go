package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/drift/sink"
)

func driftForTransport() event.Event {
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	e := event.Event{Function: "my-team/pay", Operation: "GET /pets", Rule: "undocumented-status", Direction: event.Response,
		Status: 418, Message: "418 is not in the contract", FirstSeen: at, LastSeen: at, Count: 1}
	e.Fingerprint = event.Fingerprint(e)
	return e
}

func noSleep(context.Context, time.Duration) error { return nil }

// TestDriftPostRefusesCrossHostRedirect: a CloudEvent redirected to
// another origin is not re-sent there, and the refusal is not retried.
func TestDriftPostRefusesCrossHostRedirect(t *testing.T) {
	recordDials(t)
	var mu sync.Mutex
	var hits []string
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		hits = append(hits, "elsewhere")
		mu.Unlock()
	}))
	defer elsewhere.Close()
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, "first")
		mu.Unlock()
		http.Redirect(w, r, elsewhere.URL+"/x", http.StatusTemporaryRedirect)
	}))
	defer first.Close()
	c := &sink.CloudEvents{URL: first.URL + "/secret", Post: newDriftPost(false), Retry: sink.Retry{Sleep: noSleep}}
	err := c.Emit(t.Context(), []event.Event{driftForTransport()})
	if err == nil || !strings.Contains(err.Error(), "the webhook redirected to another host (http://127.0.0.1:") || strings.Contains(err.Error(), "secret") {
		t.Errorf("error = %v", err)
	}
	if len(hits) != 1 || hits[0] != "first" {
		t.Errorf("requests = %v, want only the first host, once", hits)
	}
}

// TestDriftPostReportsRetryAfter: the answer's Retry-After reaches the
// sink, which waits what the server asked.
func TestDriftPostReportsRetryAfter(t *testing.T) {
	recordDials(t)
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n++; n == 1 {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	var waits []time.Duration
	c := &sink.CloudEvents{URL: srv.URL, Post: newDriftPost(false), Retry: sink.Retry{Backoff: time.Millisecond,
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil }}}
	if err := c.Emit(t.Context(), []event.Event{driftForTransport()}); err != nil {
		t.Fatal(err)
	}
	if n != 2 || len(waits) != 1 || waits[0] != 3*time.Second {
		t.Errorf("%d requests, waits %v; want 2 requests and one 3s wait", n, waits)
	}
}
