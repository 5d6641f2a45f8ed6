package proxy

import (
	"io"
	"log"
	"net/http"
)

// AdminHandler serves /healthz (the process is alive), /readyz (a
// contract is loaded and the proxy is not shutting down) and /metrics.
func (p *Proxy) AdminHandler() http.Handler {
	p.metrics.queueDepth = func() int { return len(p.queue) }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !p.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "not ready\n")
			return
		}
		_, _ = io.WriteString(w, "ready: judging against "+p.activeName()+"\n")
	})
	mux.Handle("GET /metrics", p.metrics.Handler())
	return mux
}

// discardLog silences net/http's own logging of client misbehaviour
// (TLS probes, bad requests): hostile traffic must not flood the log.
func discardLog() *log.Logger { return log.New(io.Discard, "", 0) }
