package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
)

// printInvalid lists an invalid revision's problems, one file:line:col
// line each, before the error itself closes the run.
func printInvalid(w io.Writer, err error) {
	var inv *check.InvalidError
	if !errors.As(err, &inv) {
		return
	}
	for _, p := range inv.Problems {
		fmt.Fprintln(w, "relay: "+report.ProblemLine(p))
	}
}

// printProblems warns about what validation found on a side that was
// compared anyway: the base (published already) or, with --validate warn,
// the revision.
func printProblems(w io.Writer, c *check.Result) {
	if c.Base == nil { // an added contract has no base
		printLoadWarnings(w, c.Revision.Doc)
	} else {
		printLoadWarnings(w, c.Base.Doc, c.Revision.Doc)
	}
	v := c.Report.Validation
	if v == nil {
		return
	}
	const outcome = "compared anyway (validation in the JSON report)"
	if c.Base != nil {
		warnProblems(w, "the base "+c.Report.Base.Source, c.Base.Doc.Kind, v.Base, outcome)
	}
	warnProblems(w, "the revision "+c.Report.Revision.Source, c.Revision.Doc.Kind, v.Revision, outcome)
}

// warnProblems says that what is not a valid contract of its kind, what
// was done with it all the same, and lists the problems.
func warnProblems(w io.Writer, what string, kind load.Kind, probs []finding.Problem, outcome string) {
	if len(probs) == 0 {
		return
	}
	fmt.Fprintf(w, "relay: warning: %s is not a valid %s contract; %s:\n", what, kind, outcome)
	for _, p := range probs {
		fmt.Fprintln(w, "relay:   "+report.ProblemLine(p))
	}
}

// printLoadWarnings lists what the loader worked around (a $ref with an
// unescaped '/' in a key), one "relay: warning: file:line:col: …" line
// each; a file both sides share (a self-diff) is warned about once.
func printLoadWarnings(w io.Writer, docs ...*load.Document) {
	seen := map[string]bool{}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for _, e := range d.Warnings {
			if line := e.Error(); !seen[line] {
				seen[line] = true
				fmt.Fprintln(w, "relay: warning: "+line)
			}
		}
	}
}
