package filestore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// The helper process: the test binary re-executed with helperEnv set runs
// one registry job against the store in dirEnv instead of the tests.
const (
	helperEnv = "RELAY_REGISTRY_HELPER" // "publish" or "crash"
	dirEnv    = "RELAY_REGISTRY_DIR"
	argEnv    = "RELAY_REGISTRY_ARG"
	markerEnv = "RELAY_REGISTRY_MARKER"
)

// perProcess is how many versions each helper publishes and approves.
const perProcess = 6

// TestHelperProcess is not a test: it is the body of the helper processes
// started by the multi-process and crash tests, and returns at once when
// run normally.
func TestHelperProcess(t *testing.T) {
	job := os.Getenv(helperEnv)
	if job == "" {
		return
	}
	s, err := filestore.Open(os.Getenv(dirEnv), filestore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	switch job {
	case "publish":
		helperPublish(t, s, os.Getenv(argEnv))
	case "crash":
		helperCrash(t, s, os.Getenv(argEnv), os.Getenv(markerEnv))
	case "record":
		helperRecord(t, s)
	default:
		t.Fatalf("unknown helper job %q", job)
	}
}

// helperPublish publishes and approves 1.P.0 … 1.P.5 for worker P.
func helperPublish(t *testing.T, s *filestore.Store, worker string) {
	ctx := context.Background()
	for k := range perProcess {
		v := fmt.Sprintf("1.%s.%d", worker, k)
		if _, err := s.Publish(ctx, registrytest.Request(fnPay, v, "author-"+worker, v)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: v, Actor: "reviewer", To: registry.Approved}); err != nil {
			t.Fatal(err)
		}
	}
}

// helperRecord records the same drift perProcess times, one event each.
func helperRecord(t *testing.T, s *filestore.Store) {
	d := registrytest.Drift(fnPay, "GET /pets/{id}", registrytest.Start, 1)
	for range perProcess {
		if err := s.RecordIncidents(context.Background(), []event.Event{d}); err != nil {
			t.Fatal(err)
		}
	}
}

// helperCrash stops forever at the named stage, after telling the parent
// (by creating the marker file) that it got there; the parent kills it.
// The job is "publish 1.1.0" for publish stages and "approve 1.1.0"
// otherwise.
func helperCrash(t *testing.T, s *filestore.Store, stage, marker string) {
	filestore.SetTestHook(func(got string) {
		if got != stage {
			return
		}
		if err := os.WriteFile(marker, []byte(stage), 0o644); err != nil {
			panic(err)
		}
		time.Sleep(time.Hour)
	})
	ctx := context.Background()
	var err error
	if stage == "status-committed" {
		_, err = s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.1.0", Actor: "reviewer", Reason: "crash", To: registry.Approved})
	} else {
		_, err = s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "crashed"))
	}
	t.Fatalf("the job finished (%v) instead of stopping at %s", err, stage)
}

// helper starts the test binary as a helper process.
func helper(t *testing.T, dir, job, arg string, extraEnv ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+job, dirEnv+"="+dir, argEnv+"="+arg)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = &prefixWriter{t: t, prefix: job + " " + arg}, &prefixWriter{t: t, prefix: job + " " + arg}
	return cmd
}

// prefixWriter forwards a helper's output to the test log.
type prefixWriter struct {
	t      *testing.T
	prefix string
}

func (w *prefixWriter) Write(p []byte) (int, error) {
	w.t.Logf("[%s] %s", w.prefix, p)
	return len(p), nil
}

// TestMultiProcess runs four processes that publish and approve into one
// store at once; flock must serialise them.
func TestMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const procs = 4
	dir := filepath.Join(t.TempDir(), "registry")
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := helper(t, dir, "publish", strconv.Itoa(p))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %d: %v", i, err)
		}
	}
	s := open(t, dir, nil)
	defer s.Close()
	registrytest.CheckConsistent(t, s, fnPay, procs*perProcess, fmt.Sprintf("1.%d.%d", procs-1, perProcess-1))
	checkPointerFile(t, dir, fmt.Sprintf("1.%d.%d", procs-1, perProcess-1))
}

// TestMultiProcessIncidents runs four processes that record the same drift
// fingerprint at once: every count must land.
func TestMultiProcessIncidents(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	const procs = 4
	dir := filepath.Join(t.TempDir(), "registry")
	s := open(t, dir, nil)
	defer s.Close()
	if _, err := s.Publish(t.Context(), registrytest.Request(fnPay, "1.0.0", "alice", "one")); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := helper(t, dir, "record", strconv.Itoa(p))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %d: %v", i, err)
		}
	}
	got, err := s.ListIncidents(t.Context(), registry.IncidentFilter{})
	if err != nil || len(got) != 1 || got[0].Drift.Count != procs*perProcess {
		t.Fatalf("incidents after %d processes recorded %d each = %+v, %v; want one with count %d", procs, perProcess, got, err, procs*perProcess)
	}
}
