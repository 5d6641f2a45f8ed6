package filestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

const fnPay = "my-team/payments"

// TestCrash kills (SIGKILL) a helper process at each pause point of a write
// and checks that the store still loads, lists and verifies, and that the
// next write succeeds and cleans up.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, c := range []struct {
		stage string
		// wantStatus is 1.1.0's status as read right after the crash; "" =
		// absent, because the publish never committed.
		wantStatus registry.Status
	}{
		{"before-rename", ""},
		{"before-commit", ""},
		{"status-committed", registry.Approved},
	} {
		t.Run(c.stage, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "registry")
			seed(t, dir, c.stage == "status-committed")
			killAt(t, dir, c.stage)
			checkCrashLeftover(t, dir, c.stage)
			s := open(t, dir, nil)
			defer s.Close()
			checkAfterCrash(t, s, c.wantStatus)
			recoverAfterCrash(t, s, dir, c.wantStatus)
		})
	}
}

// seed publishes and approves 1.0.0, and publishes 1.1.0 for a crash in
// its approval.
func seed(t *testing.T, dir string, withPending bool) {
	t.Helper()
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.0.0", "alice", "1.0.0")))
	ok(t)(s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", To: registry.Approved}))
	if withPending {
		ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0")))
	}
}

// ok fails the test on a store error: ok(t)(s.Publish(…)).
func ok(t *testing.T) func(registry.Version, error) {
	return func(_ registry.Version, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// killAt starts a helper that stops at stage, waits until it is there and
// kills it.
func killAt(t *testing.T, dir, stage string) {
	t.Helper()
	marker := filepath.Join(t.TempDir(), "reached")
	cmd := helper(t, dir, "crash", stage, markerEnv+"="+marker)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("the helper never reached %s", stage)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // "signal: killed", as intended
}

// checkCrashLeftover proves the kill landed where intended: each stage
// leaves its own kind of debris for the store to cope with.
func checkCrashLeftover(t *testing.T, dir, stage string) {
	t.Helper()
	_, statErr := os.Stat(filepath.Join(dir, fnPay, "1.1.0", "version.json"))
	switch stage {
	case "before-rename":
		if len(leftovers(t, dir)) == 0 || statErr == nil {
			t.Fatal("no .tmp- directory, or a version directory, after a crash before the rename")
		}
	case "before-commit":
		if statErr != nil {
			t.Fatalf("no orphan version directory after a crash before the commit: %v", statErr)
		}
	case "status-committed":
		checkMetaStatus(t, dir, "1.1.0", registry.Pending)
	}
}

func checkAfterCrash(t *testing.T, s *filestore.Store, want registry.Status) {
	t.Helper()
	ctx := context.Background()
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("VerifyAudit after the crash: %v", err)
	}
	vs, err := s.List(ctx, fnPay)
	if err != nil {
		t.Fatalf("List after the crash: %v", err)
	}
	got := registry.Status("")
	for _, v := range vs {
		if v.Version == "1.1.0" {
			got = v.Status
		}
	}
	if got != want {
		t.Errorf("after the crash 1.1.0 is %q, want %q", got, want)
	}
	wantActive := "1.0.0"
	if want == registry.Approved {
		wantActive = "1.1.0" // the log says so, though active.json is behind
	}
	if a, err := s.Active(ctx, fnPay); err != nil || a.Version != wantActive {
		t.Errorf("Active after the crash = %q, %v; want %s", a.Version, err, wantActive)
	}
	if _, err := s.Get(ctx, fnPay, "1.0.0"); err != nil {
		t.Errorf("Get 1.0.0 after the crash: %v", err)
	}
}

// recoverAfterCrash makes the next write and checks it repaired the files.
func recoverAfterCrash(t *testing.T, s *filestore.Store, dir string, crashed registry.Status) {
	t.Helper()
	ctx := context.Background()
	if crashed == "" {
		// The publish never committed: publishing 1.1.0 again works.
		ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "retry")))
		ok(t)(s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved}))
	} else {
		// The approval committed: approving again is refused, cleanly.
		_, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "bob", To: registry.Approved})
		if !errors.Is(err, registry.ErrBadTransition) {
			t.Fatalf("approving the committed version again: %v", err)
		}
		ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.2.0", "alice", "1.2.0")))
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("temporary files survived the next write: %q", left)
	}
	checkPointerFile(t, dir, "1.1.0")
	checkMetaStatus(t, dir, "1.1.0", registry.Approved)
}

// leftovers lists .tmp-* entries anywhere in the store.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".tmp-") {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkPointerFile(t *testing.T, dir, want string) {
	t.Helper()
	var p struct{ Version string }
	readJSON(t, filepath.Join(dir, fnPay, "active.json"), &p)
	if p.Version != want {
		t.Errorf("active.json names %q, want %q", p.Version, want)
	}
}

