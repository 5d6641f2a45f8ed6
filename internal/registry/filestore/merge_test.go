package filestore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// branchLogs seeds a registry (1.0.0 approved), copies it into two
// "branches", lets each publish, and returns the three versions of the
// function's audit log.
func branchLogs(t *testing.T, oursVersion, theirsVersion, theirsSeed string) (base, ours, theirs []byte) {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "base")
	seed(t, dir, false)
	logOf := func(d string) []byte {
		b, err := os.ReadFile(filepath.Join(d, fnPay, "audit.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	side := func(name, version, content string) []byte {
		d := filepath.Join(root, name)
		if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		s := open(t, d, nil)
		defer s.Close()
		ok(t)(s.Publish(context.Background(), registrytest.Request(fnPay, version, name, content)))
		return logOf(d)
	}
	return logOf(dir), side("ours", oursVersion, oursVersion), side("theirs", theirsVersion, theirsSeed)
}

// TestMergeLogsSymmetric: the merge of two branches is the same whichever
// is ours, verifies as one chain, and ends with the merge event.
func TestMergeLogsSymmetric(t *testing.T) {
	base, ours, theirs := branchLogs(t, "1.1.0", "1.2.0", "1.2.0")
	ab, err := filestore.MergeLogs(base, ours, theirs)
	if err != nil {
		t.Fatal(err)
	}
	ba, err := filestore.MergeLogs(base, theirs, ours)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ab, ba) {
		t.Errorf("merging ours into theirs differs from theirs into ours:\n%s\n---\n%s", ab, ba)
	}
	var events []registry.Event
	for _, line := range strings.Split(strings.TrimSuffix(string(ab), "\n"), "\n") {
		var e registry.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatal(err)
		}
		events = append(events, e)
	}
	if err := registry.VerifyChain(events); err != nil {
		t.Errorf("the merged log does not verify: %v", err)
	}
	if len(events) != 5 || events[4].Action != registry.ActionMerge || events[4].Actor != filestore.MergeActor {
		t.Errorf("merged log: %d events, last %+v; want base 2 + 1 + 1 + the merge event", len(events), events[len(events)-1])
	}
}

// TestMergeLogsRefused: the same version published on both branches, and a
// side that rewrote the common history, are refused with the reason.
func TestMergeLogsRefused(t *testing.T) {
	base, ours, theirs := branchLogs(t, "1.1.0", "1.1.0", "other content")
	_, err := filestore.MergeLogs(base, ours, theirs)
	if err == nil || !strings.Contains(err.Error(), "both branches changed my-team/payments@1.1.0 (ours: publish by ours, theirs: publish by theirs)") {
		t.Errorf("same version on both branches: %v", err)
	}
	base, ours, theirs = branchLogs(t, "1.1.0", "1.2.0", "1.2.0")
	forged := bytes.Replace(ours, []byte(`"actor":"bob"`), []byte(`"actor":"eve"`), 1)
	_, err = filestore.MergeLogs(base, forged, theirs)
	if err == nil || !strings.Contains(err.Error(), "line 2 of our side") {
		t.Errorf("an edited event on our side: %v", err)
	}
}

// TestMergeLogsIncidentEvents: two branches that both acknowledged or
// resolved drift incidents of one function (events on function@version of
// the approved version) still merge: incident events change no version.
func TestMergeLogsIncidentEvents(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "base")
	seed(t, dir, false)
	logOf := func(d string) []byte {
		b, err := os.ReadFile(filepath.Join(d, fnPay, "audit.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	side := func(name, op string) []byte {
		d := filepath.Join(root, name)
		if err := os.CopyFS(d, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		s := open(t, d, nil)
		defer s.Close()
		e := registrytest.Drift(fnPay, op, registrytest.Start, 1)
		if err := s.RecordIncidents(context.Background(), []event.Event{e}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetIncidentStatus(context.Background(), registry.IncidentChange{Fingerprint: e.Fingerprint,
			To: registry.IncidentResolved, Actor: name, Reason: "fixed"}); err != nil {
			t.Fatal(err)
		}
		return logOf(d)
	}
	base, ours, theirs := logOf(dir), side("ours", "GET /a"), side("theirs", "GET /b")
	merged, err := filestore.MergeLogs(base, ours, theirs)
	if err != nil {
		t.Fatalf("incident events on both branches: %v", err)
	}
	if n := strings.Count(string(merged), `"action":"incident-resolve"`); n != 2 {
		t.Errorf("the merged log has %d incident-resolve events, want 2:\n%s", n, merged)
	}
}
