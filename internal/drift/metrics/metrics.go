// Package metrics counts runtime drift as OpenTelemetry metrics and
// exposes them in the Prometheus text format, for a /metrics endpoint
// that Prometheus, the Datadog Agent (OpenMetrics check) or an
// OpenTelemetry Collector (prometheus receiver) scrapes:
//
//	relay_contract_drift_total{function,tenant,operation,rule}   drift sightings
//	relay_drift_validations_total{function}                       exchanges validated
//	relay_drift_dropped_total{function,reason}                    exchanges not validated (queue full…)
//	relay_drift_queue_depth                                       exchanges waiting for validation
//	relay_drift_validation_duration_seconds{function}             validation latency (histogram)
//
// Metrics is also a drift sink (Emit), so it sits beside the others in a
// sink.Multi. Serving /metrics is the caller's: WriteText writes what a
// scrape returns.
package metrics

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"go.opentelemetry.io/otel/attribute"
	promexporter "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/relay-dev/relay/internal/drift/event"
)

// ContentType is the Content-Type of WriteText's output.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Metrics holds the instruments and the Prometheus registry they are
// exported to.
type Metrics struct {
	provider    *sdkmetric.MeterProvider
	registry    *prometheus.Registry
	drift       metric.Int64Counter
	validations metric.Int64Counter
	dropped     metric.Int64Counter
	latency     metric.Float64Histogram
}

// New creates the instruments. queueDepth, when not nil, is read at each
// scrape for relay_drift_queue_depth.
func New(queueDepth func() int64) (*Metrics, error) {
	reg := prometheus.NewRegistry()
	exp, err := promexporter.New(promexporter.WithRegisterer(reg), promexporter.WithoutScopeInfo(), promexporter.WithoutTargetInfo())
	if err != nil {
		return nil, fmt.Errorf("cannot set up the Prometheus exporter: %w", err)
	}
	provider := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	meter := provider.Meter("github.com/relay-dev/relay/internal/drift")
	m := &Metrics{provider: provider, registry: reg}
	if err := m.instruments(meter, queueDepth); err != nil {
		_ = provider.Shutdown(context.Background())
		return nil, fmt.Errorf("cannot create the drift metrics: %w", err)
	}
	return m, nil
}

func (m *Metrics) instruments(meter metric.Meter, queueDepth func() int64) error {
	var err error
	if m.drift, err = meter.Int64Counter("relay.contract.drift", metric.WithDescription("Runtime drift sightings: traffic that disagrees with its active contract.")); err != nil {
		return err
	}
	if m.validations, err = meter.Int64Counter("relay.drift.validations", metric.WithDescription("Exchanges validated against their contract.")); err != nil {
		return err
	}
	if m.dropped, err = meter.Int64Counter("relay.drift.dropped", metric.WithDescription("Exchanges sampled but not validated (the queue was full, the body too large).")); err != nil {
		return err
	}
	if m.latency, err = meter.Float64Histogram("relay.drift.validation.duration", metric.WithUnit("s"),
		metric.WithDescription("Time to validate one exchange, off the request path.")); err != nil {
		return err
	}
	if queueDepth != nil {
		_, err = meter.Int64ObservableGauge("relay.drift.queue.depth", metric.WithDescription("Exchanges waiting for validation."),
			metric.WithInt64Callback(func(_ context.Context, o metric.Int64Observer) error {
				o.Observe(queueDepth())
				return nil
			}))
	}
	return err
}

// Emit counts each event's sightings under its function, tenant,
// operation and rule. An undocumented operation is counted under its
// method only: its path is whatever clients sent, and a label per path
// would grow without bound.
func (m *Metrics) Emit(ctx context.Context, events []event.Event) error {
	for _, e := range events {
		m.drift.Add(ctx, e.Count, metric.WithAttributes(
			attribute.String("function", subject(e)), attribute.String("tenant", e.Tenant),
			attribute.String("operation", operationLabel(e)), attribute.String("rule", e.Rule)))
	}
	return nil
}

func subject(e event.Event) string {
	if e.Function != "" {
		return e.Function
	}
	return e.Contract
}

func operationLabel(e event.Event) string {
	if e.Rule != "undocumented-operation" {
		return e.Operation
	}
	method, _, _ := strings.Cut(e.Operation, " ")
	return method + " (undocumented)"
}

// Validated records one validated exchange of function and how long it
// took.
func (m *Metrics) Validated(ctx context.Context, function string, took time.Duration) {
	attrs := metric.WithAttributes(attribute.String("function", function))
	m.validations.Add(ctx, 1, attrs)
	m.latency.Record(ctx, took.Seconds(), attrs)
}

// Dropped records n exchanges of function that were not validated, and why.
func (m *Metrics) Dropped(ctx context.Context, function, reason string, n int64) {
	m.dropped.Add(ctx, n, metric.WithAttributes(attribute.String("function", function), attribute.String("reason", reason)))
}

// WriteText writes the current metrics in the Prometheus text format,
// which is what a GET /metrics answers (with ContentType).
func (m *Metrics) WriteText(w io.Writer) error {
	families, err := m.registry.Gather()
	if err != nil {
		return fmt.Errorf("cannot collect the drift metrics: %w", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

// Close stops the meter provider.
func (m *Metrics) Close() error { return m.provider.Shutdown(context.Background()) }
