package cli

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestExtendedGraceLetsAServerDrain: after an interrupt, a command that
// extended the grace (drift proxy, draining its queue) is waited for
// instead of being cut off with 130 at the default grace. The result does
// not depend on timing: the command always finishes; the pause only makes
// a regression (returning 130 at once) show reliably.
func TestExtendedGraceLetsAServerDrain(t *testing.T) {
	t.Cleanup(func() { graceOverride.Store(0) })
	extendInterruptGrace(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	release := make(chan struct{})
	go func() {
		time.Sleep(50 * time.Millisecond)
		close(release)
	}()
	code := runInterruptible(ctx, time.Nanosecond, func() int {
		<-release
		return 0
	})
	assert.Equal(t, 0, code)
}
