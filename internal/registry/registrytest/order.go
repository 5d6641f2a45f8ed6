package registrytest

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// semverOrder is ascending precedence, from semver.org §11 and beyond.
var semverOrder = []string{
	"0.9.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
	"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.2.0", "1.10.0", "2.0.0", "10.0.0",
}

func testListOrder(t *testing.T, h Harness) {
	f := newFixture(t, h)
	shuffled := slices.Clone(semverOrder)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, v := range shuffled {
		f.publish(fnPay, v, "alice")
	}
	vs, err := f.s.List(f.ctx, fnPay)
	f.must(err, "List")
	var got []string
	for _, v := range vs {
		got = append(got, v.Version)
		if v.Files != nil {
			t.Errorf("List returned the files of %s", v.Ref())
		}
		if v.Kind != "openapi" || v.Main != "api.yaml" || v.SHA256 == "" {
			t.Errorf("List lost metadata of %s: %+v", v.Ref(), v)
		}
	}
	if !slices.Equal(got, semverOrder) {
		t.Errorf("List order:\n got %q\nwant %q", got, semverOrder)
	}
}

func testActive(t *testing.T, h Harness) {
	f := newFixture(t, h)
	steps := []struct {
		do   func()
		want string
	}{
		{func() { f.publish(fnPay, "1.0.0", "alice") }, ""},
		{func() { f.approve(fnPay, "1.0.0") }, "1.0.0"},
		{func() { f.publish(fnPay, "3.0.0", "alice") }, "1.0.0"}, // pending is never active
		{func() { f.publish(fnPay, "2.0.0-rc.1", "alice"); f.approve(fnPay, "2.0.0-rc.1") }, "2.0.0-rc.1"},
		{func() { f.publish(fnPay, "1.5.0", "alice"); f.approve(fnPay, "1.5.0") }, "2.0.0-rc.1"}, // a backport does not win
		{func() { f.publish(fnPay, "2.0.0", "alice"); f.approve(fnPay, "2.0.0") }, "2.0.0"},
		{func() { f.withdraw("2.0.0") }, "2.0.0-rc.1"},
		{func() { f.deprecate("2.0.0-rc.1") }, "2.0.0-rc.1"},
		{func() { f.reject("3.0.0") }, "2.0.0-rc.1"},
		{func() { f.withdraw("2.0.0-rc.1") }, "1.5.0"},
		{func() { f.withdraw("1.5.0"); f.withdraw("1.0.0") }, ""},
	}
	for i, s := range steps {
		s.do()
		if got := f.activeVersion(fnPay); got != s.want {
			t.Fatalf("step %d: Active = %q, want %q", i, got, s.want)
		}
	}
	_, err := f.s.Active(f.ctx, fnPay)
	wantErr(t, "Active when everything is withdrawn", err, registry.ErrNotFound, fnPay)
}

func (f *fixture) withdraw(v string) {
	f.t.Helper()
	_, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: v, Actor: "ops", Reason: "retired", To: registry.Withdrawn})
	f.must(err, "Withdraw "+v)
}

func (f *fixture) deprecate(v string) {
	f.t.Helper()
	_, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: v, Actor: "ops", Reason: "old", To: registry.Deprecated})
	f.must(err, "Deprecate "+v)
}

func (f *fixture) reject(v string) {
	f.t.Helper()
	_, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: v, Actor: "ops", Reason: "no", To: registry.Rejected})
	f.must(err, "Reject "+v)
}

func testAuditFilter(t *testing.T, h Harness) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")     // Start
	f.approve(fnPay, "1.0.0")              // +1s
	f.publish("other/svc", "0.1.0", "bob") // +2s
	_, err := f.s.Apply(f.ctx, registry.Change{Function: "other/svc", Version: "0.1.0", Actor: "alice", Reason: "ok",
		To: registry.Approved}) // +3s
	f.must(err, "Approve")
	f.publish(fnPay, "1.1.0", "bob") // +4s

	cases := []struct {
		name   string
		filter registry.AuditFilter
		want   []int64
	}{
		{"all", registry.AuditFilter{}, []int64{1, 2, 3, 4, 5}},
		{"function", registry.AuditFilter{Function: fnPay}, []int64{1, 2, 5}},
		{"actor", registry.AuditFilter{Actor: "alice"}, []int64{1, 4}},
		{"action", registry.AuditFilter{Action: registry.ActionPublish}, []int64{1, 3, 5}},
		{"since", registry.AuditFilter{Since: Start.Add(3 * time.Second)}, []int64{4, 5}},
		{"combined", registry.AuditFilter{Function: fnPay, Actor: "bob", Action: registry.ActionPublish}, []int64{5}},
		{"nothing", registry.AuditFilter{Actor: "nobody"}, nil},
	}
	// Events are told apart by their clock tick (1 = Start), not by Seq: a
	// backend may number each function's chain on its own.
	for _, c := range cases {
		var got []int64
		for _, e := range mustAudit(f, c.filter) {
			got = append(got, int64(e.Time.Sub(Start)/time.Second)+1)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: events %v, want %v", c.name, got, c.want)
		}
	}
}

func testTamperAudit(t *testing.T, h Harness) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	f.approve(fnPay, "1.0.0")
	f.publish(fnPay, "1.1.0", "alice")
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit before tampering")
	if h.TamperAudit == nil {
		t.Fatal("Harness.TamperAudit is required")
	}
	h.TamperAudit(t, f.s)
	err := f.s.VerifyAudit(f.ctx)
	wantErr(t, "VerifyAudit after tampering", err, registry.ErrTampered, "event")
	// Reads fail closed: a registry whose history was altered cannot be trusted.
	if _, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved}); err == nil {
		t.Errorf("Approve succeeded on a tampered store")
	}
}

func testTamperContent(t *testing.T, h Harness) {
	if h.TamperContent == nil {
		t.Skip("the backend cannot alter stored content behind the store's back")
	}
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	f.approve(fnPay, "1.0.0")
	h.TamperContent(t, f.s, fnPay, "1.0.0")
	_, err := f.s.Get(f.ctx, fnPay, "1.0.0")
	wantErr(t, "Get of altered content", err, registry.ErrTampered, fnPay+"@1.0.0")
	_, err = f.s.Active(f.ctx, fnPay)
	wantErr(t, "Active with altered content", err, registry.ErrTampered, fnPay+"@1.0.0")
}

func testActiveConflict(t *testing.T, h Harness) {
	if h.ContradictActive == nil {
		t.Skip("the backend keeps no separate active pointer")
	}
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	f.approve(fnPay, "1.0.0")
	f.publish(fnPay, "1.1.0", "alice")
	h.ContradictActive(t, f.s, fnPay, "1.1.0")
	_, err := f.s.Active(f.ctx, fnPay)
	wantErr(t, "Active with a contradicting pointer", err, registry.ErrConflict, fnPay)
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved})
	wantErr(t, "Approve with a contradicting pointer", err, registry.ErrConflict, fnPay)
	if v, err := f.s.Get(f.ctx, fnPay, "1.1.0"); err != nil || v.Status != registry.Pending {
		t.Errorf("a refused approval changed 1.1.0: %s, %v", v.Status, err)
	}
}
