package filestore

import (
	"context"
	"fmt"
	"os"
	"time"
)

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
// free or ctx is done.
func acquire(ctx context.Context, root *os.Root, name string) (*fileLock, error) {
	f, err := root.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", name, err)
	}
	for delay := lockPollFirst; ; delay = min(2*delay, lockPollCap) {
		ok, err := tryLock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("cannot lock %s: %w", name, err)
		}
		if ok {
			return &fileLock{f: f}, nil
		}
		if err := sleep(ctx, delay); err != nil {
			_ = f.Close()
			return nil, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
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
