package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
)

// petsUpstream answers like a service with an odd but legal response:
// several Set-Cookie lines, no Content-Type, its own Date, bytes that are
// not UTF-8.
func petsUpstream() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = []string{"a=1", "b=2"}
		h["Date"] = []string{"Mon, 01 Jan 2001 00:00:00 GMT"}
		h["X-Weird"] = []string{"  spaced  "}
		h["Content-Type"] = nil
		if r.URL.Query().Get("status") == "500" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		_, _ = w.Write([]byte("{\"id\":\"7\",\"raw\":\"\xff\xfe\"}"))
	})
}

func TestResponsePassesThroughUnchanged(t *testing.T) {
	h := start(t, petsUpstream(), newFlagIDs("type-mismatch"), nil)
	up := h.p.opts.Upstream.String()
	direct, directBody := get(t, up+"/pets/7")
	proxied, proxiedBody := get(t, h.url+"/pets/7")
	assert.Equal(t, direct.StatusCode, proxied.StatusCode)
	assert.Equal(t, directBody, proxiedBody)
	assert.Equal(t, direct.Header, proxied.Header, "no header added, dropped or changed")
	assert.Empty(t, proxied.Header.Get("Content-Type"), "the proxy must not sniff a Content-Type")
}

func TestDriftIsEmittedWithLabels(t *testing.T) {
	h := start(t, petsUpstream(), newFlagIDs("type-mismatch"), nil)
	get(t, h.url+"/pets/7?x=1", "X-Tenant", "acme")
	e := recv(t, "a drift event", h.emitted.events)
	assert.Equal(t, "pets", e.Function)
	assert.Equal(t, "acme", e.Tenant)
	assert.Equal(t, "GET /pets/7", e.Operation)
	assert.Equal(t, "type-mismatch", e.Rule)
	assert.Equal(t, int64(1), e.Count)
	assert.NotEmpty(t, e.Fingerprint)
	_, metrics := get(t, h.admin+"/metrics")
	assert.Contains(t, string(metrics),
		`relay_drift_proxy_drift_total{function="pets",tenant="acme",operation="GET /pets/7",rule="type-mismatch"} 1`)
	assert.Contains(t, string(metrics), `relay_drift_proxy_validations_total{function="pets",tenant="acme"} 1`)
}

func TestValidationNeverBlocksTheResponse(t *testing.T) {
	b := newBlocking()
	h := start(t, petsUpstream(), b, func(o *Options, _ *Timeouts) { o.Workers = 1 })
	defer close(b.release)
	get(t, h.url+"/pets/1")
	recv(t, "the checker to start", b.entered)
	// The only worker is now stuck in Check: responses still arrive whole.
	for range 3 {
		res, body := get(t, h.url+"/pets/2")
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Contains(t, string(body), `"id":"7"`)
	}
	select {
	case <-b.release:
		t.Fatal("the checker was released before the responses arrived")
	default:
	}
}

func TestQueueOverflowDropsAndCounts(t *testing.T) {
	b := newBlocking()
	h := start(t, petsUpstream(), b, func(o *Options, _ *Timeouts) { o.Workers, o.QueueSize = 1, 1 })
	get(t, h.url+"/pets/1")
	recv(t, "the checker to start", b.entered) // the worker holds job 1
	get(t, h.url+"/pets/2")                    // queued
	waitFor(t, "job 2 queued", func() bool { return len(h.p.queue) == 1 })
	get(t, h.url+"/pets/3") // the queue is full: dropped
	waitFor(t, "job 3 dropped", func() bool { return h.p.Metrics().Dropped() == 1 })
	_, metrics := get(t, h.admin+"/metrics")
	assert.Contains(t, string(metrics), `relay_drift_proxy_dropped_total{function="pets",tenant=""} 1`)
	assert.Contains(t, string(metrics), `relay_drift_proxy_queue_depth{function="pets"} 1`)
	close(b.release)
	waitFor(t, "the queued job judged", func() bool { return h.p.Metrics().Validations() == 2 })
}

func TestPanickingCheckerLeavesTrafficAlone(t *testing.T) {
	h := start(t, petsUpstream(), checkFunc(func(context.Context, drift.Exchange) []event.Event {
		panic("checker bug")
	}), func(o *Options, _ *Timeouts) { o.Workers = 1 })
	for i := range 3 {
		res, body := get(t, h.url+"/pets/"+fmt.Sprint(i))
		assert.Equal(t, http.StatusOK, res.StatusCode)
		assert.Contains(t, string(body), `"id":"7"`)
	}
	waitFor(t, "three internal errors", func() bool { return h.p.Metrics().InternalErrors() == 3 })
	waitLog(t, h, "internal error judging GET /pets/0 (traffic unaffected): checker bug")
}

func gzipped(t *testing.T, data io.Reader) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := io.Copy(zw, data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func gzipUpstream(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

func TestGzipPassesThroughAndIsReadForChecking(t *testing.T) {
	body := gzipped(t, strings.NewReader(`{"id":"7"}`))
	c := newFlagIDs("type-mismatch")
	h := start(t, gzipUpstream(body), c, nil)
	res, got := get(t, h.url+"/pets/7")
	assert.Equal(t, body, got, "the compressed bytes, as the upstream sent them")
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	ex := recv(t, "the exchange", c.seen)
	assert.Equal(t, `{"id":"7"}`, string(ex.RespBody), "decompressed for the checker only")
	assert.False(t, ex.RespTruncated)
}

func TestGzipBombIsNotExpandedPastTheCap(t *testing.T) {
	const capBytes = 64 << 10
	bomb := gzipped(t, io.LimitReader(zeros{}, 200<<20)) // 200 MiB of zeros, ~200 KiB on the wire
	c := newFlagIDs("x")
	h := start(t, gzipUpstream(bomb), c, func(o *Options, _ *Timeouts) { o.BodyCap = capBytes })
	_, got := get(t, h.url+"/bomb")
	assert.Equal(t, bomb, got)
	ex := recv(t, "the exchange", c.seen)
	assert.LessOrEqual(t, len(ex.RespBody), capBytes)
	assert.True(t, ex.RespTruncated)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestGzipRequestBodyIsReadForChecking(t *testing.T) {
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "{}")
	})
	c := newFlagIDs("x")
	h := start(t, up, c, nil)
	req, err := http.NewRequest(http.MethodPost, h.url+"/pets", bytes.NewReader(gzipped(t, strings.NewReader(`{"name":"rex"}`))))
	require.NoError(t, err)
	req.Header.Set("Content-Encoding", "gzip")
	res, err := client.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	ex := recv(t, "the exchange", c.seen)
	assert.Equal(t, `{"name":"rex"}`, string(ex.ReqBody))
	assert.False(t, ex.ReqTruncated)
}
