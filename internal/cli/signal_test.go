package cli_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/cli"
	"github.com/relay-dev/relay/internal/iostreams"
)

// TestInterruptStopsCleanly: relay waiting on a terminal (stdin that never
// ends) gets SIGINT. It must exit 130 promptly, say so in one line, and
// leave no report behind. The test binary doubles as relay (testscript's
// TestMain runs cli.Main when invoked under the name "relay").
func TestInterruptStopsCleanly(t *testing.T) {
	dir := t.TempDir()
	rev := filepath.Join(dir, "rev.yaml")
	if err := os.WriteFile(rev, []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "relay")
	if err := os.Symlink(os.Args[0], link); err != nil {
		t.Skipf("cannot link the test binary as relay: %v", err)
	}
	out := filepath.Join(dir, "reports", "diff.json")
	// A signal that lands before relay has started up kills it the
	// default way, which says nothing about relay; on a loaded machine
	// start-up can take long, so a run killed that way is tried again
	// with a longer wait. A relay that mishandles the signal fails both.
	var code int
	var stderr string
	for _, wait := range []time.Duration{time.Second, 5 * time.Second} {
		var signalled bool
		code, stderr, signalled = interruptRelay(t, link, wait, "contract", "diff", "-", rev, "--format", "json", "--output", out)
		if !signalled {
			break
		}
	}
	if code != 130 {
		t.Errorf("exit %d, want 130; stderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "relay: interrupted") || strings.Contains(stderr, "goroutine") {
		t.Errorf("stderr should be one clean line, got:\n%s", stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a report was written after the interrupt: %v", err)
	}
}

// interruptRelay starts relay with a stdin that never ends, sends SIGINT
// after wait, and returns its exit code and stderr; signalled says the
// process died of the signal itself rather than exiting.
func interruptRelay(t *testing.T, relay string, wait time.Duration, args ...string) (code int, stderr string, signalled bool) {
	t.Helper()
	cmd := exec.Command(relay, args...)
	stdin, err := cmd.StdinPipe() // never written: a terminal nobody types into
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close() }()
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("relay did not stop within 30 s of SIGINT")
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return cmd.ProcessState.ExitCode(), errBuf.String(), ws.Signaled()
}

// TestRunUnderCancelledContext: a cancelled context is exit 130 with the
// one-line notice, in-process.
func TestRunUnderCancelledContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer func() { _ = pw.Close() }()
	var out, errOut bytes.Buffer
	ios := &iostreams.IOStreams{In: pr, Out: &out, ErrOut: &errOut}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	code := cli.Run(ctx, []string{"contract", "diff", "-", filepath.Join("..", "..", "testdata", "examples", "petstore", "revision.yaml")}, ios)
	if code != 130 {
		t.Errorf("exit %d, want 130; stderr: %s", code, errOut.String())
	}
	if got := errOut.String(); got != "relay: interrupted; no report was written for the unfinished work\n" {
		t.Errorf("stderr = %q", got)
	}
	if out.Len() != 0 {
		t.Errorf("stdout has output after an interrupt: %q", out.String())
	}
}
