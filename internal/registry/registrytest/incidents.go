package registrytest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
)

// Drift returns a contract.drift event of function seen count times at t,
// with its fingerprint computed from its fields.
func Drift(function, operation string, t time.Time, count int64) event.Event {
	e := event.Event{Function: function, Version: "1.0.0", Operation: operation, Rule: "type-mismatch",
		Direction: event.Response, Status: 200, SchemaPointer: "/components/schemas/Pet/properties/id",
		Message: "id is a string, the contract says integer", Observed: "string (5 bytes)",
		Fix: "fix the implementation", FirstSeen: t, LastSeen: t, Count: count}
	e.Fingerprint = event.Fingerprint(e)
	return e
}

func incidents(t *testing.T, f *fixture) registry.IncidentStore {
	t.Helper()
	is, ok := f.s.(registry.IncidentStore)
	if !ok {
		t.Fatalf("%T does not implement registry.IncidentStore", f.s)
	}
	return is
}

// incidentFixture is a store with fnPay@1.0.0 approved.
func incidentFixture(t *testing.T, h Harness) (*fixture, registry.IncidentStore) {
	f := newFixture(t, h)
	f.publish(fnPay, "1.0.0", "alice")
	f.approve(fnPay, "1.0.0")
	return f, incidents(t, f)
}

func (f *fixture) only(is registry.IncidentStore, filter registry.IncidentFilter) registry.Incident {
	f.t.Helper()
	got, err := is.ListIncidents(f.ctx, filter)
	f.must(err, "ListIncidents")
	if len(got) != 1 {
		f.t.Fatalf("ListIncidents(%+v) = %d incidents, want 1: %+v", filter, len(got), got)
	}
	return got[0]
}

// testIncidentRecord: the same fingerprint aggregates (counts add, the
// sightings widen, the latest sample wins); filters and order hold.
func testIncidentRecord(t *testing.T, h Harness) {
	f, is := incidentFixture(t, h)
	t0 := Start.Add(time.Hour)
	a := Drift(fnPay, "GET /pets/{id}", t0, 2)
	later := a
	later.FirstSeen, later.LastSeen, later.Count, later.Observed = t0.Add(time.Minute), t0.Add(time.Minute), 3, "string (7 bytes)"
	other := Drift(fnPay, "POST /pets", t0.Add(-time.Minute), 1)
	f.must(is.RecordIncidents(f.ctx, []event.Event{a, other}), "RecordIncidents")
	f.must(is.RecordIncidents(f.ctx, []event.Event{later}), "RecordIncidents")

	all, err := is.ListIncidents(f.ctx, registry.IncidentFilter{})
	f.must(err, "ListIncidents")
	if len(all) != 2 || all[0].Drift.Fingerprint != a.Fingerprint || all[1].Drift.Fingerprint != other.Fingerprint {
		t.Fatalf("ListIncidents = %+v, want %s then %s (most recently seen first)", all, a.Fingerprint, other.Fingerprint)
	}
	got := all[0]
	if got.Drift.Count != 5 || !got.Drift.FirstSeen.Equal(t0) || !got.Drift.LastSeen.Equal(t0.Add(time.Minute)) ||
		got.Drift.Observed != "string (7 bytes)" || got.Status != registry.IncidentOpen || got.Drift.Fix != a.Fix {
		t.Errorf("merged incident = %+v", got)
	}
	if open, err := is.ListIncidents(f.ctx, registry.IncidentFilter{Function: fnPay, Status: registry.IncidentOpen}); err != nil || len(open) != 2 {
		t.Errorf("open incidents of %s = %+v, %v", fnPay, open, err)
	}
	if got.Drift.Status != 200 {
		t.Errorf("the drift's HTTP status was lost: %+v", got.Drift)
	}
	if none, err := is.ListIncidents(f.ctx, registry.IncidentFilter{Function: "team/other"}); err != nil || len(none) != 0 {
		t.Errorf("another function's incidents = %+v, %v", none, err)
	}
	if _, err := is.ListIncidents(f.ctx, registry.IncidentFilter{Status: "closed"}); !errors.Is(err, registry.ErrInvalid) {
		t.Errorf("unknown status filter: %v, want ErrInvalid", err)
	}
}

