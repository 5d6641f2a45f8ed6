package proxy

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"sync"
	"time"

	"github.com/relay-dev/relay/internal/drift"
)

// exchangeState follows one request from Rewrite to the response body's
// Close, where its exchange is queued.
type exchangeState struct {
	start   time.Time
	method  string
	url     string
	header  http.Header // the inbound request's, cloned only if judged
	tenant  string
	sampled bool // by rate; an error status samples it anyway
	req     *capBuf
	checker *activeChecker
}

type stateKey struct{}

// rewrite points the outbound request at the upstream and leaves the
// rest as the client sent it: the Host header, and the forwarding
// headers a load balancer in front may have set (ReverseProxy strips
// them before Rewrite; a sidecar must not).
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(p.opts.Upstream)
	pr.Out.Host = pr.In.Host
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"} {
		if v, ok := pr.In.Header[h]; ok {
			pr.Out.Header[h] = v
		}
	}
	st := p.newState(pr.In)
	if st == nil {
		return
	}
	if st.sampled || p.opts.Sampling.Errors {
		if pr.Out.Body != nil && pr.Out.Body != http.NoBody {
			st.req = newCapBuf(p.opts.BodyCap, pr.In.ContentLength)
			pr.Out.Body = &teeBody{rc: pr.Out.Body, buf: st.req}
		}
	}
	pr.Out = pr.Out.WithContext(context.WithValue(pr.Out.Context(), stateKey{}, st))
}

// newState decides whether the request is sampled; nil means it cannot
// be judged at all (no contract loaded yet), so nothing is captured.
func (p *Proxy) newState(in *http.Request) *exchangeState {
	ac := p.active.Load()
	if ac == nil {
		return nil
	}
	sampled := p.opts.Sampling.sample(in.Method, in.URL.Path)
	if !sampled && !p.opts.Sampling.Errors {
		return nil
	}
	st := &exchangeState{start: p.opts.Clock(), method: in.Method, url: in.URL.RequestURI(),
		header: in.Header, sampled: sampled, checker: ac}
	if p.opts.TenantHeader != "" {
		st.tenant = in.Header.Get(p.opts.TenantHeader)
	}
	return st
}

// modifyResponse decides, now that the status is known, whether the
// exchange is judged, and if so tees the response body. It never returns
// an error: that would replace the upstream's response.
func (p *Proxy) modifyResponse(res *http.Response) error {
	st, _ := res.Request.Context().Value(stateKey{}).(*exchangeState)
	if st == nil {
		return nil
	}
	forced := p.opts.Sampling.Errors && res.StatusCode >= 400
	if !st.sampled && !forced {
		return nil
	}
	ex := p.exchangeHead(st, res)
	if res.StatusCode == http.StatusSwitchingProtocols || isEventStream(res.Header) || res.Body == nil || res.Body == http.NoBody {
		// An upgraded connection or an event stream may last for hours:
		// judge the head now and never touch the stream.
		ex.RespTruncated = res.StatusCode == http.StatusSwitchingProtocols || isEventStream(res.Header)
		p.finishRequest(st, &ex)
		p.enqueue(job{ex: ex, checker: st.checker})
		return nil
	}
	res.Body = &respBody{rc: res.Body, buf: newCapBuf(p.opts.BodyCap, res.ContentLength), done: func(b []byte, truncated bool) {
		ex.RespBody, ex.RespTruncated = b, truncated
		p.finishRequest(st, &ex)
		p.enqueue(job{ex: ex, checker: st.checker})
	}}
	return nil
}

func (p *Proxy) exchangeHead(st *exchangeState, res *http.Response) drift.Exchange {
	p.metrics.sampled.inc(st.tenant)
	return drift.Exchange{Time: st.start, Method: st.method, URL: st.url, ReqHeader: st.header.Clone(),
		Status: res.StatusCode, RespHeader: res.Header.Clone(), Tenant: st.tenant}
}

// finishRequest copies what was captured of the request body so far; a
// body the upstream did not read to the end is marked truncated.
func (p *Proxy) finishRequest(st *exchangeState, ex *drift.Exchange) {
	if st.req != nil {
		ex.ReqBody, ex.ReqTruncated = st.req.snapshot()
	}
}

func isEventStream(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream"
}

// capBuf keeps the first limit bytes written to it. The request body is
// read by the transport's goroutine while the response is handled on
// another, hence the lock.
type capBuf struct {
	mu        sync.Mutex
	limit     int64
	buf       []byte
	truncated bool
	eof       bool
}

// newCapBuf sizes the buffer for the declared length, up to the cap, so
// that a sampled body is copied once instead of grown step by step.
func newCapBuf(limit, contentLength int64) *capBuf {
	c := &capBuf{limit: limit}
	if contentLength > 0 {
		c.buf = make([]byte, 0, min(contentLength, limit))
	}
	return c
}

func (c *capBuf) write(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	room := c.limit - int64(len(c.buf))
	if int64(len(p)) > room {
		p = p[:max(room, 0)]
		c.truncated = true
	}
	c.buf = append(c.buf, p...)
}

func (c *capBuf) setEOF() {
	c.mu.Lock()
	c.eof = true
	c.mu.Unlock()
}

// snapshot returns a copy of the bytes and whether they are not the
// whole body (cut at the cap, or never read to the end).
func (c *capBuf) snapshot() ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]byte(nil), c.buf...), c.truncated || !c.eof
}

// teeBody copies what the transport reads of the request body.
type teeBody struct {
	rc  io.ReadCloser
	buf *capBuf
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	t.buf.write(p[:n])
	if err == io.EOF {
		t.buf.setEOF()
	}
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }

// respBody copies what the proxy reads of the response body, and hands
// the capture over once, when the proxy closes the body.
type respBody struct {
	rc   io.ReadCloser
	buf  *capBuf
	once sync.Once
	done func(b []byte, truncated bool)
}

func (r *respBody) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	r.buf.write(p[:n])
	if err == io.EOF {
		r.buf.setEOF()
	}
	return n, err
}

// Close hands the buffer itself over: nothing reads into it after the
// proxy has closed the body.
func (r *respBody) Close() error {
	err := r.rc.Close()
	r.once.Do(func() {
		r.buf.mu.Lock()
		b, truncated := r.buf.buf, r.buf.truncated || !r.buf.eof
		r.buf.mu.Unlock()
		r.done(b, truncated)
	})
	return err
}
