package sink_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/drift/sink"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

var t0 = time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)

func drift(op string) event.Event {
	e := event.Event{Function: "my-team/pay", Version: "1.0.0", Operation: op, Rule: "type-mismatch",
		Direction: event.Response, Status: 200, SchemaPointer: "/components/schemas/Pet/properties/id",
		Message: "id is a string, the contract says integer", Observed: "string (5 bytes)",
		Fix: "fix the implementation", FirstSeen: t0, LastSeen: t0, Count: 1}
	e.Fingerprint = event.Fingerprint(e)
	return e
}

// post is a plain Post over net/http for the tests' 127.0.0.1 servers.
func post(ctx context.Context, url, ctype string, body []byte) (sink.Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return sink.Answer{}, err
	}
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return sink.Answer{}, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return sink.Answer{Code: resp.StatusCode, Status: resp.Status, RetryAfter: resp.Header.Get("Retry-After")}, nil
}

// server answers each request with the next of answers (the last one
// repeats) and records what it received.
type server struct {
	mu      sync.Mutex
	answers []func(http.ResponseWriter)
	bodies  [][]byte
	ctypes  []string
	*httptest.Server
}

func newServer(t *testing.T, answers ...func(http.ResponseWriter)) *server {
	s := &server{answers: answers}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, b)
		s.ctypes = append(s.ctypes, r.Header.Get("Content-Type"))
		s.mu.Unlock()
		s.answers[min(n, len(s.answers)-1)](w)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

func status(code int, headers ...string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
	}
}

// sleeps records the waits instead of waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func retry(sl *sleeps) sink.Retry {
	return sink.Retry{Attempts: 4, Backoff: time.Second, MaxWait: 30 * time.Second, Sleep: sl.Sleep,
		Jitter: func() float64 { return 0.5 }, Now: func() time.Time { return t0 }}
}

