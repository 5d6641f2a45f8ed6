// Package proxy is the drift sidecar: a reverse proxy that passes traffic
// to an upstream service untouched, samples exchanges, and validates them
// against the active contract off the request path.
//
// The request path only copies bytes: a sampled exchange's bodies are
// teed into buffers bounded by a cap, and the finished exchange is handed
// to a bounded queue without waiting. Workers judge queued exchanges and
// emit contract.drift events. When the queue is full the exchange is
// dropped and counted; every internal failure (a panicking checker, a sink
// that errors) is counted and logged, and traffic flows on (fail-open).
package proxy

import (
	"context"
	"errors"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
)

// Checker judges one exchange against a contract.
type Checker interface {
	Check(ctx context.Context, ex drift.Exchange) []event.Event
}

// Emitter delivers events to a sink.
type Emitter interface {
	Emit(ctx context.Context, events []event.Event) error
}

// Source yields the active checker and a name for logs
// ("my-team/pets@1.2.0"); it is called again when Changed fires.
type Source interface {
	Current(ctx context.Context) (Checker, string, error)
	Changed() <-chan struct{}
}

// StaticSource is one checker that never changes: --contract PATH.
type StaticSource struct {
	Checker Checker
	Name    string
}

// Current returns the checker.
func (s StaticSource) Current(context.Context) (Checker, string, error) {
	return s.Checker, s.Name, nil
}

// Changed never fires.
func (s StaticSource) Changed() <-chan struct{} { return nil }

// Defaults for the zero values of Options.
const (
	DefaultBodyCap   = 1 << 20
	DefaultQueueSize = 1024
)

// Options configure a Proxy. Upstream, Source and Emitter are required.
type Options struct {
	Upstream *url.URL
	Source   Source
	Emitter  Emitter
	// Function labels events and metrics when the checker leaves it empty.
	Function string
	Sampling Sampling
	// TenantHeader names the request header that carries the tenant.
	TenantHeader string
	// BodyCap bounds each captured body, and each decompressed body.
	BodyCap   int64
	QueueSize int
	Workers   int
	// Transport reaches the upstream; nil is a transport that never
	// decompresses (so bytes pass through as sent) and dials in 10 s.
	Transport http.RoundTripper
	// Logf writes one log line; nil discards.
	Logf  func(format string, args ...any)
	Clock func() time.Time
}

// Proxy is the sidecar's request handler and its validation workers.
type Proxy struct {
	opts    Options
	rp      *httputil.ReverseProxy
	metrics *Metrics

	active atomic.Pointer[activeChecker]

	mu     sync.RWMutex // guards closed and sends on queue
	closed bool
	queue  chan job
	wg     sync.WaitGroup
	swapWG sync.WaitGroup
	// cancelWork stops the workers when Drain gives up on the queue.
	cancelWork context.CancelFunc
	ready      atomic.Bool
	stop       chan struct{} // closed by Drain: the watcher stops
}

type activeChecker struct {
	c    Checker
	name string
}

// New builds a proxy; Start must be called before it validates anything.
func New(opts Options) (*Proxy, error) {
	switch {
	case opts.Upstream == nil || opts.Upstream.Scheme == "" || opts.Upstream.Host == "":
		return nil, errors.New("the upstream must be an absolute URL such as http://127.0.0.1:8080")
	case opts.Source == nil || opts.Emitter == nil:
		return nil, errors.New("a proxy needs a contract source and an event emitter")
	}
	opts = withDefaults(opts)
	p := &Proxy{opts: opts, metrics: newMetrics(opts.Function), queue: make(chan job, opts.QueueSize),
		stop: make(chan struct{})}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        p.rewrite,
		Transport:      opts.Transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.upstreamError,
		ErrorLog:       log.New(logfWriter(opts.Logf), "", 0),
		BufferPool:     copyBuffers{},
	}
	return p, nil
}

func withDefaults(o Options) Options {
	if o.BodyCap <= 0 {
		o.BodyCap = DefaultBodyCap
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultQueueSize
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Transport == nil {
		o.Transport = defaultTransport()
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// defaultTransport never asks for compression on the caller's behalf:
// Go's default transport would then decompress the response and the
// client would receive different bytes than the upstream sent.
func defaultTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	t.MaxIdleConnsPerHost = 256
	return t
}

// Metrics returns the proxy's counters.
func (p *Proxy) Metrics() *Metrics { return p.metrics }

// ServeHTTP forwards one request to the upstream.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A nil value keeps net/http from adding a Content-Type (sniffed) or a
	// Date the upstream did not send; the upstream's own are still copied.
	h := w.Header()
	h["Content-Type"], h["Date"] = nil, nil
	p.rp.ServeHTTP(w, r)
}

// upstreamError answers 502 when the upstream cannot be reached, as any
// reverse proxy does; it is not drift, so nothing is validated.
func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return // the client went away
	}
	p.opts.Logf("upstream error for %s %s: %v", r.Method, r.URL.Path, err)
	p.metrics.upstreamErrors.Add(1)
	w.WriteHeader(http.StatusBadGateway)
}

// logfWriter turns ReverseProxy's own log lines into Logf calls.
type logfWriter func(format string, args ...any)

func (f logfWriter) Write(p []byte) (int, error) {
	f("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// copyBuffers reuses the 32 KiB buffers ReverseProxy copies bodies
// through; without a pool it allocates (and clears) one per request.
type copyBuffers struct{}

var copyBufferPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (copyBuffers) Get() []byte  { return *copyBufferPool.Get().(*[]byte) }
func (copyBuffers) Put(b []byte) { copyBufferPool.Put(&b) }
