package cli

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

// exitInterrupted is the shell's code for death by SIGINT (128 + 2).
const exitInterrupted = 130

// interruptGrace is how long a command gets, after the first interrupt, to
// stop at its next cancellation point and return. Whatever it was writing
// goes through an atomic rename, so cutting it off after the grace period
// leaves no half-written file either.
const interruptGrace = 3 * time.Second

// graceOverride, in nanoseconds, lengthens interruptGrace for a command
// that serves and has its own, longer, graceful shutdown (drift proxy).
var graceOverride atomic.Int64

// extendInterruptGrace gives the running command d after an interrupt.
func extendInterruptGrace(d time.Duration) { graceOverride.Store(int64(d)) }

// signalContext is cancelled by the first SIGINT or SIGTERM. It then stops
// catching signals, so a second Ctrl-C kills the process at once, as users
// expect of a command that seems stuck.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// runInterruptible runs fn and returns its exit code, or exitInterrupted
// when ctx is cancelled and fn has not returned within the grace period
// (a read that cannot be cancelled, such as a terminal on stdin).
func runInterruptible(ctx context.Context, grace time.Duration, fn func() int) int {
	done := make(chan int, 1)
	go func() { done <- fn() }()
	select {
	case code := <-done:
		return code
	case <-ctx.Done():
	}
	if g := time.Duration(graceOverride.Load()); g > grace {
		grace = g
	}
	select {
	case code := <-done:
		return code
	case <-time.After(grace):
		return exitInterrupted
	}
}
