// Package registrytest is the conformance suite for registry.Store
// backends. A backend's test calls Run with a Harness; every backend runs
// the same lifecycle, error, ordering, audit and concurrency checks, so the
// file store and a database store behave alike.
package registrytest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// Harness adapts a backend to the suite.
type Harness struct {
	// New returns an empty store stamping events with clock.
	New func(t *testing.T, clock func() time.Time) registry.Store
	// TamperAudit alters a committed audit event behind the store's back
	// (edit a line of a file, UPDATE a row) without fixing its hash.
	TamperAudit func(t *testing.T, s registry.Store)
	// TamperContent changes a stored contract file of function@version
	// behind the store's back. Optional.
	TamperContent func(t *testing.T, s registry.Store, function, version string)
	// ContradictActive makes the backend's record of function's active
	// version name version, contradicting the history. Optional: only for
	// backends that keep such a record.
	ContradictActive func(t *testing.T, s registry.Store, function, version string)
}

// Run runs the whole suite.
func Run(t *testing.T, h Harness) {
	t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, h) })
	t.Run("NotFound", func(t *testing.T) { testNotFound(t, h) })
	t.Run("ExistsAndIdentical", func(t *testing.T) { testExistsAndIdentical(t, h) })
	t.Run("SelfApproval", func(t *testing.T) { testSelfApproval(t, h) })
	t.Run("BadTransition", func(t *testing.T) { testBadTransition(t, h) })
	t.Run("Invalid", func(t *testing.T) { testInvalid(t, h) })
	t.Run("CancelledContext", func(t *testing.T) { testCancelled(t, h) })
	t.Run("ListOrder", func(t *testing.T) { testListOrder(t, h) })
	t.Run("ActiveResolution", func(t *testing.T) { testActive(t, h) })
	t.Run("Immutable", func(t *testing.T) { testImmutable(t, h) })
	t.Run("AuditFilter", func(t *testing.T) { testAuditFilter(t, h) })
	t.Run("AuditVerifyAndTamper", func(t *testing.T) { testTamperAudit(t, h) })
	t.Run("ContentTamper", func(t *testing.T) { testTamperContent(t, h) })
	t.Run("ActiveConflict", func(t *testing.T) { testActiveConflict(t, h) })
	t.Run("ConcurrentPublishApprove", func(t *testing.T) { testConcurrent(t, h) })
	t.Run("ConcurrentSameVersion", func(t *testing.T) { testConcurrentSame(t, h) })
	t.Run("Note", func(t *testing.T) { testNote(t, h) })
	t.Run("IncidentRecord", func(t *testing.T) { testIncidentRecord(t, h) })
	t.Run("IncidentStatus", func(t *testing.T) { testIncidentStatus(t, h) })
	t.Run("IncidentReopen", func(t *testing.T) { testIncidentReopen(t, h) })
	t.Run("IncidentInvalid", func(t *testing.T) { testIncidentInvalid(t, h) })
	t.Run("IncidentConcurrent", func(t *testing.T) { testIncidentConcurrent(t, h) })
}

// Clock is a deterministic clock: each reading is one second after the
// previous, starting at Start.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Start is the first reading of a new Clock.
var Start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// NewClock returns a clock whose first reading is Start.
func NewClock() *Clock { return &Clock{now: Start.Add(-time.Second)} }

// Now advances the clock by a second and reads it.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// fixture is a store under test with its clock.
type fixture struct {
	t     *testing.T
	s     registry.Store
	clock *Clock
	ctx   context.Context
}

func newFixture(t *testing.T, h Harness) *fixture {
	t.Helper()
	c := NewClock()
	s := h.New(t, c.Now)
	t.Cleanup(func() { _ = s.Close() })
	return &fixture{t: t, s: s, clock: c, ctx: context.Background()}
}

// Request builds a publish request whose single file's content is derived
// from seed, so different seeds never collide.
func Request(function, version, author, seed string) registry.PublishRequest {
	return registry.PublishRequest{
		Function: function, Version: version, Kind: "openapi", Main: "api.yaml", Author: author,
		Files: map[string][]byte{
			"api.yaml":           fmt.Appendf(nil, "openapi: 3.0.3\ninfo: {title: t, version: %q}\npaths:\n  /pets:\n    $ref: paths/pets.yaml\n", seed),
			"paths/pets.yaml":    []byte("get:\n  responses:\n    '200': {description: ok}\n"),
			"schemas/empty.json": {},
		},
	}
}

func (f *fixture) publish(function, version, author string) registry.Version {
	f.t.Helper()
	v, err := f.s.Publish(f.ctx, Request(function, version, author, version))
	if err != nil {
		f.t.Fatalf("Publish %s@%s: %v", function, version, err)
	}
	return v
}

func (f *fixture) approve(function, version string) registry.Version {
	f.t.Helper()
	v, err := f.s.Apply(f.ctx, registry.Change{Function: function, Version: version, Actor: "reviewer", Reason: "looks good", To: registry.Approved})
	if err != nil {
		f.t.Fatalf("Approve %s@%s: %v", function, version, err)
	}
	return v
}

func (f *fixture) must(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// activeVersion returns the active version string, or "" for ErrNotFound.
func (f *fixture) activeVersion(function string) string {
	f.t.Helper()
	v, err := f.s.Active(f.ctx, function)
	if registry.IsNotFound(err) {
		return ""
	}
	f.must(err, "Active "+function)
	return v.Version
}

// versions lists the function's version strings and statuses.
func (f *fixture) versions(function string) []string {
	f.t.Helper()
	vs, err := f.s.List(f.ctx, function)
	f.must(err, "List "+function)
	var out []string
	for _, v := range vs {
		out = append(out, v.Version+" "+string(v.Status))
	}
	return out
}
