package registrytest

import (
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

func testInvalid(t *testing.T, h Harness) {
	f := newFixture(t, h)
	for _, fn := range []string{"", "payments", "a/b/c", "Team/pay", "team/Pay", "../x", "team/..", "team/.", ".hidden/x",
		"team/.x", "team/x y", "team/x\x00", "/team/x", "team/", "/x", "team\\x/y", "team/-x"} {
		_, err := f.s.Publish(f.ctx, Request(fn, "1.0.0", "alice", "x"))
		wantErr(t, "function "+fn, err, registry.ErrInvalid)
		_, err = f.s.Get(f.ctx, fn, "1.0.0")
		wantErr(t, "Get of function "+fn, err, registry.ErrInvalid)
	}
	for _, v := range []string{"", "1", "1.0", "v1.0.0", "01.0.0", "1.00.0", "1.0.0+build", "1.0.0-", "1.0.0-01",
		"1.0.0-a..b", "1.0.0-a_b", "1.0.0.0", "-1.0.0", " 1.0.0", "1.0.0/../x"} {
		_, err := f.s.Publish(f.ctx, Request(fnPay, v, "alice", "x"))
		wantErr(t, "version "+v, err, registry.ErrInvalid)
	}
	for _, p := range []string{"../x.yaml", "/abs.yaml", "a/../b.yaml", "./a.yaml", "a//b.yaml", ".hidden.yaml",
		"dir/.tmp-x", "a\\b.yaml", "", "version.json"} {
		req := Request(fnPay, "1.0.0", "alice", "x")
		req.Files[p] = []byte("x: 1\n")
		_, err := f.s.Publish(f.ctx, req)
		wantErr(t, "bundle path "+p, err, registry.ErrInvalid, fnPay+"@1.0.0")
	}
	for name, mut := range map[string]func(*registry.PublishRequest){
		"no author":      func(r *registry.PublishRequest) { r.Author = " " },
		"no kind":        func(r *registry.PublishRequest) { r.Kind = "" },
		"no files":       func(r *registry.PublishRequest) { r.Files = nil },
		"main not there": func(r *registry.PublishRequest) { r.Main = "missing.yaml" },
	} {
		req := Request(fnPay, "1.0.0", "alice", "x")
		mut(&req)
		_, err := f.s.Publish(f.ctx, req)
		wantErr(t, name, err, registry.ErrInvalid, fnPay+"@1.0.0")
	}
	f.publish(fnPay, "1.0.0", "alice")
	_, err := f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: " ", To: registry.Rejected})
	wantErr(t, "reject without a reason", err, registry.ErrInvalid, fnPay+"@1.0.0")
	_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "", To: registry.Approved})
	wantErr(t, "approve without a reviewer", err, registry.ErrInvalid, fnPay+"@1.0.0")
	for _, to := range []registry.Status{"", registry.Pending, "published"} {
		_, err = f.s.Apply(f.ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: "r", To: to})
		wantErr(t, "a change to "+string(to), err, registry.ErrInvalid, fnPay+"@1.0.0")
	}
	if got := f.versions(fnPay); len(got) != 1 || got[0] != "1.0.0 pending" {
		t.Errorf("invalid calls changed the store: %q", got)
	}
}