func TestJSONLinesStdout(t *testing.T) {
	var buf bytes.Buffer
	j := sink.NewJSONLines(&buf)
	a := drift("GET /pets/{id}")
	a.Message = "<b> & co"
	if err := j.Emit(t.Context(), []event.Event{a, drift("POST /pets")}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"message":"<b> & co"`) || !strings.Contains(lines[1], `"operation":"POST /pets"`) {
		t.Fatalf("JSON lines = %q", buf.String())
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestJSONLinesFileConcurrent: several writers appending to one file
// never interleave within a line.
func TestJSONLinesFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "drift.jsonl")
	const writers, per = 4, 50
	var wg sync.WaitGroup
	for range writers {
		j, err := sink.OpenJSONLines(path)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			defer j.Close()
			for range per {
				if err := j.Emit(context.Background(), []event.Event{drift("GET /pets/{id}")}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	for sc := bufio.NewScanner(f); sc.Scan(); n++ {
		var e event.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Count != 1 {
			t.Fatalf("line %d is not one event: %q (%v)", n+1, sc.Text(), err)
		}
	}
	if n != writers*per {
		t.Errorf("%d lines, want %d", n, writers*per)
	}
	if _, err := sink.OpenJSONLines(filepath.Join(t.TempDir(), "no", "dir", "x.jsonl")); err == nil ||
		!strings.HasPrefix(err.Error(), "cannot open the drift event file ") {
		t.Errorf("opening in a missing directory: %v", err)
	}
}

// TestCloudEventsStructured: one structured-mode CloudEvent per drift,
// whose id survives a retry.
func TestCloudEventsStructured(t *testing.T) {
	srv := newServer(t, status(503), status(202))
	sl := &sleeps{}
	c := &sink.CloudEvents{URL: srv.URL + "/events", Post: post, Retry: retry(sl)}
	d := drift("GET /pets/{id}")
	if err := c.Emit(t.Context(), []event.Event{d}); err != nil {
		t.Fatal(err)
	}
	if srv.requests() != 2 || srv.ctypes[0] != "application/cloudevents+json" {
		t.Fatalf("%d requests, content types %q", srv.requests(), srv.ctypes)
	}
	if !bytes.Equal(srv.bodies[0], srv.bodies[1]) {
		t.Errorf("the retry sent a different body:\n%s\n%s", srv.bodies[0], srv.bodies[1])
	}
	var ce map[string]any
	if err := json.Unmarshal(srv.bodies[0], &ce); err != nil {
		t.Fatal(err)
	}
	data, _ := ce["data"].(map[string]any)
	if ce["specversion"] != "1.0" || ce["type"] != "dev.relay.contract.drift" || ce["source"] != "relay/drift" ||
		ce["time"] != "2026-12-03T10:00:00Z" || ce["subject"] != "my-team/pay" || ce["id"] == "" ||
		ce["dataschema"] != sink.DataSchema || data["fingerprint"] != d.Fingerprint || data["count"] != 1.0 {
		t.Errorf("CloudEvent = %s", srv.bodies[0])
	}
	if len(sl.d) != 1 || sl.d[0] != 750*time.Millisecond {
		t.Errorf("waits = %v, want [750ms] (backoff 1s, jitter over its upper half)", sl.d)
	}
}

// TestRetryBounded: a server that keeps failing gets exactly Attempts
// requests, with growing waits; a refusal is final at once.
func TestRetryBounded(t *testing.T) {
	srv := newServer(t, status(500))
	sl := &sleeps{}
	c := &sink.CloudEvents{URL: srv.URL + "/secret-path", Post: post, Retry: retry(sl)}
	err := c.Emit(t.Context(), []event.Event{drift("GET /pets/{id}")})
	want := "delivery of drift " + drift("GET /pets/{id}").Fingerprint + " to " + srv.URL + "/… failed: the server answered 500 Internal Server Error"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if srv.requests() != 4 {
		t.Errorf("%d requests, want 4", srv.requests())
	}
	if w := []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second}; len(sl.d) != 3 || sl.d[0] != w[0] || sl.d[1] != w[1] || sl.d[2] != w[2] {
		t.Errorf("waits = %v, want %v", sl.d, w)
	}

	refused := newServer(t, status(400))
	c = &sink.CloudEvents{URL: refused.URL, Post: post, Retry: retry(&sleeps{})}
	if err := c.Emit(t.Context(), []event.Event{drift("GET /pets/{id}")}); err == nil || !strings.HasSuffix(err.Error(), "the server refused it: 400 Bad Request") {
		t.Errorf("error = %v", err)
	}
	if refused.requests() != 1 {
		t.Errorf("a 400 was retried: %d requests", refused.requests())
	}
}

// TestRetryAfter: the server's Retry-After is honoured (seconds or a
// date); one beyond MaxWait ends delivery rather than stall.
func TestRetryAfter(t *testing.T) {
	srv := newServer(t, status(429, "Retry-After", "7"), status(503, "Retry-After", t0.Add(12*time.Second).Format(http.TimeFormat)), status(200))
	sl := &sleeps{}
	c := &sink.CloudEvents{URL: srv.URL, Post: post, Retry: retry(sl)}
	if err := c.Emit(t.Context(), []event.Event{drift("GET /pets/{id}")}); err != nil {
		t.Fatal(err)
	}
	if len(sl.d) != 2 || sl.d[0] != 7*time.Second || sl.d[1] != 12*time.Second {
		t.Errorf("waits = %v, want [7s 12s]", sl.d)
	}

	long := newServer(t, status(503, "Retry-After", "120"))
	c = &sink.CloudEvents{URL: long.URL, Post: post, Retry: retry(&sleeps{})}
	err := c.Emit(t.Context(), []event.Event{drift("GET /pets/{id}")})
	if err == nil || !strings.HasSuffix(err.Error(), "the server answered 503 Service Unavailable, and it asks to retry after 2m0s, beyond the 30s bound") {
		t.Errorf("error = %v", err)
	}
	if long.requests() != 1 {
		t.Errorf("%d requests, want 1", long.requests())
	}
}

// TestFinalPostError: an error the transport marks final is not retried.
func TestFinalPostError(t *testing.T) {
	calls := 0
	p := func(context.Context, string, string, []byte) (sink.Answer, error) {
		calls++
		return sink.Answer{}, sink.Final(errors.New("the webhook redirected to another host (http://evil.example)"))
	}
	c := &sink.CloudEvents{URL: "http://127.0.0.1:1/x", Post: p, Retry: retry(&sleeps{})}
	if err := c.Emit(t.Context(), []event.Event{drift("GET /")}); err == nil || calls != 1 {
		t.Errorf("error %v after %d calls, want one call", err, calls)
	}
	c.URL = "ftp://example.com/x"
	if err := c.Emit(t.Context(), []event.Event{drift("GET /")}); err == nil || err.Error() != "the drift sink URL must be an http(s) URL with a host" {
		t.Errorf("ftp URL: %v", err)
	}
}

// TestSlackOncePerFingerprintPerWindow: however often a drift is emitted,
// Slack hears of it once per window; a new drift is announced at once.
func TestSlackOncePerFingerprintPerWindow(t *testing.T) {
	srv := newServer(t, status(200))
	now := t0
	s := &sink.Slack{URL: srv.URL + "/services/T/B/secret", Post: post, Retry: retry(&sleeps{}), Window: time.Hour,
		Capacity: 2, Now: func() time.Time { return now }}
	a, b, c := drift("GET /a"), drift("GET /b"), drift("GET /c")
	emit := func(es ...event.Event) {
		t.Helper()
		if err := s.Emit(t.Context(), es); err != nil {
			t.Fatal(err)
		}
	}
	for range 100 {
		emit(a)
	}
	if srv.requests() != 1 {
		t.Fatalf("100 sightings of one drift sent %d messages, want 1", srv.requests())
	}
	emit(a, b)
	if srv.requests() != 2 {
		t.Fatalf("a new drift: %d messages, want 2", srv.requests())
	}
	now = now.Add(59 * time.Minute)
	emit(a)
	now = now.Add(2 * time.Minute)
	emit(a)
	if srv.requests() != 3 {
		t.Fatalf("after the window: %d messages, want 3", srv.requests())
	}
	// Capacity 2: announcing c evicts the least recently announced (b).
	emit(c, b)
	if srv.requests() != 5 {
		t.Errorf("after eviction: %d messages, want 5", srv.requests())
	}
	var msg map[string]string
	if err := json.Unmarshal(srv.bodies[0], &msg); err != nil || srv.ctypes[0] != "application/json" {
		t.Fatal(err, srv.ctypes[0])
	}
	want := ":warning: Contract drift in *my-team/pay@1.0.0*: `GET /a` type-mismatch (response 200)\n" +
		"id is a string, the contract says integer (observed string (5 bytes))\n*Fix:* fix the implementation\n" +
		"Seen 1× since 2026-12-03T10:00:00Z · fingerprint `" + a.Fingerprint + "` · `relay drift incidents`"
	if msg["text"] != want {
		t.Errorf("Slack text =\n%s\nwant\n%s", msg["text"], want)
	}
}

func TestSlackTextEscapes(t *testing.T) {
	e := drift("GET /x")
	e.Message, e.Observed = "<!channel> & <https://evil.example|click>", "`code`"
	got := sink.SlackText(e)
	if strings.Contains(got, "<") || strings.Contains(got, ">") {
		t.Errorf("unescaped markup: %s", got)
	}
	if !strings.Contains(got, "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; (observed 'code')") {
		t.Errorf("SlackText = %s", got)
	}
}

// TestIncidentsSink: events land in the registry as incidents.
func TestIncidentsSink(t *testing.T) {
	st, err := filestore.Open(filepath.Join(t.TempDir(), "registry"), filestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Publish(t.Context(), registrytest.Request("my-team/pay", "1.0.0", "alice", "x")); err != nil {
		t.Fatal(err)
	}
	s := sink.Incidents{Store: st}
	d := drift("GET /pets/{id}")
	for range 3 {
		if err := s.Emit(t.Context(), []event.Event{d}); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := st.ListIncidents(t.Context(), registry.IncidentFilter{Function: "my-team/pay"})
	if err != nil || len(ins) != 1 || ins[0].Drift.Count != 3 || ins[0].Status != registry.IncidentOpen {
		t.Fatalf("incidents = %+v, %v", ins, err)
	}
}

type failing struct{ closed bool }

func (f *failing) Emit(context.Context, []event.Event) error { return errors.New("sink down") }
func (f *failing) Close() error                              { f.closed = true; return nil }

// TestMulti: one failing sink neither hides nor blocks the others.
func TestMulti(t *testing.T) {
	var buf bytes.Buffer
	f := &failing{}
	m := sink.Multi{f, sink.NewJSONLines(&buf)}
	if err := m.Emit(t.Context(), []event.Event{drift("GET /")}); err == nil || err.Error() != "sink down" {
		t.Errorf("error = %v", err)
	}
	if !strings.Contains(buf.String(), `"operation":"GET /"`) {
		t.Errorf("the JSON lines sink got nothing: %q", buf.String())
	}
	if err := m.Close(); err != nil || !f.closed {
		t.Errorf("Close: %v, closed %v", err, f.closed)
	}
}

// TestRetryStopsWhenCancelled: a context that ends between attempts ends
// delivery at once, saying how far it got.
func TestRetryStopsWhenCancelled(t *testing.T) {
	srv := newServer(t, status(503))
	ctx, cancel := context.WithCancel(t.Context())
	r := retry(&sleeps{})
	r.Sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	c := &sink.CloudEvents{URL: srv.URL, Post: post, Retry: r}
	err := c.Emit(ctx, []event.Event{drift("GET /a"), drift("GET /b")})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "abandoned after 1 attempt: context canceled") {
		t.Errorf("error = %v", err)
	}
	if srv.requests() != 1 {
		t.Errorf("%d requests after the cancel, want 1 (the second event is not tried)", srv.requests())
	}
}
