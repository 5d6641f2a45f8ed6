package sink

import (
	"context"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
)

// Incidents records events as incidents in the registry's incident store
// (see registry.IncidentStore: counts add up, resolved incidents seen
// again reopen). Only events naming a registry function can be recorded.
type Incidents struct {
	Store registry.IncidentStore
}

// Emit records the events in one call.
func (s Incidents) Emit(ctx context.Context, events []event.Event) error {
	if len(events) == 0 {
		return nil
	}
	return s.Store.RecordIncidents(ctx, events)
}

// Close does nothing: the store belongs to the caller.
func (s Incidents) Close() error { return nil }
