package proxy

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShutdownFinishesInFlightAndDrainsTheQueue(t *testing.T) {
	inUpstream, finish := make(chan struct{}), make(chan struct{})
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(inUpstream)
			<-finish
		}
		_, _ = io.WriteString(w, `{"id":"7"}`)
	})
	b := newBlocking()
	h := start(t, up, b, func(o *Options, _ *Timeouts) { o.Workers = 1 })
	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		res, err := client.Get(h.url + "/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		body, err := io.ReadAll(res.Body)
		_ = res.Body.Close()
		slow <- result{string(body), err}
	}()
	<-inUpstream
	shut := make(chan error, 1)
	go func() { shut <- h.srv.Shutdown(context.Background()) }()
	waitFor(t, "readiness withdrawn", func() bool {
		res, err := client.Get(h.admin + "/readyz")
		if err != nil {
			return false
		}
		_ = res.Body.Close()
		return res.StatusCode == http.StatusServiceUnavailable
	})
	close(finish)
	r := recv(t, "the in-flight response", slow)
	require.NoError(t, r.err)
	assert.Equal(t, `{"id":"7"}`, r.body, "the in-flight request finished")
	recv(t, "the in-flight exchange judged", b.entered)
	select {
	case err := <-shut:
		t.Fatalf("shutdown returned (%v) while the queue was still being judged", err)
	default:
	}
	close(b.release)
	require.NoError(t, recv(t, "shutdown", shut))
	assert.Equal(t, int64(1), h.p.Metrics().Validations())
}

func TestShutdownGivesUpOnTheQueueAtTheDeadline(t *testing.T) {
	b := newBlocking()
	defer close(b.release)
	h := start(t, petsUpstream(), b, func(o *Options, tm *Timeouts) {
		o.Workers = 1
		tm.Shutdown = 50 * time.Millisecond
	})
	get(t, h.url+"/pets/1")
	recv(t, "the checker to start", b.entered)
	get(t, h.url+"/pets/2")
	waitFor(t, "job 2 queued", func() bool { return len(h.p.queue) == 1 })
	err := h.srv.Shutdown(context.Background())
	require.EqualError(t, err, "the validation queue was not drained in time: 1 exchanges dropped")
}

func TestAdminEndpoints(t *testing.T) {
	h := start(t, petsUpstream(), newFlagIDs("x"), nil)
	res, body := get(t, h.admin+"/healthz")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ok\n", string(body))
	res, body = get(t, h.admin+"/readyz")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ready: judging against pets@1.2.0\n", string(body))
	res, body = get(t, h.admin+"/metrics")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), "# TYPE relay_drift_proxy_dropped_total counter\n")
	res, _ = get(t, h.url+"/healthz")
	assert.Equal(t, http.StatusOK, res.StatusCode, "the proxy listener forwards everything, /healthz included")
}

func TestHotSwapJudgesTheNextExchangeByTheNewChecker(t *testing.T) {
	oldC, newC := newFlagIDs("old-rule"), newFlagIDs("new-rule")
	src := &swapSource{c: oldC, name: "my-team/pets@1.2.0", changed: make(chan struct{}, 1)}
	h := start(t, petsUpstream(), nil, func(o *Options, _ *Timeouts) { o.Source = src })
	waitLog(t, h, "judging against my-team/pets@1.2.0 now")
	get(t, h.url+"/pets/1")
	assert.Equal(t, "old-rule", recv(t, "an event", h.emitted.events).Rule)
	src.set(newC, "my-team/pets@1.3.0")
	waitLog(t, h, "judging against my-team/pets@1.3.0 now")
	get(t, h.url+"/pets/1")
	assert.Equal(t, "new-rule", recv(t, "an event", h.emitted.events).Rule)
	_, body := get(t, h.admin+"/readyz")
	assert.Equal(t, "ready: judging against my-team/pets@1.3.0\n", string(body))
}
