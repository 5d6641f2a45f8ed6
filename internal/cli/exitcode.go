package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/source"
	"github.com/relay-dev/relay/internal/validate"
)

// Exit codes besides the verdicts 0/10/20, which come from package report.
const (
	exitInput    = 1  // could not compare: bad or unreadable input
	exitUsage    = 2  // bad flags or arguments
	exitInternal = 70 // a bug (sysexits' EX_SOFTWARE)
)

// usageError is a bad invocation: exit 2, with a hint at the command's help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// inputError is anything that went wrong while a command ran: an invalid
// contract, an unreadable file, a git failure. Exit 1.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

// verdictError carries a report's exit code (10 or 20) out of a command.
// It prints nothing: the report already said everything.
type verdictError struct{ code int }

func (e *verdictError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// runE adapts a command's run function so that every error it returns is
// typed. Main can then tell the command's own failures (exit 1) from the
// untyped errors cobra produces while parsing (unknown command, wrong
// number of arguments), which are all usage errors.
func runE(run func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := run(cmd, args)
		var ue *usageError
		var ve *verdictError
		if err == nil || errors.As(err, &ue) || errors.As(err, &ve) {
			return err
		}
		return &inputError{err: err}
	}
}

// exitCode maps an error returned by cobra to the process exit code.
func exitCode(err error) int {
	var ue *usageError
	var ie *inputError
	var ve *verdictError
	switch {
	case err == nil:
		return report.ExitOK
	case errors.As(err, &ve):
		return ve.code
	case isInternal(err):
		return exitInternal
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ie):
		return exitInput
	}
	return exitUsage // untyped: raised by cobra before any command ran
}

// execute builds the command tree, runs it with args, prints any error,
// and returns the exit code. A panic anywhere, building the tree included,
// is a bug: it becomes exit 70 with a request to report it, and a stack
// trace only when RELAY_DEBUG=1 (users paste the message; maintainers ask
// for the trace).
func execute(ctx context.Context, build func() *cobra.Command, args []string, ios *iostreams.IOStreams) (code int) {
	defer func() {
		if v := recover(); v != nil {
			code = reportPanic(ios.ErrOut, v, os.Getenv("RELAY_DEBUG") == "1")
		}
	}()
	root := build()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	code = exitCode(err)
	if ctx.Err() != nil && code == exitInput {
		// Interrupted: whatever failed, failed because the work was cut
		// short ("context canceled", a killed git), which is not the
		// user's input's fault.
		return exitInterrupted
	}
	if code == exitInternal {
		hint := ""
		if errors.As(err, new(*validate.InternalError)) {
			hint = " (--validate off skips validation meanwhile)"
		}
		_, _ = fmt.Fprintf(ios.ErrOut, "relay: %s; please report this at %s%s\n", oneLine(err.Error()), issuesURL, hint)
		return code
	}
	// A verdict was already reported; validate's "invalid" verdict is
	// exit 1, which must not print a second, empty message.
	var ve *verdictError
	if (code == exitUsage || code == exitInput) && !errors.As(err, &ve) {
		printError(ios.ErrOut, cmd, err, code == exitUsage)
	}
	return code
}

// printError writes the one-line message (and, for usage errors, where to
// find help) to stderr. A failed write to stderr has nowhere to be reported.
func printError(w io.Writer, cmd *cobra.Command, err error, usage bool) {
	msg := "relay: " + oneLine(err.Error()) + "\n"
	if usage {
		msg += fmt.Sprintf("run '%s --help' for usage\n", helpPath(cmd))
	}
	_, _ = io.WriteString(w, msg)
}

// helpPath names the command whose --help answers a usage error.
func helpPath(cmd *cobra.Command) string {
	if cmd == nil || cmd.Name() == "help" {
		return "relay"
	}
	return cmd.CommandPath()
}

func reportPanic(w io.Writer, v any, debugOn bool) int {
	msg := fmt.Sprintf("relay: internal error: %s; please report this at %s\n",
		source.Truncate(oneLine(fmt.Sprint(v)), 200), issuesURL)
	if debugOn {
		msg += string(debug.Stack())
	} else {
		msg += "relay: set RELAY_DEBUG=1 to print the stack trace\n"
	}
	_, _ = io.WriteString(w, msg)
	return exitInternal
}

// oneLine keeps messages on one line: errors that wrap multi-line tool
// output (git's stderr) would otherwise break `relay: …` grepping. What
// is left is escaped (report.SafeText): messages quote contracts and
// .relay.yaml, and stderr is a terminal or a CI job log.
func oneLine(s string) string {
	var parts []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	return report.SafeText(strings.Join(parts, "; "))
}

// isInternal says err is a bug of relay's that a component caught (the
// validator recovering from a panic in kin-openapi): exit 70, like a panic.
func isInternal(err error) bool {
	var vie *validate.InternalError
	var die *driftInternalError
	return errors.As(err, &vie) || errors.As(err, &die)
}

// driftInternalError says the drift validator failed on some exchanges
// (it recovered from a panic and left them out of the report): a bug.
type driftInternalError struct{ n int64 }

func (e *driftInternalError) Error() string {
	return fmt.Sprintf("internal error: the drift validator failed on %d exchanges, which the report leaves out", e.n)
}
