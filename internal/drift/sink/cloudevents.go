package sink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
)

// DataSchema is the $id of contracts/drift-event.schema.json, which
// describes a drift CloudEvent's data.
const DataSchema = "https://relay.dev/schemas/drift-event.schema.json"

// CloudEvents posts each event as a CloudEvents 1.0 structured-mode
// message (application/cloudevents+json) to URL.
type CloudEvents struct {
	URL string
	// Source is the CloudEvents source; default "relay/drift".
	Source string
	Post   Post
	Retry  Retry
}

// CloudEvent is the structured-mode envelope.
type CloudEvent struct {
	SpecVersion     string      `json:"specversion"`
	Type            string      `json:"type"`
	Source          string      `json:"source"`
	ID              string      `json:"id"`
	Time            string      `json:"time"`
	Subject         string      `json:"subject,omitempty"`
	DataContentType string      `json:"datacontenttype"`
	DataSchema      string      `json:"dataschema"`
	Data            event.Event `json:"data"`
}

// Envelope wraps e. The id is derived from the drift and how often it was
// seen, so a retried delivery carries the same id and receivers can
// de-duplicate, while the next aggregate of the same drift is a new event.
func (c *CloudEvents) Envelope(e event.Event) CloudEvent {
	src := c.Source
	if src == "" {
		src = "relay/drift"
	}
	sum := sha256.Sum256([]byte(e.Fingerprint + "\x00" + e.LastSeen.UTC().Format(time.RFC3339Nano) + "\x00" + strconv.FormatInt(e.Count, 10)))
	subject := e.Function
	if subject == "" {
		subject = e.Contract
	}
	return CloudEvent{SpecVersion: "1.0", Type: event.Type, Source: src, ID: hex.EncodeToString(sum[:16]),
		Time: e.LastSeen.UTC().Format(time.RFC3339Nano), Subject: subject, DataContentType: "application/json",
		DataSchema: DataSchema, Data: e}
}

// Emit posts every event, one request each, and reports every failure;
// one receiver refusing an event does not hold back the others.
func (c *CloudEvents) Emit(ctx context.Context, events []event.Event) error {
	if err := CheckURL(c.URL); err != nil {
		return err
	}
	var errs []error
	for _, e := range events {
		body, err := json.Marshal(c.Envelope(e))
		if err == nil {
			err = deliver(ctx, c.Post, c.Retry, c.URL, "application/cloudevents+json", body, "drift "+e.Fingerprint)
		}
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// Close does nothing: every Emit finished its deliveries.
func (c *CloudEvents) Close() error { return nil }
