package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/source"
	"github.com/relay-dev/relay/internal/validate"
)

func TestExitCodeMapping(t *testing.T) {
	srcErr := source.Errorf(source.Pos{File: "api.yaml", Line: 3, Col: 1}, "duplicate key %q", "paths")
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, 0},
		{"non-breaking verdict", &verdictError{code: report.ExitNonBreaking}, 10},
		{"breaking verdict", &verdictError{code: report.ExitBreaking}, 20},
		{"usage", usageErrorf("bad"), 2},
		{"wrapped usage", fmt.Errorf("x: %w", usageErrorf("bad")), 2},
		{"input", &inputError{err: srcErr}, 1},
		{"cobra's own parse errors", errors.New(`unknown command "x" for "relay"`), 2},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestRunETypesErrors: whatever a command's run function returns comes out
// typed, so an untyped error from it can never pass for a usage error.
func TestRunETypesErrors(t *testing.T) {
	srcErr := source.Errorf(source.Pos{File: "api.yaml", Line: 3, Col: 1}, "bad")
	for _, tt := range []struct {
		in   error
		want int
	}{
		{nil, 0},
		{errors.New("cannot read x"), 1},
		{srcErr, 1},
		{usageErrorf("bad"), 2},
		{&verdictError{code: 20}, 20},
		{fmt.Errorf("validating api.yaml: %w", &validate.InternalError{Msg: "panic: boom"}), 70},
	} {
		err := runE(func(*cobra.Command, []string) error { return tt.in })(nil, nil)
		if got := exitCode(err); got != tt.want {
			t.Errorf("runE(%v): exit %d, want %d", tt.in, got, tt.want)
		}
	}
}

// runRoot runs a root command whose `contract diff` calls runF, and
// returns the exit code, stdout and stderr.
func runRoot(t *testing.T, runF func(*DiffOptions) error, args ...string) (int, string, string) {
	t.Helper()
	ios, _, out, errOut := testIO()
	build := func() *cobra.Command {
		return rootWith(ios, newCmdContract(ios, runF), newCmdVersion(ios, nil), newHelpTopicExitCodes())
	}
	code := execute(context.Background(), build, args, ios)
	return code, out.String(), errOut.String()
}

