package cli

import (
	"encoding/json"
	"fmt"
	"io"
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
the reason for its level.`,
		Example: "  relay contract rules\n  relay contract rules response-property-removed\n  relay contract rules --format json",
		Args:    cobra.MaximumNArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.ID = args[0]
			}
			if opts.Format != "text" && opts.Format != "json" {
				return usageErrorf("--format must be text or json, not %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return runRules(opts)
		}),
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
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
	if opts.Format == "json" {
		return writeRulesJSON(opts.IO.Out, selected, opts.ID != "")
	}
	if opts.ID != "" {
		_, err := fmt.Fprintf(opts.IO.Out, "%s\n\n%s", selected[0].ID, rules.Describe(selected[0]))
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
