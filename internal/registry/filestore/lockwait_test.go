//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package filestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestLockWaitBounded: a holder that never lets go (a stopped process)
// makes a writer give up after its bounded wait, naming the lock it waited
// for, instead of hanging forever.
func TestLockWaitBounded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	lockName := filepath.Join(dir, fnPay, ".lock")
	f, err := os.OpenFile(lockName, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("pid 4242\n"); err != nil {
		t.Fatal(err)
	}
	s, err := filestore.Open(dir, filestore.Options{LockWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Publish(context.Background(), registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0"))
	if !errors.Is(err, filestore.ErrLockTimeout) {
		t.Fatalf("Publish behind a held lock: %v, want ErrLockTimeout", err)
	}
	for _, want := range []string{"gave up after 50ms waiting for the lock " + lockName + " on my-team/payments (held by process 4242)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not say %q", err, want)
		}
	}
	if _, err := s.Get(context.Background(), fnPay, "1.1.0"); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("the timed-out publish left something: %v", err)
	}
}
