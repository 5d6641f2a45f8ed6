package sink

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/relay-dev/relay/internal/drift/event"
)

// JSONLines writes one event per line as JSON. Each line is one Write, so
// on a file opened for appending (OpenJSONLines) concurrent writers, other
// processes included, never interleave within a line.
type JSONLines struct {
	mu     sync.Mutex
	w      io.Writer
	closer io.Closer
	name   string
}

// NewJSONLines writes to w (stdout, say), which Close leaves open.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: w, name: "the event stream"} }

// OpenJSONLines appends to the file at path, creating it if needed.
func OpenJSONLines(path string) (*JSONLines, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the drift event file %s: %w", path, err)
	}
	return &JSONLines{w: f, closer: f, name: path}, nil
}

// Emit writes the events, one line each.
func (j *JSONLines) Emit(ctx context.Context, events []event.Event) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, e := range events {
		if err := ctx.Err(); err != nil {
			return err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(e); err != nil {
			return err
		}
		if _, err := j.w.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("cannot write drift events to %s: %w", j.name, err)
		}
	}
	return nil
}

// Close closes the file OpenJSONLines opened.
func (j *JSONLines) Close() error {
	if j.closer == nil {
		return nil
	}
	return j.closer.Close()
}
