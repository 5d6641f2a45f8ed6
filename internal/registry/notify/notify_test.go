package notify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/registry/notify"
)

var decision = notify.Decision{Function: "my-team/payments", Version: "1.5.0", Action: "approve",
	Reviewer: "bob", Reason: "reviewed in #42", Author: "ada", Verdict: "non-breaking", Base: "1.4.0",
	Time: time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)}

// flaky is a real HTTP server on 127.0.0.1 that answers the given status
// codes in turn, recording each request.
type flaky struct {
	mu       sync.Mutex
	statuses []int
	bodies   []string
	types    []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bodies = append(f.bodies, string(b))
	f.types = append(f.types, r.Header.Get("Content-Type"))
	code := http.StatusOK
	if n := len(f.bodies) - 1; n < len(f.statuses) {
		code = f.statuses[n]
	}
	w.WriteHeader(code)
}

func serve(t *testing.T, statuses ...int) (*flaky, string) {
	t.Helper()
	f := &flaky{statuses: statuses}
	srv := httptest.NewServer(f) // binds 127.0.0.1
	t.Cleanup(srv.Close)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	return f, srv.URL + "/services/T000/B000/secret"
}

// post is a plain net/http transport, as the CLI provides one. It leaves
// the URL in its errors (url.Error quotes it), so the tests also check that
// notify keeps it out of its own messages.
func post(ctx context.Context, url, contentType string, body []byte) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()
	return resp.StatusCode, resp.Status, nil
}

// noWait records the backoff without sleeping.
func noWait(waits *[]time.Duration) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		*waits = append(*waits, d)
		return nil
	}
}

func TestRetriesUntilDelivered(t *testing.T) {
	srv, url := serve(t, 503, 500, 200)
	var waits []time.Duration
	w := &notify.Webhook{URL: url, Post: post, Sleep: noWait(&waits)}
	require.NoError(t, w.Send(context.Background(), decision))
	assert.Len(t, srv.bodies, 3, "two failures, then delivered")
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, waits, "exponential backoff")
	var msg map[string]string
	require.NoError(t, json.Unmarshal([]byte(srv.bodies[2]), &msg))
	assert.Equal(t, "Contract my-team/payments@1.5.0 was approved by bob: reviewed in #42 (diff against 1.4.0: non-breaking)", msg["text"])
	assert.Equal(t, "application/json", srv.types[2])
}

func TestGivesUpAfterBoundedAttempts(t *testing.T) {
	srv, url := serve(t, 500, 500, 500, 500, 500, 500)
	var waits []time.Duration
	w := &notify.Webhook{URL: url, Post: post, Attempts: 3, Sleep: noWait(&waits)}
	err := w.Send(context.Background(), decision)
	require.Error(t, err)
	assert.Len(t, srv.bodies, 3)
	assert.Contains(t, err.Error(), "500 Internal Server Error")
	assert.NotContains(t, err.Error(), "secret", "webhook URLs are credentials")
}

func TestClientErrorsAreFinal(t *testing.T) {
	srv, url := serve(t, 404)
	w := &notify.Webhook{URL: url, Post: post, Sleep: noWait(new([]time.Duration))}
	err := w.Send(context.Background(), decision)
	require.Error(t, err)
	assert.Len(t, srv.bodies, 1, "a 404 will not get better")
	assert.Contains(t, err.Error(), "refused")
}

func TestUnreachableIsRetriedThenReported(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/services/T000/B000/secret"
	srv.Close() // nothing listens there now
	var waits []time.Duration
	w := &notify.Webhook{URL: url, Post: post, Attempts: 2, Sleep: noWait(&waits)}
	err := w.Send(context.Background(), decision)
	require.Error(t, err)
	assert.Len(t, waits, 1)
	assert.NotContains(t, err.Error(), "secret", "the URL's path is a credential")
	assert.Contains(t, err.Error(), "connection refused")
}

