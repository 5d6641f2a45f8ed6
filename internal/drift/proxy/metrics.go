package proxy

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/relay-dev/relay/internal/drift/event"
)

// maxSeries bounds each labelled counter: tenants and undocumented
// operations come from traffic, and traffic must not be able to grow the
// proxy's memory. Label sets past the bound are counted under "_other".
const maxSeries = 1000

const otherLabel = "_other"

// Metrics are the proxy's counters, exposed in the Prometheus text
// format on the admin listener. Every series carries the function label.
type Metrics struct {
	function       string
	sampled        *labelled // exchanges captured for judging
	validations    *labelled // exchanges judged
	dropped        *labelled // exchanges dropped: queue full or shutting down
	drifts         *labelled // events, by tenant, operation and rule
	internalErrors atomic.Int64
	upstreamErrors atomic.Int64
	queueDepth     func() int
}

func newMetrics(function string) *Metrics {
	return &Metrics{function: function, sampled: newLabelled(), validations: newLabelled(),
		dropped: newLabelled(), drifts: newLabelled()}
}

// labelled is a counter per label tuple.
type labelled struct {
	mu sync.Mutex
	m  map[[3]string]int64
}

func newLabelled() *labelled { return &labelled{m: map[[3]string]int64{}} }

func (l *labelled) inc(tenant string) { l.add(tenant, 1) }

func (l *labelled) add(tenant string, n int64) { l.addKey([3]string{tenant}, n) }

func (l *labelled) addKey(k [3]string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.m[k]; !ok && len(l.m) >= maxSeries {
		k = [3]string{otherLabel, otherLabel, otherLabel}
	}
	l.m[k] += n
}

// Total sums the counter over its labels.
func (l *labelled) Total() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	var t int64
	for _, n := range l.m {
		t += n
	}
	return t
}

func (m *Metrics) drift(e event.Event) {
	m.drifts.addKey([3]string{e.Tenant, e.Operation, e.Rule}, 1)
}

// Sampled is the number of exchanges captured for judging.
func (m *Metrics) Sampled() int64 { return m.sampled.Total() }

// Validations is the number of exchanges judged.
func (m *Metrics) Validations() int64 { return m.validations.Total() }

// Dropped is the number of exchanges dropped unjudged.
func (m *Metrics) Dropped() int64 { return m.dropped.Total() }

// Drifts is the number of drift events.
func (m *Metrics) Drifts() int64 { return m.drifts.Total() }

// InternalErrors is the number of internal errors (traffic unaffected).
func (m *Metrics) InternalErrors() int64 { return m.internalErrors.Load() }

// WriteTo writes the counters in the Prometheus text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	fn := `function="` + escapeLabel(m.function) + `"`
	m.writeTenants(&b, "relay_drift_proxy_sampled_total", "Exchanges captured for judging.", m.sampled, fn)
	m.writeTenants(&b, "relay_drift_proxy_validations_total", "Exchanges judged against the contract.", m.validations, fn)
	m.writeTenants(&b, "relay_drift_proxy_dropped_total", "Exchanges dropped unjudged: queue full or shutting down.", m.dropped, fn)
	writeHead(&b, "relay_drift_proxy_drift_total", "counter", "contract.drift events, by tenant, operation and rule.")
	for _, k := range sortedKeys(m.drifts) {
		fmt.Fprintf(&b, "relay_drift_proxy_drift_total{%s,tenant=\"%s\",operation=\"%s\",rule=\"%s\"} %d\n",
			fn, escapeLabel(k[0]), escapeLabel(k[1]), escapeLabel(k[2]), m.drifts.get(k))
	}
	writeHead(&b, "relay_drift_proxy_internal_errors_total", "counter", "Internal errors; traffic was not affected.")
	fmt.Fprintf(&b, "relay_drift_proxy_internal_errors_total{%s} %d\n", fn, m.internalErrors.Load())
	writeHead(&b, "relay_drift_proxy_upstream_errors_total", "counter", "Requests the upstream could not answer (502).")
	fmt.Fprintf(&b, "relay_drift_proxy_upstream_errors_total{%s} %d\n", fn, m.upstreamErrors.Load())
	writeHead(&b, "relay_drift_proxy_queue_depth", "gauge", "Exchanges waiting to be judged.")
	depth := 0
	if m.queueDepth != nil {
		depth = m.queueDepth()
	}
	fmt.Fprintf(&b, "relay_drift_proxy_queue_depth{%s} %d\n", fn, depth)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func (m *Metrics) writeTenants(b *strings.Builder, name, help string, l *labelled, fn string) {
	writeHead(b, name, "counter", help)
	for _, k := range sortedKeys(l) {
		fmt.Fprintf(b, "%s{%s,tenant=\"%s\"} %d\n", name, fn, escapeLabel(k[0]), l.get(k))
	}
}

func writeHead(b *strings.Builder, name, typ, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

func (l *labelled) get(k [3]string) int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.m[k]
}

func sortedKeys(l *labelled) [][3]string {
	l.mu.Lock()
	keys := make([][3]string, 0, len(l.m))
	for k := range l.m {
		keys = append(keys, k)
	}
	l.mu.Unlock()
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		return a[0] < b[0] || a[0] == b[0] && (a[1] < b[1] || a[1] == b[1] && a[2] < b[2])
	})
	return keys
}

// escapeLabel escapes a label value as the text format requires.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = m.WriteTo(w)
	})
}
