package proxy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Timeouts bound what slow or hostile peers can hold. Zero values take
// the defaults below; bodies are not bounded in time, because a sidecar
// must pass long uploads and streams (SSE, websockets) through.
type Timeouts struct {
	ReadHeader time.Duration // a client's request head (slowloris): 10 s
	Idle       time.Duration // a keep-alive connection between requests: 120 s
	Shutdown   time.Duration // in-flight requests plus the queue on SIGTERM: 15 s
}

func (t Timeouts) withDefaults() Timeouts {
	if t.ReadHeader <= 0 {
		t.ReadHeader = 10 * time.Second
	}
	if t.Idle <= 0 {
		t.Idle = 120 * time.Second
	}
	if t.Shutdown <= 0 {
		t.Shutdown = 15 * time.Second
	}
	return t
}

// Server is the proxy listener and the admin listener (/healthz,
// /readyz, /metrics) around one Proxy.
type Server struct {
	Proxy    *Proxy
	Timeouts Timeouts
	proxy    *http.Server
	admin    *http.Server
}

// NewServer wraps p in its two HTTP servers.
func NewServer(p *Proxy, t Timeouts) *Server {
	t = t.withDefaults()
	s := &Server{Proxy: p, Timeouts: t}
	s.proxy = &http.Server{Handler: p, ReadHeaderTimeout: t.ReadHeader, IdleTimeout: t.Idle,
		ErrorLog: discardLog()}
	s.admin = &http.Server{Handler: p.AdminHandler(), ReadHeaderTimeout: t.ReadHeader, IdleTimeout: t.Idle,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, ErrorLog: discardLog()}
	return s
}

// Serve starts the proxy on ln and the admin endpoints on admin, and
// serves until ctx ends; then it shuts down gracefully: it stops
// accepting, lets in-flight requests finish and drains the validation
// queue, all within Timeouts.Shutdown. Run Proxy.Start first.
func (s *Server) Serve(ctx context.Context, ln, admin net.Listener) error {
	errc := make(chan error, 2)
	go func() { errc <- s.proxy.Serve(ln) }()
	go func() { errc <- s.admin.Serve(admin) }()
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	return errors.Join(serveErr, s.Shutdown(context.WithoutCancel(ctx)))
}

// Shutdown stops both listeners and drains the queue within
// Timeouts.Shutdown. The admin listener stays up until the proxy has
// finished, so /readyz answers 503 while it drains.
func (s *Server) Shutdown(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.Timeouts.Shutdown)
	defer cancel()
	s.Proxy.ready.Store(false)
	var errs []error
	if err := s.proxy.Shutdown(ctx); err != nil {
		errs = append(errs, err)
		_ = s.proxy.Close() // cut what did not finish in time
	}
	errs = append(errs, s.Proxy.Drain(ctx))
	_ = s.admin.Close()
	s.Proxy.swapWG.Wait()
	return errors.Join(errs...)
}