func checkMetaStatus(t *testing.T, dir, version string, want registry.Status) {
	t.Helper()
	var m struct{ Status registry.Status }
	readJSON(t, filepath.Join(dir, fnPay, version, "version.json"), &m)
	if m.Status != want {
		t.Errorf("%s/version.json says %s, want %s", version, m.Status, want)
	}
}

func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestPartialAuditLine: a crash in the middle of an append leaves a line
// without its newline. Readers ignore it; the next append replaces it.
func TestPartialAuditLine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	log := filepath.Join(dir, fnPay, "audit.jsonl")
	f, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"seq":3,"time":"2026-`)
	_ = f.Close()

	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatalf("VerifyAudit with a partial last line: %v", err)
	}
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0")))
	events, err := s.Audit(ctx, registry.AuditFilter{})
	if err != nil || len(events) != 3 || events[2].Seq != 3 {
		t.Fatalf("after the next append: %d events, %v", len(events), err)
	}
	data, _ := os.ReadFile(log)
	if strings.Contains(string(data), `"time":"2026-{`) || !strings.HasSuffix(string(data), "}\n") {
		t.Errorf("the partial line was not replaced:\n%s", data)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestStaleDerivedFiles: version.json and active.json behind the log (as
// after a crash between commit and update) are read through the log and
// rolled forward by the next write to the function.
func TestStaleDerivedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	meta := filepath.Join(dir, fnPay, "1.0.0", "version.json")
	data, _ := os.ReadFile(meta)
	stale := strings.Replace(string(data), `"status": "approved"`, `"status": "pending"`, 1)
	stale = regexp.MustCompile(`,\s*"reviewer": "bob",\s*"decidedAt": "[^"]*"`).ReplaceAllString(stale, "")
	if err := os.WriteFile(meta, []byte(stale), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, fnPay, "active.json")); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	if v, err := s.Get(ctx, fnPay, "1.0.0"); err != nil || v.Status != registry.Approved || v.Reviewer != "bob" {
		t.Fatalf("Get reads the status from the log: %s %q, %v", v.Status, v.Reviewer, err)
	}
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0")))
	checkMetaStatus(t, dir, "1.0.0", registry.Approved)
	checkPointerFile(t, dir, "1.0.0")
}

// TestOrphanIgnored: a version directory the log does not know (a publish
// that crashed before its commit) is invisible.
func TestOrphanIgnored(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	crashBeforeCommit(t, s, "9.9.9")
	if _, err := os.Stat(filepath.Join(dir, fnPay, "9.9.9", "version.json")); err != nil {
		t.Fatalf("the crashed publish left no orphan: %v", err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit with a crash leftover: %v", err)
	}
	vs, err := s.List(ctx, fnPay)
	if err != nil || len(vs) != 1 {
		t.Fatalf("List = %d versions, %v; want only 1.0.0", len(vs), err)
	}
	if _, err := s.Get(ctx, fnPay, "9.9.9"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("Get of the orphan: %v", err)
	}
	names := func() []string {
		entries, _ := os.ReadDir(filepath.Join(dir, fnPay))
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "9.9.9", "alice", "real")))
	if got := names(); !slices.Contains(got, "9.9.9") || len(leftovers(t, dir)) > 0 {
		t.Errorf("after publishing over the orphan: %q", got)
	}
	v, err := s.Get(ctx, fnPay, "9.9.9")
	if err != nil || !strings.Contains(string(v.Files["api.yaml"]), "real") {
		t.Errorf("Get 9.9.9 after publishing over the orphan: %v", err)
	}
}

// crashBeforeCommit stops a publish of version between placing its content
// and appending its event, as a crash there would.
func crashBeforeCommit(t *testing.T, s *filestore.Store, version string) {
	t.Helper()
	type stop struct{}
	filestore.SetTestHook(func(stage string) {
		if stage == "before-commit" {
			panic(stop{})
		}
	})
	defer filestore.SetTestHook(nil)
	defer func() {
		if r := recover(); r != (stop{}) {
			t.Fatalf("the publish did not stop before its commit: %v", r)
		}
	}()
	_, _ = s.Publish(context.Background(), registrytest.Request(fnPay, version, "alice", "crashed"))
}

// TestLeftoverClearedByNextWrite: the next write to the function removes a
// crash leftover, so that once the log moves past it, it is never taken
// for a version whose publish was cut from the log.
func TestLeftoverClearedByNextWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	crashBeforeCommit(t, s, "9.9.9")
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0")))
	if _, err := os.Stat(filepath.Join(dir, fnPay, "9.9.9")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover 9.9.9 is still there: %v", err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit after the next write: %v", err)
	}
	if vs, err := s.List(ctx, fnPay); err != nil || len(vs) != 2 {
		t.Errorf("List = %d versions, %v; want 1.0.0 and 1.1.0", len(vs), err)
	}
}