// testIncidentStatus: acknowledge then resolve, each audited; what the
// lifecycle refuses records nothing.
func testIncidentStatus(t *testing.T, h Harness) {
	f, is := incidentFixture(t, h)
	d := Drift(fnPay, "GET /pets/{id}", Start.Add(time.Hour), 1)
	f.must(is.RecordIncidents(f.ctx, []event.Event{d}), "RecordIncidents")
	fp := d.Fingerprint

	checkErr := func(c registry.IncidentChange, want error) {
		t.Helper()
		if _, err := is.SetIncidentStatus(f.ctx, c); !errors.Is(err, want) {
			t.Errorf("SetIncidentStatus(%+v) = %v, want %v", c, err, want)
		}
	}
	checkErr(registry.IncidentChange{Fingerprint: fp, To: registry.IncidentResolved, Actor: "bob"}, registry.ErrInvalid)
	checkErr(registry.IncidentChange{Fingerprint: fp, To: registry.IncidentOpen, Actor: "bob", Reason: "x"}, registry.ErrInvalid)
	checkErr(registry.IncidentChange{Fingerprint: "0123456789abcdef", To: registry.IncidentAcknowledged, Actor: "bob"}, registry.ErrNotFound)
	checkErr(registry.IncidentChange{Fingerprint: "../../etc", To: registry.IncidentAcknowledged, Actor: "bob"}, registry.ErrInvalid)

	in, err := is.SetIncidentStatus(f.ctx, registry.IncidentChange{Fingerprint: fp, To: registry.IncidentAcknowledged, Actor: "bob"})
	f.must(err, "acknowledge")
	if in.Status != registry.IncidentAcknowledged || in.StatusBy != "bob" || in.Drift.Count != 1 {
		t.Errorf("acknowledged incident = %+v", in)
	}
	checkErr(registry.IncidentChange{Fingerprint: fp, To: registry.IncidentAcknowledged, Actor: "bob"}, registry.ErrBadTransition)
	in, err = is.SetIncidentStatus(f.ctx, registry.IncidentChange{Fingerprint: fp, To: registry.IncidentResolved, Actor: "carol", Reason: "hotfix 1.0.1"})
	f.must(err, "resolve")
	if in.Status != registry.IncidentResolved || in.StatusReason != "hotfix 1.0.1" {
		t.Errorf("resolved incident = %+v", in)
	}
	checkErr(registry.IncidentChange{Fingerprint: fp, To: registry.IncidentResolved, Actor: "carol", Reason: "again"}, registry.ErrBadTransition)
	if got := f.only(is, registry.IncidentFilter{Status: registry.IncidentResolved}); got.StatusBy != "carol" {
		t.Errorf("stored incident = %+v", got)
	}

	events, err := f.s.Audit(f.ctx, registry.AuditFilter{Function: fnPay})
	f.must(err, "Audit")
	var got []string
	for _, e := range events {
		if e.Action == registry.ActionIncidentAck || e.Action == registry.ActionIncidentResolve {
			got = append(got, string(e.Action)+" "+e.Actor+" "+e.Detail)
		}
	}
	want := []string{"incident-acknowledge bob incident " + fp, "incident-resolve carol incident " + fp + ": hotfix 1.0.1"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("incident audit events = %q, want %q", got, want)
	}
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit")
	if v, err := f.s.Active(f.ctx, fnPay); err != nil || v.Version != "1.0.0" {
		t.Errorf("incident changes touched the contract: %+v, %v", v, err)
	}
}

