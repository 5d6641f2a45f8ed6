package metrics_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/drift/metrics"
)

// TestPrometheusText: drift, validations, drops, queue depth and latency
// come out under their documented Prometheus names and labels.
func TestPrometheusText(t *testing.T) {
	m, err := metrics.New(func() int64 { return 7 })
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := t.Context()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	typed := event.Event{Function: "my-team/pay", Tenant: "acme", Operation: "GET /pets/{id}", Rule: "type-mismatch",
		Direction: event.Response, FirstSeen: at, LastSeen: at, Count: 3}
	undocumented := event.Event{Function: "my-team/pay", Operation: "DELETE /pets/123", Rule: "undocumented-operation",
		Direction: event.Request, FirstSeen: at, LastSeen: at, Count: 1}
	if err := m.Emit(ctx, []event.Event{typed, undocumented, typed}); err != nil {
		t.Fatal(err)
	}
	m.Validated(ctx, "my-team/pay", 2*time.Millisecond)
	m.Validated(ctx, "my-team/pay", 4*time.Millisecond)
	m.Dropped(ctx, "my-team/pay", "queue-full", 5)

	var buf bytes.Buffer
	if err := m.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{
		`relay_contract_drift_total{function="my-team/pay",operation="GET /pets/{id}",rule="type-mismatch",tenant="acme"} 6`,
		`relay_contract_drift_total{function="my-team/pay",operation="DELETE (undocumented)",rule="undocumented-operation",tenant=""} 1`,
		`relay_drift_validations_total{function="my-team/pay"} 2`,
		`relay_drift_dropped_total{function="my-team/pay",reason="queue-full"} 5`,
		`relay_drift_queue_depth 7`,
		`relay_drift_validation_duration_seconds_count{function="my-team/pay"} 2`,
		"# TYPE relay_contract_drift_total counter",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %s in:\n%s", want, text)
		}
	}
	if strings.Contains(text, "/pets/123") {
		t.Errorf("an undocumented path became a label value:\n%s", text)
	}
}
