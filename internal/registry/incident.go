package registry

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
)

// IncidentStatus is where a drift incident stands.
type IncidentStatus string

// The incident statuses. An incident is open when first recorded; someone
// acknowledges it (working on it) or resolves it (fixed). A resolved
// incident seen again after it was resolved is open again: the fix did not
// hold, and whoever resolved it needs to know.
const (
	IncidentOpen         IncidentStatus = "open"
	IncidentAcknowledged IncidentStatus = "acknowledged"
	IncidentResolved     IncidentStatus = "resolved"
)

// IncidentStatuses lists every status, in lifecycle order.
var IncidentStatuses = []IncidentStatus{IncidentOpen, IncidentAcknowledged, IncidentResolved}

// The audit actions of incident status changes. Their Function and Version
// are the incident's, their Detail is IncidentDetail. They change no
// contract version.
const (
	ActionIncidentAck     Action = "incident-acknowledge"
	ActionIncidentResolve Action = "incident-resolve"
	// ActionIncidentReopen records a resolved incident seen again; its
	// actor is "relay".
	ActionIncidentReopen Action = "incident-reopen"
)

// Incident is one runtime drift, aggregated by fingerprint across every
// event recorded for it, with its review status. Drift holds the counts,
// the first and last sightings and the latest (redacted) sample, merged
// with event.Merge.
type Incident struct {
	Drift  event.Event    `json:"drift"`
	Status IncidentStatus `json:"status"`
	// StatusBy, StatusReason and StatusAt record the latest status change
	// (empty while the incident was never acknowledged or resolved).
	StatusBy     string    `json:"statusBy,omitempty"`
	StatusReason string    `json:"statusReason,omitempty"`
	StatusAt     time.Time `json:"statusAt,omitzero"`
	// Reopened counts how often the drift came back after a resolve.
	Reopened int `json:"reopened,omitempty"`
}

// IncidentStore keeps drift incidents beside the contracts they drift
// from. Every method is safe for concurrent use by goroutines and by
// processes: two writers recording the same fingerprint at once both
// count.
type IncidentStore interface {
	// RecordIncidents folds the events into their incidents (by
	// fingerprint, with event.Merge), creating open incidents for new
	// fingerprints and reopening resolved ones seen after their resolve.
	// Every event must name a function of the registry: the events of a
	// function that is not are refused (ErrNotFound) and the others still
	// recorded. A malformed event refuses the whole batch (ErrInvalid).
	RecordIncidents(ctx context.Context, events []event.Event) error
	// ListIncidents returns the incidents matching the filter, most
	// recently seen first (ties by fingerprint).
	ListIncidents(ctx context.Context, filter IncidentFilter) ([]Incident, error)
	// SetIncidentStatus acknowledges or resolves an incident and appends
	// the change to the audit trail in the same write. Unknown fingerprints
	// are ErrNotFound; a change the status does not allow (resolving a
	// resolved incident) is ErrBadTransition.
	SetIncidentStatus(ctx context.Context, c IncidentChange) (Incident, error)
}

// IncidentFilter selects incidents; zero fields match everything.
type IncidentFilter struct {
	Function string
	Status   IncidentStatus
}

// Match reports whether in passes the filter.
func (f IncidentFilter) Match(in Incident) bool {
	return (f.Function == "" || in.Drift.Function == f.Function) && (f.Status == "" || in.Status == f.Status)
}

// Validate checks the filter's fields.
func (f IncidentFilter) Validate() error {
	if f.Function != "" {
		if err := ValidateFunction(f.Function); err != nil {
			return err
		}
	}
	if f.Status != "" && !slices.Contains(IncidentStatuses, f.Status) {
		return Errorf(ErrInvalid, "%q is not an incident status: use open, acknowledged or resolved", f.Status)
	}
	return nil
}

// IncidentChange is one requested status change of an incident.
type IncidentChange struct {
	Fingerprint string
	// To is IncidentAcknowledged or IncidentResolved.
	To     IncidentStatus
	Actor  string
	Reason string
}

// Validate checks the change before any storage is touched: a known
// target, an actor, and a reason for a resolve.
func (c IncidentChange) Validate() error {
	if err := ValidateFingerprint(c.Fingerprint); err != nil {
		return err
	}
	if c.To != IncidentAcknowledged && c.To != IncidentResolved {
		return Errorf(ErrInvalid, "cannot mark incident %s %q: an incident is acknowledged or resolved", c.Fingerprint, c.To)
	}
	if strings.TrimSpace(c.Actor) == "" {
		return Errorf(ErrInvalid, "marking incident %s %s needs the name of who does it", c.Fingerprint, c.To)
	}
	if c.To == IncidentResolved && strings.TrimSpace(c.Reason) == "" {
		return Errorf(ErrInvalid, "resolving incident %s needs a reason", c.Fingerprint)
	}
	return nil
}

