package drift

import (
	"sort"

	"github.com/relay-dev/relay/internal/drift/event"
)

// Aggregate groups drifts by fingerprint (operation + rule + schema
// pointer, see event.Fingerprint): the same drift seen many times is one
// event with its count and first and last sightings.
type Aggregate struct {
	byFP map[string]*event.Event
}

// NewAggregate returns an empty aggregate.
func NewAggregate() *Aggregate { return &Aggregate{byFP: map[string]*event.Event{}} }

// Add folds events into the aggregate.
func (a *Aggregate) Add(es ...event.Event) {
	for _, e := range es {
		if cur, ok := a.byFP[e.Fingerprint]; ok {
			*cur = event.Merge(*cur, e)
			continue
		}
		c := e
		a.byFP[e.Fingerprint] = &c
	}
}

// Len is how many distinct drifts there are.
func (a *Aggregate) Len() int { return len(a.byFP) }

// Events lists the drifts sorted by operation, direction, status, rule
// and schema pointer, so reports are deterministic.
func (a *Aggregate) Events() []event.Event {
	out := make([]event.Event, 0, len(a.byFP))
	for _, e := range a.byFP {
		out = append(out, *e)
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		switch {
		case x.Operation != y.Operation:
			return x.Operation < y.Operation
		case x.Direction != y.Direction:
			return x.Direction < y.Direction
		case x.Status != y.Status:
			return x.Status < y.Status
		case x.Rule != y.Rule:
			return x.Rule < y.Rule
		case x.SchemaPointer != y.SchemaPointer:
			return x.SchemaPointer < y.SchemaPointer
		}
		return x.Fingerprint < y.Fingerprint
	})
	return out
}
