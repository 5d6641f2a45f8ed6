package filestore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultLockWait bounds how long a writer waits for a lock that another
// process holds. Writes take milliseconds, so a lock held that long belongs
// to a process that is stopped or hung: failing, and saying which lock,
// beats hanging a CI job until its own timeout.
const DefaultLockWait = 30 * time.Second

// ErrLockTimeout is wrapped by the error of a write that gave up waiting
// for a lock.
var ErrLockTimeout = errors.New("lock wait timed out")

// fileLock is an exclusive lock on a lock file, held across processes.
// Lock files are never removed: removing one would let two processes lock
// two different files of the same name.
type fileLock struct{ f *os.File }

// Polling bounds: a flock(2) call that blocks cannot be cancelled, so
// acquire polls a non-blocking lock and can honour the context.
const (
	lockPollFirst = time.Millisecond
	lockPollCap   = 20 * time.Millisecond
)

// acquire locks name (created if missing) inside root, waiting until it is
// free, ctx is done or wait has passed; what names the protected thing in
// the timeout's message. The holder writes its process id into the file,
// so that a waiter that gives up can say who held it.
func acquire(ctx context.Context, root *os.Root, name, what string, wait time.Duration) (*fileLock, error) {
	f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", name, err)
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for delay := lockPollFirst; ; delay = min(2*delay, lockPollCap) {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", name, err)
		}
		if ok {
			noteHolder(f)
			return &fileLock{f: f}, nil
		}
		if err := sleep(ctx, deadline.C, delay); err != nil {
			_ = f.Close()
			if errors.Is(err, ErrLockTimeout) {
				return nil, fmt.Errorf("gave up after %s waiting for the lock %s on %s%s: another relay is writing to it, or is stopped while holding it; "+
					"if no relay process is running, the holder is gone and you can retry: %w", wait, filepath.Join(root.Name(), filepath.FromSlash(name)), what, holderText(root, name), ErrLockTimeout)
			}
			return nil, err
		}
	}
}

// noteHolder records the holder's process id in the lock file; it is only
// a hint for messages, so a failure to write it changes nothing.
func noteHolder(f *os.File) {
	if f.Truncate(0) == nil {
		_, _ = f.WriteAt(fmt.Appendf(nil, "pid %d\n", os.Getpid()), 0)
	}
}

// holderText reads the hint noteHolder left, as " (held by pid N)".
func holderText(root *os.Root, name string) string {
	data, err := root.ReadFile(name)
	pid, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "pid ")
	if err != nil || !ok || pid == "" || len(pid) > 12 {
		return ""
	}
	return " (held by process " + pid + ")"
}

// sleep waits d, or returns ctx's error or ErrLockTimeout when ctx is done
// or the deadline fires first.
func sleep(ctx context.Context, deadline <-chan time.Time, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-deadline:
		return ErrLockTimeout
	case <-t.C:
		return nil
	}
}

// release unlocks; closing the descriptor releases the flock as well, so
// the explicit unlock only makes the order obvious.
func (l *fileLock) release() {
	_ = unlock(l.f)
	_ = l.f.Close()
}
