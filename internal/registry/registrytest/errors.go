package registrytest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

// wantErr insists on the sentinel and on a message naming what it is about.
func wantErr(t *testing.T, what string, err, kind error, names ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: got %v, want %v", what, err, kind)
		return
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("%s: message %q does not name %s", what, err, n)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%s: message spans lines: %q", what, err)
	}
}

func testNotFound(t *testing.T, h Harness) {
	f := newFixture(t, h)
	_, err := f.s.Get(f.ctx, fnPay, "1.0.0")
	wantErr(t, "Get on an empty store", err, registry.ErrNotFound, fnPay)
	_, err = f.s.List(f.ctx, fnPay)
	wantErr(t, "List on an empty store", err, registry.ErrNotFound, fnPay)
	_, err = f.s.Active(f.ctx, fnPay)
	wantErr(t, "Active on an empty store", err, registry.ErrNotFound, fnPay)
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", To: registry.Approved})
	wantErr(t, "Approve on an empty store", err, registry.ErrNotFound, fnPay+"@1.0.0")
	if events, err := f.s.Audit(f.ctx, registry.AuditFilter{}); err != nil || len(events) != 0 {
		t.Errorf("Audit on an empty store: %d events, %v", len(events), err)
	}
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit on an empty store")

	f.publish(fnPay, "1.0.0", "alice")
	_, err = f.s.Get(f.ctx, fnPay, "1.0.1")
	wantErr(t, "Get of a missing version", err, registry.ErrNotFound, fnPay+"@1.0.1")
	_, err = f.s.Active(f.ctx, fnPay)
	wantErr(t, "Active with nothing approved", err, registry.ErrNotFound, fnPay)
	for _, op := range transitionOps(f) {
		_, err = op.do(fnPay, "2.0.0")
		wantErr(t, op.name+" of a missing version", err, registry.ErrNotFound, fnPay+"@2.0.0")
	}
	_, err = f.s.Get(f.ctx, "my-team/other", "1.0.0")
	wantErr(t, "Get of another function", err, registry.ErrNotFound, "my-team/other")
}

func testExistsAndIdentical(t *testing.T, h Harness) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	_, err := f.s.Publish(f.ctx, Request(fnPay, "1.0.0", "alice", "changed"))
	wantErr(t, "re-publishing 1.0.0 with new content", err, registry.ErrExists, fnPay+"@1.0.0")
	_, err = f.s.Publish(f.ctx, Request(fnPay, "1.0.0", "alice", "1.0.0"))
	wantErr(t, "re-publishing 1.0.0 unchanged", err, registry.ErrExists, fnPay+"@1.0.0")
	_, err = f.s.Publish(f.ctx, Request(fnPay, "1.0.1", "bob", "1.0.0"))
	wantErr(t, "publishing 1.0.0's content as 1.0.1", err, registry.ErrIdentical, fnPay+"@1.0.1", fnPay+"@1.0.0")

	f.publish(fnPay, "1.1.0", "alice")
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", Reason: "no", To: registry.Rejected})
	f.must(err, "Reject")
	_, err = f.s.Publish(f.ctx, Request(fnPay, "1.1.1", "alice", "1.1.0"))
	wantErr(t, "publishing a rejected version's content again", err, registry.ErrIdentical, fnPay+"@1.1.0")

	// The same content under another function is a different contract.
	_, err = f.s.Publish(f.ctx, Request("other-team/payments", "1.0.0", "alice", "1.0.0"))
	f.must(err, "publishing the same bundle for another function")
	if got := f.versions(fnPay); len(got) != 2 {
		t.Errorf("refused publishes left versions behind: %q", got)
	}
}