func TestCloudEvents(t *testing.T) {
	srv, url := serve(t)
	w := &notify.Webhook{URL: url, Post: post, Format: notify.FormatCloudEvents}
	require.NoError(t, w.Send(context.Background(), decision))
	require.Len(t, srv.bodies, 1)
	assert.Equal(t, "application/cloudevents+json", srv.types[0])
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(srv.bodies[0]), &ev))
	for _, k := range []string{"specversion", "type", "source", "id"} { // required context attributes
		assert.NotEmpty(t, ev[k], k)
	}
	assert.Equal(t, "1.0", ev["specversion"])
	assert.Equal(t, "dev.relay.contract.approve", ev["type"])
	assert.Equal(t, "my-team/payments@1.5.0", ev["subject"])
	assert.Equal(t, "2026-12-03T08:00:00Z", ev["time"])
	data := ev["data"].(map[string]any)
	assert.Equal(t, "bob", data["reviewer"])

	// A retried delivery carries the same id, so receivers can de-duplicate.
	require.NoError(t, w.Send(context.Background(), decision))
	var again map[string]any
	require.NoError(t, json.Unmarshal([]byte(srv.bodies[1]), &again))
	assert.Equal(t, ev["id"], again["id"])
}

func TestCancelledWhileWaiting(t *testing.T) {
	_, url := serve(t, 503, 503)
	ctx, cancel := context.WithCancel(context.Background())
	w := &notify.Webhook{URL: url, Post: post, Sleep: func(ctx context.Context, _ time.Duration) error {
		cancel()
		return ctx.Err()
	}}
	err := w.Send(ctx, decision)
	require.ErrorIs(t, err, context.Canceled)
}

func TestCheckBeforeAnyDelivery(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:9/hook", "https://hooks.example/services/T0/B0/secret"} {
		assert.NoError(t, (&notify.Webhook{URL: u, Post: post}).Check(), u)
	}
	for _, u := range []string{"ftp://hooks.example/secret", "http://", "hooks.example/secret", "http://[::1/secret", ""} {
		err := (&notify.Webhook{URL: u, Post: post}).Check()
		if assert.Error(t, err, u) {
			assert.NotContains(t, err.Error(), "secret", "webhook URLs are credentials")
		}
	}
	err := (&notify.Webhook{URL: "https://hooks.example/x", Post: post, Format: "xml"}).Check()
	assert.ErrorContains(t, err, `unknown notification format "xml"`)
}

func TestCheckWantsATransport(t *testing.T) {
	err := (&notify.Webhook{URL: "https://hooks.example/x"}).Check()
	assert.ErrorContains(t, err, "no transport")
}

// TestEachAttemptIsBounded: the policy, not the transport, bounds an
// attempt; a hung receiver costs a timeout per attempt, then a report.
func TestEachAttemptIsBounded(t *testing.T) {
	attempts := 0
	hang := func(ctx context.Context, _, _ string, _ []byte) (int, string, error) {
		attempts++
		<-ctx.Done()
		return 0, "", ctx.Err()
	}
	w := &notify.Webhook{URL: "https://hooks.example/secret", Post: hang, Attempts: 2, Timeout: time.Millisecond,
		Sleep: noWait(new([]time.Duration))}
	err := w.Send(context.Background(), decision)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 2, attempts, "a timed-out attempt is retried")
}

// TestTransportErrorsAreScrubbed: whatever a transport puts in its error,
// the webhook's URL does not reach the message (it ends up in the audit
// trail), and the error still unwraps.
func TestTransportErrorsAreScrubbed(t *testing.T) {
	const u = "https://hooks.example/services/T0/B0/secret"
	leaky := func(context.Context, string, string, []byte) (int, string, error) {
		return 0, "", fmt.Errorf("Post %q: %w", u, context.Canceled)
	}
	err := (&notify.Webhook{URL: u, Post: leaky, Attempts: 1}).Send(context.Background(), decision)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotContains(t, err.Error(), "secret")
	assert.Contains(t, err.Error(), "https://hooks.example/…")
}
