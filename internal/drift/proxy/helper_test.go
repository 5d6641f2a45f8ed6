package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
)

// flagIDs is the fake checker: a response body with a string "id" is
// drift, reported under rule; every exchange it sees is recorded.
type flagIDs struct {
	rule string
	seen chan drift.Exchange
}

func newFlagIDs(rule string) *flagIDs {
	return &flagIDs{rule: rule, seen: make(chan drift.Exchange, 100)}
}

func (f *flagIDs) Check(_ context.Context, ex drift.Exchange) []event.Event {
	f.seen <- ex
	if !bytes.Contains(ex.RespBody, []byte(`"id":"`)) {
		return nil
	}
	return []event.Event{{Operation: ex.Method + " " + pathOf(ex.URL), Rule: f.rule,
		Direction: event.Response, Status: ex.Status, Message: "id is a string"}}
}

// blocking holds every check until release is closed; entered receives
// one value per check that started.
type blocking struct {
	entered chan struct{}
	release chan struct{}
}

func newBlocking() *blocking {
	return &blocking{entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (b *blocking) Check(context.Context, drift.Exchange) []event.Event {
	b.entered <- struct{}{}
	<-b.release
	return nil
}

type checkFunc func(ctx context.Context, ex drift.Exchange) []event.Event

func (f checkFunc) Check(ctx context.Context, ex drift.Exchange) []event.Event { return f(ctx, ex) }

// collect is the fake emitter.
type collect struct{ events chan event.Event }

func newCollect() *collect { return &collect{events: make(chan event.Event, 100)} }

func (c *collect) Emit(_ context.Context, events []event.Event) error {
	for _, e := range events {
		c.events <- e
	}
	return nil
}

// swapSource is a fake Source whose checker the test replaces.
type swapSource struct {
	mu      sync.Mutex
	c       Checker
	name    string
	changed chan struct{}
}

func (s *swapSource) Current(context.Context) (Checker, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c, s.name, nil
}

func (s *swapSource) Changed() <-chan struct{} { return s.changed }

func (s *swapSource) set(c Checker, name string) {
	s.mu.Lock()
	s.c, s.name = c, name
	s.mu.Unlock()
	s.changed <- struct{}{}
}

type harness struct {
	url, admin string
	p          *Proxy
	srv        *Server
	emitted    *collect
	logs       chan string
	cancel     context.CancelFunc
	served     chan error
}

// start runs a proxy in front of upstream: every exchange sampled unless
// o says otherwise, the checker c, events collected.
func start(t *testing.T, upstream http.Handler, c Checker, tweak func(*Options, *Timeouts)) *harness {
	t.Helper()
	up := httptest.NewServer(upstream)
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	h := &harness{emitted: newCollect(), logs: make(chan string, 100), served: make(chan error, 1)}
	o := Options{Upstream: u, Source: StaticSource{Checker: c, Name: "pets@1.2.0"}, Emitter: h.emitted,
		Function: "pets", Sampling: Sampling{Rate: 1, Errors: true}, TenantHeader: "X-Tenant",
		Logf: func(f string, a ...any) {
			select {
			case h.logs <- fmt.Sprintf(f, a...):
			default:
			}
		}}
	tm := Timeouts{Shutdown: 10 * time.Second}
	if tweak != nil {
		tweak(&o, &tm)
	}
	p, err := New(o)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	h.p, h.cancel = p, cancel
	require.NoError(t, p.Start(ctx))
	h.srv = NewServer(p, tm)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	adm, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	h.url, h.admin = "http://"+ln.Addr().String(), "http://"+adm.Addr().String()
	go func() { h.served <- h.srv.Serve(ctx, ln, adm) }()
	t.Cleanup(func() {
		cancel()
		<-h.served
	})
	return h
}

// client never asks for compression, so bodies arrive as sent.
var client = &http.Client{Transport: &http.Transport{DisableCompression: true}}

func get(t *testing.T, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	defer func() { _ = res.Body.Close() }()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, b
}

// waitFor waits for a condition another goroutine makes true; it is a
// synchronisation point, not a timing assertion (the bound only keeps a
// broken proxy from hanging the test run).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, 2*time.Millisecond, what)
}

func recv[T any](t *testing.T, what string, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(20 * time.Second):
		t.Fatalf("never received %s", what)
	}
	var zero T
	return zero
}

func waitLog(t *testing.T, h *harness, want string) {
	t.Helper()
	for {
		if line := recv(t, "log line "+want, h.logs); strings.Contains(line, want) {
			return
		}
	}
}
