package filestore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// copyLegacy copies testdata/legacy, a registry written by relay before
// audit logs were kept per function (one global audit.jsonl: payments
// 1.0.0 approved and 1.1.0 pending, invoices 0.1.0 approved).
func copyLegacy(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "registry")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "legacy"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLegacyGlobalLog: a registry with the old global log reads as before,
// and new events go to the function's own log, chained after the
// function's last legacy event, leaving the old log byte for byte alone.
func TestLegacyGlobalLog(t *testing.T) {
	dir := copyLegacy(t)
	oldLog, err := os.ReadFile(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("VerifyAudit of the legacy registry: %v", err)
	}
	if a, err := s.Active(ctx, fnPay); err != nil || a.Version != "1.0.0" {
		t.Fatalf("Active = %q, %v; want 1.0.0", a.Version, err)
	}
	v := ok(t)
	v(s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved}))

	if now, _ := os.ReadFile(filepath.Join(dir, "audit.jsonl")); !bytes.Equal(now, oldLog) {
		t.Errorf("the legacy audit.jsonl was changed:\n%s", now)
	}
	events, err := s.Audit(ctx, registry.AuditFilter{Function: fnPay})
	if err != nil || len(events) != 4 {
		t.Fatalf("Audit = %d events, %v; want 4", len(events), err)
	}
	last := events[3]
	if last.Seq != 5 || last.PrevHash != events[2].Hash || last.Action != registry.ActionApprove {
		t.Errorf("the first event of the function's own log: %+v; want seq 5 chained after legacy event 4", last)
	}
	if a, err := s.Active(ctx, fnPay); err != nil || a.Version != "1.1.0" {
		t.Errorf("Active after approving = %q, %v; want 1.1.0", a.Version, err)
	}
	checkPointerFile(t, dir, "1.1.0")
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit after the first per-function event: %v", err)
	}
	all, err := s.Audit(ctx, registry.AuditFilter{})
	if err != nil || len(all) != 6 || all[5].Function != fnPay {
		t.Errorf("Audit of everything = %d events, %v; want the 5 legacy ones, then the new one", len(all), err)
	}
}

// TestLegacyLogTampered: the legacy log is still verified.
func TestLegacyLogTampered(t *testing.T) {
	dir := copyLegacy(t)
	name := filepath.Join(dir, "audit.jsonl")
	data, _ := os.ReadFile(name)
	if err := os.WriteFile(name, bytes.Replace(data, []byte(`"actor":"dave"`), []byte(`"actor":"eve"`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, nil)
	defer s.Close()
	err := s.VerifyAudit(context.Background())
	if !errors.Is(err, registry.ErrTampered) || !strings.Contains(err.Error(), name+" line 5:") {
		t.Errorf("VerifyAudit of an edited legacy log: %v; want ErrTampered naming %s line 5", err, name)
	}
}

// TestLegacyLogWrittenAfterOwnLog: an older relay that appends to the
// global log for a function whose own log already continues it splits the
// history; reads fail naming both logs and the cause.
func TestLegacyLogWrittenAfterOwnLog(t *testing.T) {
	dir := copyLegacy(t)
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	ok(t)(s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved}))
	legacy, err := s.Audit(ctx, registry.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	old := registry.Chain(&legacy[4], registry.Event{Time: legacy[4].Time, Actor: "relay", Action: registry.ActionNotifyFailed,
		Function: fnPay, Version: "1.0.0", Detail: "written by an older relay"})
	line, _ := json.Marshal(old)
	f, err := os.OpenFile(filepath.Join(dir, "audit.jsonl"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write(append(line, '\n'))
	_ = f.Close()
	_, err = s.List(ctx, fnPay)
	want := filepath.Join(dir, fnPay, "audit.jsonl") + " continues my-team/payments's history from event 4 of " + filepath.Join(dir, "audit.jsonl") +
		", but an older relay has since written event 6 for my-team/payments there"
	if !errors.Is(err, registry.ErrTampered) || !strings.Contains(err.Error(), want) {
		t.Errorf("List after an older relay wrote the global log: %v\nwant: %s", err, want)
	}
}

// TestLegacyIncidents: a function known only from the legacy global log
// keeps drift incidents too, and their status changes chain after its
// legacy events.
func TestLegacyIncidents(t *testing.T) {
	dir := copyLegacy(t)
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	d := registrytest.Drift(fnPay, "GET /pets", registrytest.Start, 2)
	if err := s.RecordIncidents(ctx, []event.Event{d}); err != nil {
		t.Fatalf("RecordIncidents on a legacy function: %v", err)
	}
	if _, err := s.SetIncidentStatus(ctx, registry.IncidentChange{Fingerprint: d.Fingerprint, To: registry.IncidentAcknowledged, Actor: "bob"}); err != nil {
		t.Fatal(err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
}
