package proxy

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
)

// job is one captured exchange and the checker active when it was served.
type job struct {
	ex      drift.Exchange
	checker *activeChecker
}

// enqueue hands a job to the workers without ever waiting: a full queue,
// or one closed by shutdown, drops the job and counts it.
func (p *Proxy) enqueue(j job) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		p.metrics.dropped.inc(j.ex.Tenant)
		return
	}
	select {
	case p.queue <- j:
	default:
		p.metrics.dropped.inc(j.ex.Tenant)
	}
}

// Start loads the first checker, then runs the workers and the watcher
// that swaps checkers when the source changes, until Drain. A source that
// fails here is an error: there is nothing to judge traffic against.
func (p *Proxy) Start(ctx context.Context) error {
	if err := p.swap(ctx); err != nil {
		return err
	}
	// Workers outlive ctx (the signal that starts shutdown): Drain
	// decides when they stop.
	workCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p.cancelWork = cancel
	for range p.opts.Workers {
		p.wg.Add(1)
		go p.work(workCtx)
	}
	p.swapWG.Add(1)
	go p.watch(ctx)
	p.ready.Store(true)
	return nil
}

// watch swaps to the source's new checker each time it changes. A new
// version that cannot be loaded leaves the old one in charge.
func (p *Proxy) watch(ctx context.Context) {
	defer p.swapWG.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.stop:
			return
		case <-p.opts.Source.Changed():
			if err := p.swap(ctx); err != nil {
				p.metrics.internalErrors.Add(1)
				p.opts.Logf("contract change not applied, still judging against %s: %v", p.activeName(), err)
			}
		}
	}
}

func (p *Proxy) swap(ctx context.Context) error {
	c, name, err := p.opts.Source.Current(ctx)
	if err == nil && c == nil {
		err = errors.New("the contract source returned no checker")
	}
	if err != nil {
		return err
	}
	p.active.Store(&activeChecker{c: c, name: name})
	p.opts.Logf("judging against %s now", name)
	return nil
}

func (p *Proxy) activeName() string {
	if ac := p.active.Load(); ac != nil {
		return ac.name
	}
	return "nothing"
}

// Drain stops taking new jobs and waits for the workers to judge what is
// queued, until ctx ends; what is still queued then is dropped and
// counted.
func (p *Proxy) Drain(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		p.ready.Store(false)
		close(p.queue)
		close(p.stop)
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() {
		p.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		p.stopWork()
		return nil
	case <-ctx.Done():
		n := len(p.queue)
		p.stopWork() // the workers drop, and count, what is left
		return fmt.Errorf("the validation queue was not drained in time: %d exchanges dropped", n)
	}
}

func (p *Proxy) stopWork() {
	if p.cancelWork != nil {
		p.cancelWork()
	}
}

func (p *Proxy) work(ctx context.Context) {
	defer p.wg.Done()
	for j := range p.queue {
		if ctx.Err() != nil {
			p.metrics.dropped.inc(j.ex.Tenant)
			continue
		}
		p.judge(ctx, j)
	}
}

// judge checks one exchange and emits its events. A checker or emitter
// that panics or errors is counted and logged; the worker lives on.
func (p *Proxy) judge(ctx context.Context, j job) {
	defer func() {
		if r := recover(); r != nil {
			p.metrics.internalErrors.Add(1)
			p.opts.Logf("internal error judging %s %s (traffic unaffected): %v", j.ex.Method, pathOf(j.ex.URL), r)
		}
	}()
	ex := j.ex
	ex.ReqBody, ex.ReqTruncated = p.decode(ex.ReqHeader, ex.ReqBody, ex.ReqTruncated)
	ex.RespBody, ex.RespTruncated = p.decode(ex.RespHeader, ex.RespBody, ex.RespTruncated)
	events := j.checker.c.Check(ctx, ex)
	p.metrics.validations.inc(ex.Tenant)
	if len(events) == 0 {
		return
	}
	for i := range events {
		p.label(&events[i], ex)
		p.metrics.drift(events[i])
	}
	if err := p.opts.Emitter.Emit(ctx, events); err != nil {
		p.metrics.internalErrors.Add(1)
		p.opts.Logf("could not emit %d drift events: %v", len(events), err)
	}
}

// label fills the labels every event carries: function and tenant.
func (p *Proxy) label(e *event.Event, ex drift.Exchange) {
	if e.Function == "" && e.Contract == "" && p.opts.Function != "" {
		// The function enters the fingerprint: one the checker computed
		// without it would group drift of different functions together.
		e.Function, e.Fingerprint = p.opts.Function, ""
	}
	if e.Tenant == "" {
		e.Tenant = ex.Tenant
	}
	if e.Fingerprint == "" {
		e.Fingerprint = event.Fingerprint(*e)
	}
	if e.Count == 0 {
		e.Count = 1
	}
	if e.FirstSeen.IsZero() {
		e.FirstSeen, e.LastSeen = ex.Time, ex.Time
	}
}

// decode undoes gzip or deflate content coding for the checker, never
// expanding past the body cap (a gzip bomb stops there). A body in a
// coding it cannot read is handed over empty and truncated.
func (p *Proxy) decode(h http.Header, body []byte, truncated bool) ([]byte, bool) {
	coding := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	var r io.Reader
	switch coding {
	case "", "identity":
		return body, truncated
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, true
		}
		r = zr
	case "deflate":
		r = flate.NewReader(bytes.NewReader(body))
	default:
		return nil, true
	}
	out, err := io.ReadAll(io.LimitReader(r, p.opts.BodyCap+1))
	if int64(len(out)) > p.opts.BodyCap {
		return out[:p.opts.BodyCap], true
	}
	return out, truncated || err != nil
}

func pathOf(u string) string {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		return u[:i]
	}
	return u
}
