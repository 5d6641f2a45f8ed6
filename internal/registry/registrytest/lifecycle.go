package registrytest

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

const fnPay = "my-team/payments"

func testLifecycle(t *testing.T, h Harness) {
	f := newFixture(t, h)
	req := Request(fnPay, "1.0.0", "alice", "one")
	v, err := f.s.Publish(f.ctx, req)
	f.must(err, "Publish")
	checkPublished(t, v, req, Start)

	got, err := f.s.Get(f.ctx, fnPay, "1.0.0")
	f.must(err, "Get")
	checkPublished(t, got, req, Start)
	if a := f.activeVersion(fnPay); a != "" {
		t.Fatalf("a pending version is active: %s", a)
	}

	ap, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: "ship it", To: registry.Approved})
	f.must(err, "Approve")
	if ap.Status != registry.Approved || ap.Reviewer != "bob" || ap.Reason != "ship it" || !ap.DecidedAt.Equal(Start.Add(time.Second)) {
		t.Errorf("after Approve: %+v", ap)
	}
	active, err := f.s.Active(f.ctx, fnPay)
	f.must(err, "Active")
	if active.Version != "1.0.0" || !bytes.Equal(active.Files["api.yaml"], req.Files["api.yaml"]) {
		t.Errorf("Active = %s with files %v", active.Version, slices.Sorted(maps.Keys(active.Files)))
	}

	req2 := Request(fnPay, "1.1.0", "carol", "two")
	req2.Diff = &registry.DiffSummary{Base: "1.0.0", Verdict: "non-breaking", NonBreaking: 2, Info: 1}
	_, err = f.s.Publish(f.ctx, req2)
	f.must(err, "Publish 1.1.0")
	got2, err := f.s.Get(f.ctx, fnPay, "1.1.0")
	f.must(err, "Get 1.1.0")
	if got2.Diff == nil || *got2.Diff != *req2.Diff {
		t.Errorf("Diff = %+v, want %+v", got2.Diff, req2.Diff)
	}
	f.approve(fnPay, "1.1.0")
	if a := f.activeVersion(fnPay); a != "1.1.0" {
		t.Fatalf("Active = %q after approving 1.1.0", a)
	}

	dep, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "dave", Reason: "use 2.x", To: registry.Deprecated})
	f.must(err, "Deprecate")
	if dep.Status != registry.Deprecated || dep.RetiredBy != "dave" || dep.RetireReason != "use 2.x" || dep.Reviewer != "reviewer" {
		t.Errorf("after Deprecate: %+v", dep)
	}
	if a, err := f.s.Active(f.ctx, fnPay); err != nil || a.Version != "1.1.0" || a.Status != registry.Deprecated {
		t.Errorf("a deprecated version stays active, flagged: got %s %s, %v", a.Version, a.Status, err)
	}
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "dave", Reason: "security hole", To: registry.Withdrawn})
	f.must(err, "Withdraw")
	if a := f.activeVersion(fnPay); a != "1.0.0" {
		t.Errorf("Active = %q after withdrawing 1.1.0, want 1.0.0", a)
	}
	w, err := f.s.Get(f.ctx, fnPay, "1.1.0")
	if err != nil || w.Status != registry.Withdrawn || len(w.Files) != 3 {
		t.Errorf("a withdrawn version stays readable: %s %d files, %v", w.Status, len(w.Files), err)
	}

	f.publish(fnPay, "1.2.0", "alice")
	rj, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.2.0", Actor: "bob", Reason: "breaks clients", To: registry.Rejected})
	f.must(err, "Reject")
	if rj.Status != registry.Rejected || rj.Reason != "breaks clients" {
		t.Errorf("after Reject: %+v", rj)
	}

	want := []string{"1.0.0 approved", "1.1.0 withdrawn", "1.2.0 rejected"}
	if got := f.versions(fnPay); !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	checkLifecycleAudit(t, f)
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit")
}

func checkPublished(t *testing.T, v registry.Version, req registry.PublishRequest, created time.Time) {
	t.Helper()
	if v.Function != req.Function || v.Version != req.Version || v.Kind != req.Kind || v.Main != req.Main ||
		v.Author != req.Author || v.Status != registry.Pending || !v.CreatedAt.Equal(created) {
		t.Errorf("published version: %+v", v)
	}
	if v.SHA256 != registry.BundleSHA256(req.Files) {
		t.Errorf("SHA256 = %s, want BundleSHA256 of the request", v.SHA256)
	}
	if len(v.Files) != len(req.Files) {
		t.Errorf("Files has %d entries, want %d", len(v.Files), len(req.Files))
	}
	for p, b := range req.Files {
		if !bytes.Equal(v.Files[p], b) {
			t.Errorf("file %s differs from what was published", p)
		}
	}
}

func checkLifecycleAudit(t *testing.T, f *fixture) {
	t.Helper()
	events, err := f.s.Audit(f.ctx, registry.AuditFilter{Function: fnPay})
	f.must(err, "Audit")
	var got []string
	for i, e := range events {
		got = append(got, string(e.Action)+" "+e.Version+" "+e.Actor)
		if e.Seq != int64(i+1) || len(e.Hash) != 64 || !e.Time.Equal(Start.Add(time.Duration(i)*time.Second)) {
			t.Errorf("event %d: seq %d, time %s, hash %q", i, e.Seq, e.Time, e.Hash)
		}
	}
	want := []string{
		"publish 1.0.0 alice", "approve 1.0.0 bob", "publish 1.1.0 carol", "approve 1.1.0 reviewer",
		"deprecate 1.1.0 dave", "withdraw 1.1.0 dave", "publish 1.2.0 alice", "reject 1.2.0 bob",
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if events[0].PrevHash != registry.GenesisHash || events[1].PrevHash != events[0].Hash {
		t.Errorf("events are not chained from the genesis hash")
	}
	if events[0].Detail != registry.BundleSHA256(Request(fnPay, "1.0.0", "alice", "one").Files) {
		t.Errorf("the publish event's detail is %q, want the bundle sha256", events[0].Detail)
	}
}

func testImmutable(t *testing.T, h Harness) {
	f := newFixture(t, h)
	req := Request(fnPay, "1.0.0", "alice", "one")
	orig := registry.CloneFiles(req.Files)
	v, err := f.s.Publish(f.ctx, req)
	f.must(err, "Publish")
	req.Files["api.yaml"][0] = 'X'
	v.Files["api.yaml"][0] = 'Y'
	v.Files["extra.yaml"] = []byte("x")
	got, err := f.s.Get(f.ctx, fnPay, "1.0.0")
	f.must(err, "Get")
	if registry.BundleSHA256(got.Files) != registry.BundleSHA256(orig) {
		t.Errorf("the stored bundle changed through a caller's map")
	}
	got.Files["api.yaml"][0] = 'Z'
	again, err := f.s.Get(f.ctx, fnPay, "1.0.0")
	f.must(err, "Get again")
	if !bytes.Equal(again.Files["api.yaml"], orig["api.yaml"]) {
		t.Errorf("the stored bundle changed through a returned map")
	}
}
