// Package iostreams decides once where data and messages go: stdout carries
// data only, stderr everything else, and whether colour is used is settled
// here (TTY, NO_COLOR, CLICOLOR_FORCE, TERM=dumb) rather than in every caller.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// IOStreams are the process's streams plus what was decided about them.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdoutTTY, stderrTTY bool
	color                bool
}

// System returns the process's real streams.
func System() *IOStreams {
	s := &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
	s.stdoutTTY = isTerminal(os.Stdout)
	s.stderrTTY = isTerminal(os.Stderr)
	s.color = colorWanted(s.stdoutTTY, os.Getenv)
	return s
}

// Test returns streams backed by buffers: not a TTY, no colour.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal (progress goes there).
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// ColorEnabled reports whether human output on stdout may use colour.
func (s *IOStreams) ColorEnabled() bool { return s.color }

// SetStdoutTTY overrides the TTY decision (tests).
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY overrides the TTY decision for stderr (tests of progress output).
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// SetColorEnabled overrides the colour decision (tests).
func (s *IOStreams) SetColorEnabled(v bool) { s.color = v }

// SetColorMode applies --color: "always" and "never" override the
// environment and the terminal check (an explicit flag beats NO_COLOR, as
// with git and ls), "auto" keeps what System decided. Any other value is
// an error naming the three.
func (s *IOStreams) SetColorMode(mode string) error {
	switch mode {
	case "always":
		s.color = true
	case "never":
		s.color = false
	case "auto", "":
	default:
		return fmt.Errorf("--color must be auto, always or never, not %q", mode)
	}
	return nil
}

// colorWanted applies the conventions: CLICOLOR_FORCE forces colour on,
// NO_COLOR (any non-empty value) and TERM=dumb force it off, otherwise
// colour follows whether stdout is a terminal.
func colorWanted(tty bool, getenv func(string) string) bool {
	switch {
	case getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0":
		return true
	case getenv("NO_COLOR") != "", getenv("TERM") == "dumb":
		return false
	}
	return tty
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