// testIncidentReopen: a resolved drift seen after its resolve opens again
// (audited); a late report of a sighting before the resolve only counts.
func testIncidentReopen(t *testing.T, h Harness) {
	f, is := incidentFixture(t, h)
	d := Drift(fnPay, "GET /pets/{id}", Start.Add(-time.Hour), 1)
	f.must(is.RecordIncidents(f.ctx, []event.Event{d}), "RecordIncidents")
	_, err := is.SetIncidentStatus(f.ctx, registry.IncidentChange{Fingerprint: d.Fingerprint, To: registry.IncidentResolved, Actor: "carol", Reason: "fixed"})
	f.must(err, "resolve")

	late := Drift(fnPay, "GET /pets/{id}", Start.Add(-time.Minute), 4)
	f.must(is.RecordIncidents(f.ctx, []event.Event{late}), "RecordIncidents")
	if in := f.only(is, registry.IncidentFilter{}); in.Status != registry.IncidentResolved || in.Drift.Count != 5 {
		t.Errorf("after a late report: %+v, want resolved with count 5", in)
	}

	again := Drift(fnPay, "GET /pets/{id}", Start.Add(time.Hour), 1)
	f.must(is.RecordIncidents(f.ctx, []event.Event{again}), "RecordIncidents")
	in := f.only(is, registry.IncidentFilter{})
	if in.Status != registry.IncidentOpen || in.Reopened != 1 || in.Drift.Count != 6 || in.StatusBy != "relay" {
		t.Errorf("after a new sighting: %+v, want open, reopened once, count 6", in)
	}
	reopens, err := f.s.Audit(f.ctx, registry.AuditFilter{Action: registry.ActionIncidentReopen})
	f.must(err, "Audit")
	if len(reopens) != 1 || reopens[0].Function != fnPay || reopens[0].Actor != "relay" {
		t.Errorf("reopen events = %+v", reopens)
	}
	f.must(f.s.VerifyAudit(f.ctx), "VerifyAudit")
}

// testIncidentInvalid: events the store cannot keep are refused whole.
func testIncidentInvalid(t *testing.T, h Harness) {
	f, is := incidentFixture(t, h)
	good := Drift(fnPay, "GET /pets", Start, 1)
	unknown := Drift("a-team/unknown", "GET /pets", Start, 1) // sorts before fnPay
	noFn := Drift("", "GET /pets", Start, 1)
	noFn.Contract = "api.yaml"
	badFP := good
	badFP.Fingerprint = "../x"
	zero := good
	zero.Count = 0
	for name, c := range map[string]struct {
		e    event.Event
		want error
	}{
		"unknown function": {unknown, registry.ErrNotFound},
		"no function":      {noFn, registry.ErrInvalid},
		"bad fingerprint":  {badFP, registry.ErrInvalid},
		"zero count":       {zero, registry.ErrInvalid},
	} {
		if err := is.RecordIncidents(f.ctx, []event.Event{c.e}); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if all, err := is.ListIncidents(f.ctx, registry.IncidentFilter{}); err != nil || len(all) != 0 {
		t.Errorf("refused events left incidents: %+v, %v", all, err)
	}
	// A function that is not in the registry does not lose the drift of
	// one that is.
	if err := is.RecordIncidents(f.ctx, []event.Event{unknown, good}); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("a batch with an unknown function: %v, want ErrNotFound", err)
	}
	if in := f.only(is, registry.IncidentFilter{}); in.Drift.Fingerprint != good.Fingerprint {
		t.Errorf("recorded %+v, want the known function's drift", in)
	}
}

// testIncidentConcurrent: Writers goroutines record the same fingerprint
// at once; no count is lost.
func testIncidentConcurrent(t *testing.T, h Harness) {
	f, is := incidentFixture(t, h)
	d := Drift(fnPay, "GET /pets/{id}", Start, 1)
	var wg sync.WaitGroup
	errs := make(chan error, Writers)
	for range Writers {
		wg.Go(func() {
			if err := is.RecordIncidents(f.ctx, []event.Event{d}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if in := f.only(is, registry.IncidentFilter{}); in.Drift.Count != Writers {
		t.Errorf("count after %d concurrent records = %d", Writers, in.Drift.Count)
	}
}