func TestExecutePrintsErrors(t *testing.T) {
	inputErr := func(*DiffOptions) error {
		return source.Errorf(source.Pos{File: "api.yaml", Line: 3, Col: 5}, "duplicate key %q", "paths")
	}
	code, out, errOut := runRoot(t, inputErr, "contract", "diff", "a.yaml", "b.yaml")
	if code != 1 || out != "" || errOut != "relay: api.yaml:3:5: duplicate key \"paths\"\n" {
		t.Errorf("input error: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	code, out, errOut = runRoot(t, nil, "contract", "diff", "--nope")
	want := "relay: unknown flag: --nope\nrun 'relay contract diff --help' for usage\n"
	if code != 2 || out != "" || errOut != want {
		t.Errorf("usage error: exit %d, stdout %q, stderr %q, want %q", code, out, errOut, want)
	}

	verdict := func(*DiffOptions) error { return &verdictError{code: 20} }
	code, _, errOut = runRoot(t, verdict, "contract", "diff", "a.yaml", "b.yaml")
	if code != 20 || errOut != "" {
		t.Errorf("verdict: exit %d, stderr %q; a verdict prints nothing of its own", code, errOut)
	}

	multiLine := func(*DiffOptions) error { return fmt.Errorf("git show failed:%sfatal: bad%s", "\n", "\n\n") }
	if _, _, errOut = runRoot(t, multiLine, "contract", "diff", "a", "b"); errOut != "relay: git show failed:; fatal: bad\n" {
		t.Errorf("multi-line error printed as %q, want one line", errOut)
	}
}

// TestPanicIsInternalError injects a panicking step: exit 70, one line
// asking for a report, and no stack trace unless RELAY_DEBUG=1.
func TestPanicIsInternalError(t *testing.T) {
	boom := func(*DiffOptions) error { panic("boom: index out of range") }

	t.Setenv("RELAY_DEBUG", "")
	code, out, errOut := runRoot(t, boom, "contract", "diff", "a.yaml", "b.yaml")
	if code != 70 {
		t.Errorf("exit %d, want 70", code)
	}
	wantLine := "relay: internal error: boom: index out of range; please report this at " + issuesURL + "\n"
	if !strings.HasPrefix(errOut, wantLine) || out != "" {
		t.Errorf("stderr %q, stdout %q; want stderr to start with %q", errOut, out, wantLine)
	}
	if strings.Contains(errOut, "goroutine") {
		t.Errorf("stack trace printed without RELAY_DEBUG=1:\n%s", errOut)
	}

	ios, _, _, errOut2 := testIO()
	if code := execute(context.Background(), func() *cobra.Command { panic("bad tree") }, nil, ios); code != 70 || !strings.Contains(errOut2.String(), "internal error: bad tree") {
		t.Errorf("panic while building the tree: exit %d, stderr %q", code, errOut2)
	}

	t.Setenv("RELAY_DEBUG", "1")
	code, _, errOut = runRoot(t, boom, "contract", "diff", "a.yaml", "b.yaml")
	if code != 70 || !strings.Contains(errOut, "goroutine") || !strings.Contains(errOut, "runtime/debug.Stack") {
		t.Errorf("RELAY_DEBUG=1: exit %d, stderr lacks the stack trace:\n%s", code, errOut)
	}
}

// TestExitCodesHelpCoversEveryCode keeps `relay help exit-codes` in step
// with the codes the program can actually return.
func TestExitCodesHelpCoversEveryCode(t *testing.T) {
	for _, code := range []int{report.ExitOK, report.ExitNonBreaking, report.ExitBreaking, exitInput, exitUsage, exitInternal, exitInterrupted} {
		if !strings.Contains(exitCodesHelp, fmt.Sprintf("\n%4d  ", code)) {
			t.Errorf("exit code %d is missing from relay help exit-codes", code)
		}
	}
}

// TestCaughtInternalErrorIsExit70: a bug a component caught (the
// validator recovering from a kin-openapi panic) is exit 70 with one line
// asking for a report, like a panic, never exit 1 as if the input were bad.
func TestCaughtInternalErrorIsExit70(t *testing.T) {
	fail := func(*DiffOptions) error {
		return fmt.Errorf("validating api.yaml: %w", &validate.InternalError{Msg: "panic: boom"})
	}
	code, _, errOut := runRoot(t, fail, "contract", "diff", "a.yaml", "b.yaml")
	if code != 70 {
		t.Errorf("exit %d, want 70", code)
	}
	want := "relay: validating api.yaml: internal error while validating: panic: boom; please report this at " + issuesURL +
		" (--validate off skips validation meanwhile)\n"
	if errOut != want {
		t.Errorf("stderr %q\nwant   %q", errOut, want)
	}
}

// TestDriftInternalErrorIsExit70: exchanges the drift validator failed on
// are a bug (exit 70), without the diff's --validate hint.
func TestDriftInternalErrorIsExit70(t *testing.T) {
	ios, _, _, errOut := testIO()
	build := func() *cobra.Command {
		return &cobra.Command{Use: "relay", SilenceErrors: true, SilenceUsage: true,
			RunE: runE(func(*cobra.Command, []string) error { return &driftInternalError{n: 2} })}
	}
	if code := execute(context.Background(), build, nil, ios); code != 70 {
		t.Errorf("exit %d, want 70", code)
	}
	want := "relay: internal error: the drift validator failed on 2 exchanges, which the report leaves out; please report this at " +
		issuesURL + "\n"
	if errOut.String() != want {
		t.Errorf("stderr %q\nwant   %q", errOut.String(), want)
	}
}
