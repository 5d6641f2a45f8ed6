//go:build unix

package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/pgstore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// The helper process: the test binary re-executed with helperEnv set
// publishes and approves into the database at urlEnv instead of testing.
const (
	helperEnv = "RELAY_PGSTORE_HELPER" // the worker number
	urlEnv    = "RELAY_PGSTORE_URL"
)

// Multi-process shape: procs processes, each with goroutines goroutines,
// each publishing and approving perWriter versions.
const (
	procs      = 4
	goroutines = 3
	perWriter  = 4
)

// TestHelperProcess is not a test: it is the body of the helper processes
// that TestMultiProcess starts, and returns at once when run normally.
func TestHelperProcess(t *testing.T) {
	worker := os.Getenv(helperEnv)
	if worker == "" {
		return
	}
	s, err := pgstore.Open(context.Background(), os.Getenv(urlEnv), pgstore.Options{MaxConns: goroutines})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	errs := make(chan error, goroutines*perWriter*2)
	done := make(chan struct{})
	for g := range goroutines {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range perWriter {
				v := fmt.Sprintf("%s.%d.%d", worker, g, k)
				if _, err := s.Publish(context.Background(), registrytest.Request(fnPay, v, "author-"+worker, v)); err != nil {
					errs <- err
					return
				}
				if _, err := s.Apply(context.Background(), registry.Change{Function: fnPay, Version: v, Actor: "reviewer", To: registry.Approved}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for range goroutines {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestMultiProcess runs several processes, each with several goroutines,
// publishing and approving into one database at once: afterwards every
// version is there exactly once, approved, logged once as published and
// once as approved, and the chain verifies.
func TestMultiProcess(t *testing.T) {
	c := needCluster(t)
	url := c.newDatabase(t)
	if err := pgstore.Migrate(t.Context(), url); err != nil {
		t.Fatal(err)
	}
	var cmds []*exec.Cmd
	for p := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+strconv.Itoa(p+1), urlEnv+"="+url)
		out := &prefixWriter{t: t, prefix: fmt.Sprintf("helper %d", p+1)}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper %d: %v", i+1, err)
		}
	}
	s := open(t, url, pgstore.Options{})
	defer s.Close()
	registrytest.CheckConsistent(t, s, fnPay, procs*goroutines*perWriter,
		fmt.Sprintf("%d.%d.%d", procs, goroutines-1, perWriter-1))
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
