// Package sink delivers contract.drift events to where people and
// machines see them: JSON lines on stdout or in a file, CloudEvents over
// HTTP, a Slack incoming webhook (rate-limited per fingerprint), and the
// registry's incident store. Multi fans one stream out to any combination.
//
// Like package notify, the package decides what is sent, what is retried
// and for how long; the HTTP round trip itself is the caller's Post, so the
// engine never touches the network on its own (internal/cli provides one
// that refuses cross-host redirects and link-local addresses).
package sink

import (
	"context"
	"errors"

	"github.com/relay-dev/relay/internal/drift/event"
)

// Sink receives drift events. Emit may be called from several goroutines;
// it returns when the events were delivered or delivery failed for good.
type Sink interface {
	Emit(ctx context.Context, events []event.Event) error
	Close() error
}

// Multi emits to every sink, even when some fail, and reports every
// failure.
type Multi []Sink

// Emit hands the events to each sink in turn.
func (m Multi) Emit(ctx context.Context, events []event.Event) error {
	var errs []error
	for _, s := range m {
		if err := s.Emit(ctx, events); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close closes every sink.
func (m Multi) Close() error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}
