package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/rules"
)

// RulesOptions holds `relay contract rules`'s inputs.
type RulesOptions struct {
	IO     *iostreams.IOStreams
	ID     string
	Format string
}

func newCmdRules(ios *iostreams.IOStreams, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the rule catalog, or print one rule's documentation",
		Long: `Without an argument, list every rule: ID, side (request, response or
document), level and summary. With a rule ID, print its documentation with a
before/after example and, where its request and response mirrors differ,
the reason for its level. Text is laid out for a terminal; --format markdown
prints the rules reference's Markdown (contracts/rules.md), --format json
the catalog's data.`,
		Example: "  relay contract rules\n  relay contract rules response-property-removed\n  relay contract rules --format markdown response-property-removed\n  relay contract rules --format json",
		Args:    cobra.MaximumNArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = args[0]
			}
			if opts.Format != "text" && opts.Format != "json" && opts.Format != "markdown" {
				return usageErrorf("--format must be text, json or markdown, not %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return runRules(opts)
		}),
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// ruleJSON is the machine form of a catalog entry.
type ruleJSON struct {
	ID      string        `json:"id"`
	Side    string        `json:"side"`
	Level   finding.Level `json:"level"`
	Summary string        `json:"summary"`
	Doc     string        `json:"doc"`
	Why     string        `json:"why,omitempty"`
}

func toJSON(r *rules.Rule) ruleJSON {
	side := string(r.Side)
	if side == "" {
		side = "document"
	}
	return ruleJSON{ID: r.ID, Side: side, Level: r.Level, Summary: r.Summary, Doc: r.Doc, Why: r.Why}
}

func runRules(opts *RulesOptions) error {
	selected := rules.All()
	if opts.ID != "" {
		r := rules.ByID(opts.ID)
		if r == nil {
			return retiredRule(opts)
		}
		selected = []*rules.Rule{r}
	}
	switch {
	case opts.Format == "json":
		return writeRulesJSON(opts.IO.Out, selected, opts.ID != "")
	case opts.Format == "markdown" && opts.ID != "":
		_, err := fmt.Fprintf(opts.IO.Out, "## %s\n\n%s", selected[0].ID, rules.Describe(selected[0]))
		return err
	case opts.Format == "markdown":
		return writeRulesTable(opts.IO.Out, selected)
	case opts.ID != "":
		_, err := io.WriteString(opts.IO.Out, describeText(selected[0]))
		return err
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSIDE\tLEVEL\tSUMMARY")
	for _, r := range selected {
		j := toJSON(r)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", j.ID, j.Side, j.Level, j.Summary)
	}
	return tw.Flush()
}

// writeRulesTable is the list as the rules reference's Markdown table.
func writeRulesTable(w io.Writer, selected []*rules.Rule) error {
	var b strings.Builder
	b.WriteString("| rule | side | level | summary |\n|---|---|---|---|\n")
	for _, r := range selected {
		j := toJSON(r)
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", j.ID, j.Side, j.Level, strings.ReplaceAll(j.Summary, "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// describeText lays a rule's doc out for a terminal, where Markdown fences
// would print as they are: prose paragraphs wrapped to the help width, the
// indented before/after lines under an "Example:" heading.
func describeText(r *rules.Rule) string {
	j := toJSON(r)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nLevel: %s · side: %s\n\n%s\n", j.ID, j.Level, j.Side, wrap(j.Summary+".", helpWidth))
	for _, para := range strings.Split(strings.Trim(r.Doc, "\n"), "\n\n") {
		lines := strings.Split(para, "\n")
		if strings.HasPrefix(lines[0], " ") {
			b.WriteString("\nExample:\n")
			for _, l := range lines {
				b.WriteString("  " + strings.TrimPrefix(l, "  ") + "\n")
			}
			continue
		}
		b.WriteString("\n" + wrap(strings.Join(lines, " "), helpWidth) + "\n")
	}
	if r.Why != "" {
		b.WriteString("\n" + wrap("Why this level: "+r.Why+".", helpWidth) + "\n")
	}
	return b.String()
}

func writeRulesJSON(w io.Writer, selected []*rules.Rule, one bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if one {
		return enc.Encode(toJSON(selected[0]))
	}
	out := make([]ruleJSON, 0, len(selected))
	for _, r := range selected {
		out = append(out, toJSON(r))
	}
	return enc.Encode(out)
}

// retiredRule answers a rule ID that left the catalog: when it was retired,
// why, and what reports its findings now (exit 0, it is a valid question);
// an ID that never existed is a usage error.
func retiredRule(opts *RulesOptions) error {
	old := rules.RetiredByID(opts.ID)
	if old == nil {
		return usageErrorf("unknown rule %q; run 'relay contract rules' for the list", opts.ID)
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"id": old.ID, "retired": old.Since, "reason": old.Reason, "replacements": old.Replacements})
	}
	fmt.Fprintf(opts.IO.Out, "%s was retired in relay %s: %s\n", old.ID, old.Since, old.Reason)
	for _, id := range old.Replacements {
		if r := rules.ByID(id); r != nil {
			fmt.Fprintf(opts.IO.Out, "  replaced by %s: %s\n", r.ID, r.Summary)
		}
	}
	return nil
}
