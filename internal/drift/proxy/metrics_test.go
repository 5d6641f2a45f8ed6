package proxy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relay-dev/relay/internal/drift/event"
)

func TestMetricSeriesAreBounded(t *testing.T) {
	m := newMetrics("pets")
	for i := range maxSeries + 5 {
		m.sampled.inc(fmt.Sprintf("tenant-%d", i))
		m.drift(event.Event{Tenant: "t", Operation: fmt.Sprintf("GET /scan/%d", i), Rule: "undocumented-operation"})
	}
	var b strings.Builder
	_, err := m.WriteTo(&b)
	assert.NoError(t, err)
	text := b.String()
	assert.Contains(t, text, `relay_drift_proxy_sampled_total{function="pets",tenant="_other"} 5`)
	assert.Contains(t, text, `relay_drift_proxy_drift_total{function="pets",tenant="_other",operation="_other",rule="_other"} 5`)
	assert.Equal(t, maxSeries+1, strings.Count(text, "relay_drift_proxy_sampled_total{"))
	assert.Equal(t, int64(maxSeries+5), m.Sampled())
}

func TestLabelValuesAreEscaped(t *testing.T) {
	m := newMetrics(`a"b`)
	m.sampled.inc("x\\y\n\xff")
	var b strings.Builder
	_, _ = m.WriteTo(&b)
	assert.Contains(t, b.String(), `relay_drift_proxy_sampled_total{function="a\"b",tenant="x\\y\n`+"\uFFFD"+`"} 1`)
}
