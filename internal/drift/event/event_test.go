package event

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFingerprintIgnoresTheSample(t *testing.T) {
	a := Event{Function: "pets/api", Operation: "GET /pets/{id}", Rule: "type-mismatch", Direction: Response,
		Status: 200, SchemaPointer: "/components/schemas/Pet/properties/id", Observed: "string (3 chars)"}
	b := a
	b.Observed, b.InstancePath, b.Tenant = "string (9 chars)", "/id", "acme"
	assert.Equal(t, Fingerprint(a), Fingerprint(b))
	assert.Len(t, Fingerprint(a), 16)
	for name, c := range map[string]func(*Event){
		"rule":      func(e *Event) { e.Rule = "required-missing" },
		"status":    func(e *Event) { e.Status = 201 },
		"pointer":   func(e *Event) { e.SchemaPointer += "/x" },
		"direction": func(e *Event) { e.Direction = Request },
		"function":  func(e *Event) { e.Function = "pets/other" },
	} {
		d := a
		c(&d)
		assert.NotEqual(t, Fingerprint(a), Fingerprint(d), name)
	}
}

func TestMerge(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	a := Event{Count: 2, FirstSeen: t0, LastSeen: t0.Add(time.Minute), Observed: "old"}
	b := Event{Count: 3, FirstSeen: t0.Add(-time.Hour), LastSeen: t0.Add(time.Hour), Observed: "new"}
	m := Merge(a, b)
	assert.Equal(t, int64(5), m.Count)
	assert.Equal(t, t0.Add(-time.Hour), m.FirstSeen)
	assert.Equal(t, t0.Add(time.Hour), m.LastSeen)
	assert.Equal(t, "new", m.Observed, "the latest sample is kept")
	assert.Equal(t, "new", Merge(b, a).Observed, "whatever the order")
}