func testSelfApproval(t *testing.T, h Harness) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	_, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "alice", Reason: "mine", To: registry.Approved})
	wantErr(t, "self-approval", err, registry.ErrSelfApproval, fnPay+"@1.0.0")
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: " Alice", Reason: "mine", To: registry.Approved})
	wantErr(t, "self-approval under another spelling", err, registry.ErrSelfApproval, fnPay+"@1.0.0")
	v, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "alice", Reason: "allowed", To: registry.Approved, AllowSelf: true})
	f.must(err, "self-approval with allowSelf")
	if v.Status != registry.Approved || v.Reviewer != "alice" {
		t.Errorf("after allowed self-approval: %+v", v)
	}
	// The author may reject their own proposal.
	f.publish(fnPay, "1.1.0", "alice")
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "alice", Reason: "changed my mind", To: registry.Rejected})
	f.must(err, "the author rejects their own version")
}

type transitionOp struct {
	name string
	do   func(function, version string) (registry.Version, error)
}

func transitionOps(f *fixture) []transitionOp {
	op := func(name string, to registry.Status) transitionOp {
		return transitionOp{name, func(fn, v string) (registry.Version, error) {
			return f.s.Apply(f.ctx, registry.Change{Function: fn, Version: v, Actor: "zed", Reason: "r", To: to})
		}}
	}
	return []transitionOp{
		op("approve", registry.Approved), op("reject", registry.Rejected),
		op("deprecate", registry.Deprecated), op("withdraw", registry.Withdrawn),
	}
}

func testBadTransition(t *testing.T, h Harness) {
	f := newFixture(t, h)
	ops := map[string]transitionOp{}
	for _, op := range transitionOps(f) {
		ops[op.name] = op
	}
	// status reached by the setup → the operations that must be refused
	cases := []struct {
		version string
		setup   []string
		refused []string
	}{
		{"1.0.0", nil, []string{"deprecate", "withdraw"}},
		{"1.1.0", []string{"approve"}, []string{"approve", "reject"}},
		{"1.2.0", []string{"reject"}, []string{"approve", "reject", "deprecate", "withdraw"}},
		{"1.3.0", []string{"approve", "deprecate"}, []string{"approve", "reject", "deprecate"}},
		{"1.4.0", []string{"approve", "withdraw"}, []string{"approve", "reject", "deprecate", "withdraw"}},
	}
	for _, c := range cases {
		f.publish(fnPay, c.version, "alice")
		for _, s := range c.setup {
			_, err := ops[s].do(fnPay, c.version)
			f.must(err, s+" "+c.version)
		}
		before, err := f.s.Get(f.ctx, fnPay, c.version)
		f.must(err, "Get")
		for _, r := range c.refused {
			_, err := ops[r].do(fnPay, c.version)
			wantErr(t, r+" of a "+string(before.Status)+" version", err, registry.ErrBadTransition, fnPay+"@"+c.version)
		}
		after, err := f.s.Get(f.ctx, fnPay, c.version)
		f.must(err, "Get")
		if after.Status != before.Status {
			t.Errorf("%s: a refused change moved the status from %s to %s", c.version, before.Status, after.Status)
		}
	}
	n := len(mustAudit(f, registry.AuditFilter{}))
	if want := 5 + 6; n != want { // 5 publishes + 6 setup changes; refusals log nothing
		t.Errorf("audit has %d events, want %d", n, want)
	}
}

func mustAudit(f *fixture, filter registry.AuditFilter) []registry.Event {
	f.t.Helper()
	events, err := f.s.Audit(f.ctx, filter)
	f.must(err, "Audit")
	return events
}

func testCancelled(t *testing.T, h Harness) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.s.Publish(ctx, Request(fnPay, "1.1.0", "alice", "x"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Publish with a cancelled context: %v", err)
	}
	_, err = f.s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", To: registry.Approved})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Approve with a cancelled context: %v", err)
	}
	if _, err := f.s.Get(ctx, fnPay, "1.0.0"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled context: %v", err)
	}
	if got := f.versions(fnPay); len(got) != 1 || got[0] != "1.0.0 pending" {
		t.Errorf("cancelled calls changed the store: %q", got)
	}
}
