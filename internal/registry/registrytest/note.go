package registrytest

import (
	"errors"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
)

// testNote: a notify-failed note lands in the audit trail of an existing
// version without changing it; notes for missing versions and notes that
// would change a status are refused; the chain still verifies.
func testNote(t *testing.T, h Harness) {
	f := newFixture(t, h)
	_, err := f.s.Publish(f.ctx, Request(fnPay, "1.0.0", "alice", "one"))
	f.must(err, "Publish")
	f.approve(fnPay, "1.0.0")

	f.must(f.s.Note(f.ctx, fnPay, "1.0.0", "relay", registry.ActionNotifyFailed, "webhook https://hooks.example/… answered 500"), "Note")
	events, err := f.s.Audit(f.ctx, registry.AuditFilter{Action: registry.ActionNotifyFailed})
	f.must(err, "Audit")
	if len(events) != 1 || events[0].Version != "1.0.0" || events[0].Actor != "relay" {
		t.Fatalf("notify-failed events = %+v", events)
	}
	v, err := f.s.Active(f.ctx, fnPay)
	f.must(err, "Active")
	if v.Version != "1.0.0" || v.Status != registry.Approved {
		t.Errorf("a note changed the version: %+v", v)
	}
	if err := f.s.Note(f.ctx, fnPay, "9.9.9", "relay", registry.ActionNotifyFailed, "x"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("note on a missing version: %v, want ErrNotFound", err)
	}
	if err := f.s.Note(f.ctx, fnPay, "1.0.0", "mallory", registry.ActionWithdraw, "sneaky"); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("note that would withdraw: %v, want ErrInvalid", err)
	}
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit")
}
