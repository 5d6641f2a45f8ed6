// Package registry is relay's contract registry: the published versions of
// every function's contract, their review status, and a tamper-evident
// audit log of everything that happened to them.
//
// The model, shared by every backend:
//
//   - A function is named team/name (see ValidateFunction). It has versions,
//     each a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] (see
//     ParseVersion).
//   - A version holds the exact contract bytes as a bundle: relative path →
//     bytes, with the main file named by Main. Its SHA256 is BundleSHA256 of
//     the bundle. Content is immutable: a version number is published once,
//     and the same bundle is never published twice under another number.
//   - A version's status moves pending → approved | rejected, approved →
//     deprecated | withdrawn, deprecated → withdrawn (see CanTransition).
//     Nothing is ever deleted.
//   - The active version of a function is the highest version, in semver
//     order, that was approved and not withdrawn (see SelectActive); a
//     deprecated version can still be active, and callers flag it.
//   - Every change appends an Event to the audit log. Events are chained:
//     each carries the hash of its predecessor, so editing, inserting or
//     removing an event in the middle breaks the chain (see VerifyChain).
//     A backend keeps one chain for the registry or one per function.
//
// Store is the interface a backend implements; package registrytest holds
// the conformance suite every backend must pass, and package filestore is
// the backend that keeps the registry as reviewable files in the repository.
package registry

import (
	"context"
	"time"
)

// Store is a contract registry backend. Every method is safe for concurrent
// use, by goroutines and, for backends that say so, by processes.
//
// Errors wrap the sentinels in errors.go, so callers test them with
// errors.Is; their messages are one sentence naming function@version.
// Publish returns the stored version with its files; Apply returns the
// updated version without Files, like List.
type Store interface {
	// Publish records a new pending version. It refuses a version number the
	// function already has (ErrExists) and a bundle identical to any of the
	// function's versions, whatever its status (ErrIdentical).
	Publish(ctx context.Context, req PublishRequest) (Version, error)
	// Get returns one version with its files, after checking that the
	// stored bytes still hash to the recorded SHA256 (ErrTampered if not).
	Get(ctx context.Context, function, version string) (Version, error)
	// List returns the function's versions in ascending semver order,
	// without their Files (call Get for the bytes). A function with no
	// versions is ErrNotFound.
	List(ctx context.Context, function string) ([]Version, error)
	// Active returns the function's active version, with its files
	// (ErrNotFound when none is approved).
	Active(ctx context.Context, function string) (Version, error)
	// Apply makes one status change: pending → approved | rejected,
	// approved → deprecated | withdrawn, deprecated → withdrawn. It checks
	// the change (Change.Validate, then Change.Decide against the stored
	// version: an author may not approve their own version unless
	// AllowSelf), and appends its event and updates the version in one
	// atomic write, so a refused change records nothing. A backend with
	// work after its commit point (the file store's derived files) that
	// fails there returns the committed version with an error wrapping
	// ErrAfterCommit: the change happened and must still be announced.
	Apply(ctx context.Context, c Change) (Version, error)
	// Audit returns the events matching the filter in the order they
	// happened: each chain in sequence order, chains merged by time.
	Audit(ctx context.Context, filter AuditFilter) ([]Event, error)
	// VerifyAudit recomputes the hash chain and returns ErrTampered naming
	// the first event that does not match.
	VerifyAudit(ctx context.Context) error
	// Note appends an event that changes no version, such as
	// ActionNotifyFailed, to the audit trail of an existing version. The
	// status-changing and publish actions are refused: they go through
	// Apply and Publish, which check them.
	Note(ctx context.Context, function, version, actor string, action Action, detail string) error
	// Close releases the backend's resources.
	Close() error
}

// PublishRequest is what Publish needs. The diff summary is computed by the
// caller (against the version active when the proposal is made), because
// comparing contracts is the engine's job, not the store's.
type PublishRequest struct {
	Function string
	Version  string
	// Kind is the contract kind as package load names it ("openapi", …).
	Kind string
	// Main is the bundle path of the main contract file.
	Main string
	// Files is the bundle: slash-separated relative path → exact bytes.
	Files  map[string][]byte
	Author string
	// Diff is nil for a function's first version.
	Diff *DiffSummary
}

// AuditFilter selects events; zero fields match everything.
type AuditFilter struct {
	Function string
	Actor    string
	Action   Action
	// Since keeps events at or after this instant.
	Since time.Time
}

// Apply keeps the events that pass the filter, in order.
func (f AuditFilter) Apply(events []Event) []Event {
	var out []Event
	for _, e := range events {
		if f.Match(e) {
			out = append(out, e)
		}
	}
	return out
}

// Match reports whether e passes the filter.
func (f AuditFilter) Match(e Event) bool {
	return (f.Function == "" || e.Function == f.Function) &&
		(f.Actor == "" || e.Actor == f.Actor) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since))
}

// Clock returns the current time; stores take one so that tests and
// golden files are deterministic. Times are kept in UTC, truncated to the
// microsecond, which is what every backend (PostgreSQL's timestamptz
// included) can store exactly, so event hashes survive a round trip.
type Clock func() time.Time

// Stamp reads the clock the way every backend must record it.
func (c Clock) Stamp() time.Time {
	now := time.Now
	if c != nil {
		now = c
	}
	return now().UTC().Truncate(time.Microsecond)
}

// CheckNote refuses the actions Note must not record: those that publish
// or change a status would bypass their checks.
func CheckNote(function, version string, action Action) error {
	switch action {
	case ActionNotifyFailed, ActionSign:
		return nil
	}
	return Errorf(ErrInvalid, "%s: %q cannot be recorded as a note; it changes the version and has its own command", Ref(function, version), action)
}
