// Package event defines contract.drift, the one event every runtime drift
// producer (relay drift check, the drift proxy) emits and every sink
// (JSON lines, CloudEvents over HTTP, metrics, Slack, the incident store)
// consumes. A drift is the implementation disagreeing with its own active
// contract on real traffic.
package event

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/relay-dev/relay/internal/finding"
)

// Type is the CloudEvents type of a drift event.
const Type = "dev.relay.contract.drift"

// Directions of the exchange a drift was seen in.
const (
	Request  = "request"
	Response = "response"
)

// Event is one contract.drift: the same disagreement, seen Count times
// between FirstSeen and LastSeen. Events with the same Fingerprint are the
// same drift and aggregate (Merge).
type Event struct {
	Fingerprint string `json:"fingerprint"`
	// Function and Version name the registry version traffic was judged
	// against; Contract is the file when there is no registry version.
	Function string `json:"function,omitempty"`
	Version  string `json:"version,omitempty"`
	Contract string `json:"contract,omitempty"`
	// Tenant comes from a configurable request header; "" when unknown.
	Tenant string `json:"tenant,omitempty"`
	// Operation is the matched operation ("GET /pets/{id}"); for an
	// undocumented operation, the method and the request path as seen.
	Operation string `json:"operation"`
	// Rule names the kind of drift: undocumented-operation,
	// undocumented-status, or a schema rule such as type-mismatch.
	Rule      string `json:"rule"`
	Direction string `json:"direction"` // Request or Response
	Status    int    `json:"status,omitempty"`
	MediaType string `json:"mediaType,omitempty"`
	// InstancePath points into the payload (JSON Pointer); SchemaPointer
	// into the contract, and Location is that schema's file:line.
	InstancePath  string            `json:"instancePath,omitempty"`
	SchemaPointer string            `json:"schemaPointer,omitempty"`
	Location      *finding.Location `json:"location,omitempty"`
	// Message says what disagrees, in words; Observed what traffic carried,
	// redacted by default (types and lengths, never secrets).
	Message  string `json:"message"`
	Observed string `json:"observed,omitempty"`
	// Fix is the recommended action: fix the implementation, or change the
	// contract in a new version.
	Fix       string    `json:"fix,omitempty"`
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
	Count     int64     `json:"count"`
}

// Fingerprint identifies a drift across samples, processes and restarts:
// the function (or contract file), operation, rule, direction, status and
// schema pointer; never the observed value, which varies per request.
func Fingerprint(e Event) string {
	subject := e.Function
	if subject == "" {
		subject = e.Contract
	}
	h := sha256.New()
	status := ""
	if e.Status != 0 {
		status = strconv.Itoa(e.Status)
	}
	for _, part := range []string{subject, e.Operation, e.Rule, e.Direction, status, e.SchemaPointer} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Merge folds b, the same drift seen again, into a: counts add up, the
// first and last sightings widen, and the latest sample is kept.
func Merge(a, b Event) Event {
	out := a
	out.Count += b.Count
	if b.FirstSeen.Before(out.FirstSeen) || out.FirstSeen.IsZero() {
		out.FirstSeen = b.FirstSeen
	}
	if b.LastSeen.After(out.LastSeen) {
		out.LastSeen = b.LastSeen
		out.Observed, out.InstancePath, out.Tenant = b.Observed, b.InstancePath, b.Tenant
	}
	return out
}
