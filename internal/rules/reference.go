package rules

import (
	"fmt"
	"io"
	"strings"
)

// WriteReference renders the catalog as the Markdown rules reference kept
// in contracts/rules.md; a test fails when that file is stale.
func WriteReference(w io.Writer) error {
	all := All()
	var b strings.Builder
	b.WriteString("# relay rules reference\n\n")
	b.WriteString("Generated from the rule catalog (`internal/rules`) by\n")
	b.WriteString("`go test ./internal/rules -run TestReference -update`; do not edit by hand.\n")
	b.WriteString("`relay contract rules --format markdown ID` prints the same text for one rule;\n")
	b.WriteString("without `--format` it is laid out for a terminal.\n\n")
	fmt.Fprintf(&b, "%d rules.\n\n| rule | side | level | summary |\n|---|---|---|---|\n", len(all))
	for _, r := range all {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", r.ID, r.ID, sideName(r.Side), r.Level, r.Summary)
	}
	for _, r := range all {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", r.ID, Describe(r))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Describe is a rule's full documentation as plain text: level, side,
// summary, doc with its example, and the reason for its level when the
// mirror rule on the other side differs.
func Describe(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Level: %s · side: %s\n\n%s.\n\n", r.Level, sideName(r.Side), r.Summary)
	b.WriteString("```\n" + strings.TrimRight(r.Doc, "\n") + "\n```\n")
	if r.Why != "" {
		fmt.Fprintf(&b, "\nWhy this level: %s.\n", r.Why)
	}
	return b.String()
}

func sideName(s Side) string {
	if s == NoSide {
		return "document"
	}
	return string(s)
}
