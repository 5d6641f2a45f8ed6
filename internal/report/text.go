package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// Text renders the report for people: changes grouped by operation, the
// most severe group first, each with its file:line. Every string that
// comes from a contract goes through SafeText: the report is printed on
// terminals and in CI job logs.
type Text struct {
	Color bool
}

const maxAffectsShown = 5

var (
	// levelLabel is the level itself, upper-cased: a label such as "ADDED"
	// would misname a non-breaking removal (an optional response header gone).
	levelLabel = map[finding.Level]string{finding.Breaking: "BREAKING", finding.Warning: "WARNING", finding.NonBreaking: "NON-BREAKING", finding.Info: "INFO"}
	levelColor = map[finding.Level]string{finding.Breaking: "\x1b[31m", finding.Warning: "\x1b[33m", finding.NonBreaking: "\x1b[32m", finding.Info: "\x1b[2m"}
)

const (
	ansiBold  = "\x1b[1m"
	ansiReset = "\x1b[0m"
)

// Render writes the human report.
func (t Text) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s → %s\n", sideText(r.Base), sideText(r.Revision))
	if len(r.Changes) == 0 {
		if r.Summary.Suppressed == 0 {
			fmt.Fprintln(bw, "No changes.")
			return bw.Flush()
		}
		fmt.Fprintln(bw, "No changes reported.")
		writeSuppressed(bw, r)
		return bw.Flush()
	}
	for _, g := range groupChanges(r.Changes) {
		fmt.Fprintf(bw, "\n%s\n", t.paint(ansiBold, SafeText(g.name)))
		for _, c := range g.changes {
			t.change(bw, c)
		}
	}
	s := r.Summary
	fmt.Fprintf(bw, "\n%d breaking, %d warning, %d non-breaking, %d info — verdict: %s (exit %d)\n",
		s.Breaking, s.Warning, s.NonBreaking, s.Info, s.Verdict, s.ExitCode)
	writeSuppressed(bw, r)
	return bw.Flush()
}

// writeSuppressed lists what the ignores dropped, after the verdict.
func writeSuppressed(w io.Writer, r *Report) {
	if r.Summary.Suppressed == 0 {
		return
	}
	fmt.Fprintf(w, "%s:\n", suppressedHead(r.Summary))
	for _, l := range suppressedLines(r) {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

func sideText(s Side) string {
	if s.Version != "" {
		return SafeText(s.Source) + " (" + SafeText(s.Version) + ")"
	}
	return SafeText(s.Source)
}

func (t Text) paint(code, s string) string {
	if !t.Color {
		return s
	}
	return code + s + ansiReset
}

func (t Text) change(w io.Writer, c finding.Change) {
	label := fmt.Sprintf("%-12s", levelLabel[c.Level])
	fmt.Fprintf(w, "  %s  %s  %s\n", t.paint(levelColor[c.Level], label), SafeText(c.ID), SafeText(c.Message))
	loc := fmt.Sprintf("    %s:%d:%d", SafeText(c.Revision.File), c.Revision.Line, c.Revision.Column)
	if c.Base != nil {
		loc += fmt.Sprintf(" (was %s:%d:%d)", SafeText(c.Base.File), c.Base.Line, c.Base.Column)
	}
	fmt.Fprintln(w, loc)
	if len(c.Affects) > 1 {
		fmt.Fprintf(w, "    affects %d operations: %s\n", len(c.Affects), affectsText(c.Affects))
	}
}

func affectsText(ops []string) string {
	shown := make([]string, 0, maxAffectsShown)
	for _, op := range ops[:min(len(ops), maxAffectsShown)] {
		shown = append(shown, SafeText(op))
	}
	if len(ops) <= maxAffectsShown {
		return strings.Join(shown, ", ")
	}
	return strings.Join(shown, ", ") + fmt.Sprintf(" and %d more", len(ops)-maxAffectsShown)
}

type group struct {
	name    string
	top     finding.Level
	changes []finding.Change
}

// groupChanges groups by operation; the document-level changes form their
// own group. Groups are ordered by their most severe change, then name.
func groupChanges(cs []finding.Change) []*group {
	byName := map[string]*group{}
	var out []*group
	for _, c := range cs {
		name := c.Operation
		if name == "" {
			name = "document"
		}
		g := byName[name]
		if g == nil {
			g = &group{name: name}
			byName[name] = g
			out = append(out, g)
		}
		if c.Level.Rank() > g.top.Rank() {
			g.top = c.Level
		}
		g.changes = append(g.changes, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].top != out[j].top {
			return out[i].top.Rank() > out[j].top.Rank()
		}
		return out[i].name < out[j].name
	})
	return out
}
