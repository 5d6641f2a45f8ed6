package proxy

import (
	"context"
	"encoding/json"
	"io"
	"sync"

	"github.com/relay-dev/relay/internal/drift/event"
)

// JSONLines writes each event as one JSON line.
//
// TEMPORARY: a minimal emitter so the proxy can run on its own; it is to
// be replaced by sink.JSONLines (internal/drift/sink) at merge.
type JSONLines struct {
	mu sync.Mutex
	w  io.Writer
}

// NewJSONLines writes events to w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: w} }

// Emit writes the events, one line each, in one write per event.
func (j *JSONLines) Emit(_ context.Context, events []event.Event) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := j.w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}
