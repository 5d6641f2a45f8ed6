package registrytest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

// Writers is how many goroutines the concurrency tests start.
const Writers = 16

// testConcurrent publishes and approves Writers versions at once.
func testConcurrent(t *testing.T, h Harness) {
	f := newFixture(t, h)
	var wg sync.WaitGroup
	errs := make(chan error, 2*Writers)
	for i := range Writers {
		wg.Go(func() {
			v := fmt.Sprintf("1.%d.0", i)
			if _, err := f.s.Publish(f.ctx, Request(fnPay, v, fmt.Sprintf("author-%d", i), v)); err != nil {
				errs <- err
				return
			}
			if _, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: v, Actor: "reviewer", To: registry.Approved}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	CheckConsistent(t, f.s, fnPay, Writers, fmt.Sprintf("1.%d.0", Writers-1))
}

// CheckConsistent asserts that function holds exactly n versions, each
// approved and logged exactly once as published and once as approved, that
// the audit chain verifies, and that wantActive is active. The multi-
// process tests of backends use it too.
func CheckConsistent(t *testing.T, s registry.Store, function string, n int, wantActive string) {
	t.Helper()
	ctx := t.Context()
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	vs, err := s.List(ctx, function)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	seen := map[string]bool{}
	for _, v := range vs {
		if seen[v.Version] || v.Status != registry.Approved {
			t.Errorf("%s: duplicate or not approved (%s)", v.Ref(), v.Status)
		}
		seen[v.Version] = true
	}
	if len(vs) != n {
		t.Errorf("List has %d versions, want %d", len(vs), n)
	}
	events, err := s.Audit(ctx, registry.AuditFilter{Function: function})
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	count := map[string]int{}
	for _, e := range events {
		count[string(e.Action)+" "+e.Version]++
	}
	for v := range seen {
		if count["publish "+v] != 1 || count["approve "+v] != 1 {
			t.Errorf("%s@%s: %d publish and %d approve events, want one each", function, v, count["publish "+v], count["approve "+v])
		}
	}
	if a, err := s.Active(ctx, function); err != nil || a.Version != wantActive {
		t.Errorf("Active = %q, %v; want %s", a.Version, err, wantActive)
	}
}

// testConcurrentSame races writers on one version number and on one
// content: exactly one of each race wins.
func testConcurrentSame(t *testing.T, h Harness) {
	f := newFixture(t, h)
	var wg sync.WaitGroup
	results := make(chan error, 2*Writers)
	for i := range Writers {
		wg.Go(func() {
			_, err := f.s.Publish(f.ctx, Request(fnPay, "1.0.0", "alice", fmt.Sprint("content-", i)))
			results <- err
		})
		wg.Go(func() {
			_, err := f.s.Publish(f.ctx, Request(fnPay, fmt.Sprintf("2.0.%d", i), "alice", "same"))
			results <- err
		})
	}
	wg.Wait()
	close(results)
	var ok, exists, identical int
	for err := range results {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, registry.ErrExists):
			exists++
		case errors.Is(err, registry.ErrIdentical):
			identical++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 2 || exists != Writers-1 || identical != Writers-1 {
		t.Errorf("%d succeeded, %d ErrExists, %d ErrIdentical; want 2, %d, %d", ok, exists, identical, Writers-1, Writers-1)
	}
	if got := f.versions(fnPay); len(got) != 2 {
		t.Errorf("List = %q, want one 1.0.0 and one 2.0.x", got)
	}
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit")
}