// Action is the audit action recording the change.
func (c IncidentChange) Action() Action {
	if c.To == IncidentResolved {
		return ActionIncidentResolve
	}
	return ActionIncidentAck
}

// Decide checks the change against the incident's current status: open →
// acknowledged | resolved, acknowledged → resolved.
func (c IncidentChange) Decide(in Incident) error {
	ok := in.Status == IncidentOpen || in.Status == IncidentAcknowledged && c.To == IncidentResolved
	if ok {
		return nil
	}
	return Errorf(ErrBadTransition, "cannot mark incident %s %s: it is already %s", c.Fingerprint, c.To, in.Status)
}

// Apply returns the incident after the change, made at t.
func (c IncidentChange) Apply(in Incident, t time.Time) Incident {
	in.Status, in.StatusBy, in.StatusReason, in.StatusAt = c.To, c.Actor, c.Reason, t
	return in
}

// Event is the audit event recording the change to in at t.
func (c IncidentChange) Event(in Incident, t time.Time) Event {
	return Event{Time: t, Actor: c.Actor, Action: c.Action(), Function: in.Drift.Function, Version: in.Drift.Version,
		Detail: IncidentDetail(c.Fingerprint, c.Reason)}
}

// IncidentDetail is the Detail of an incident audit event: the fingerprint,
// then the reason if any.
func IncidentDetail(fingerprint, reason string) string {
	if reason == "" {
		return "incident " + fingerprint
	}
	return "incident " + fingerprint + ": " + reason
}

// ValidateFingerprint checks that fp looks like an event.Fingerprint:
// 1 to 64 lowercase hex digits, so it is also a safe file name.
func ValidateFingerprint(fp string) error {
	ok := fp != "" && len(fp) <= 64
	for _, r := range fp {
		ok = ok && (r >= '0' && r <= '9' || r >= 'a' && r <= 'f')
	}
	if !ok {
		return Errorf(ErrInvalid, "%q is not a drift fingerprint: fingerprints are lowercase hex, such as 3f2a9c0d1e4b5a67", truncate(fp))
	}
	return nil
}

// CheckDriftEvent checks one event before it is recorded.
func CheckDriftEvent(e event.Event) error {
	if err := ValidateFingerprint(e.Fingerprint); err != nil {
		return err
	}
	if e.Function == "" {
		return Errorf(ErrInvalid, "drift %s names no registry function (only the contract %q): incidents are kept for registry functions", e.Fingerprint, truncate(e.Contract))
	}
	if err := ValidateFunction(e.Function); err != nil {
		return err
	}
	if e.Count < 1 || e.FirstSeen.IsZero() || e.LastSeen.Before(e.FirstSeen) {
		return Errorf(ErrInvalid, "drift %s has no sighting: it needs a count of at least 1 and firstSeen ≤ lastSeen", e.Fingerprint)
	}
	return nil
}

// RecordInto folds e into in (nil for a new fingerprint) as every backend
// must: counts add up, and a resolved incident seen after its resolve
// opens again. now stamps a reopen; reopened reports one, which the
// backend records as an ActionIncidentReopen event.
func RecordInto(in *Incident, e event.Event, now time.Time) (out Incident, reopened bool) {
	e.FirstSeen, e.LastSeen = e.FirstSeen.UTC().Truncate(time.Microsecond), e.LastSeen.UTC().Truncate(time.Microsecond)
	if in == nil {
		return Incident{Drift: e, Status: IncidentOpen}, false
	}
	out = *in
	out.Drift = event.Merge(in.Drift, e)
	if out.Status == IncidentResolved && e.LastSeen.After(out.StatusAt) {
		out.Status, out.StatusBy, out.StatusAt = IncidentOpen, "relay", now
		out.StatusReason = "seen again at " + e.LastSeen.Format(time.RFC3339) + " after it was resolved"
		out.Reopened++
		return out, true
	}
	return out, false
}

// ReopenEvent is the audit event of a reopen recorded by RecordInto.
func ReopenEvent(in Incident) Event {
	return Event{Time: in.StatusAt, Actor: "relay", Action: ActionIncidentReopen, Function: in.Drift.Function, Version: in.Drift.Version,
		Detail: IncidentDetail(in.Drift.Fingerprint, in.StatusReason)}
}

// SortIncidents orders incidents most recently seen first, ties by
// fingerprint, which is what ListIncidents returns.
func SortIncidents(ins []Incident) {
	slices.SortStableFunc(ins, func(a, b Incident) int {
		if c := b.Drift.LastSeen.Compare(a.Drift.LastSeen); c != 0 {
			return c
		}
		return strings.Compare(a.Drift.Fingerprint, b.Drift.Fingerprint)
	})
}

// ChangesNoVersion reports whether events with action a leave every
// contract version as it was: notes, merges and incident changes.
func ChangesNoVersion(a Action) bool {
	switch a {
	case ActionNotifyFailed, ActionMerge, ActionIncidentAck, ActionIncidentResolve, ActionIncidentReopen:
		return true
	}
	return false
}
