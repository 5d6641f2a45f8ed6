package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/source"
)

// VersionsOptions holds `relay contract versions`' inputs.
type VersionsOptions struct {
	RegistryOptions
	Function string
	// Format is text or json.
	Format string
}

func newCmdVersions(ios *iostreams.IOStreams, runF func(*VersionsOptions) error) *cobra.Command {
	opts := &VersionsOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "versions FUNCTION",
		Short: "List a function's contract versions with status, reviewer and diff summary",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := checkListFormat(opts.Format); err != nil {
				return err
			}
			opts.Function = args[0]
			if runF != nil {
				return runF(opts)
			}
			return runVersions(cmd.Context(), opts)
		}),
	}
	opts.bindRegistry(cmd)
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text or json")
	return cmd
}

func runVersions(ctx context.Context, opts *VersionsOptions) error {
	return opts.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		vs, err := s.List(ctx, opts.Function)
		if err != nil {
			return err
		}
		out := versionsJSON(vs)
		for i := range vs {
			if out[i].Signature, err = approvalCheck(ctx, s, vs[i]); err != nil {
				return err
			}
			if strings.HasPrefix(out[i].Signature, "not honoured") {
				vs[i].Reviewer += " (not honoured)" // a copy: List returns fresh values
			}
		}
		if opts.Format == "json" {
			return writeJSON(opts.IO.Out, out)
		}
		if len(vs) == 0 {
			fmt.Fprintf(opts.IO.ErrOut, "%s has no versions in the registry\n", safe(opts.Function))
			return nil
		}
		printVersionsTable(opts.IO.Out, vs)
		return nil
	})
}

// ShowOptions holds `relay contract show`'s inputs.
type ShowOptions struct {
	RegistryOptions
	// Version is "" for the function's active version.
	Function, Version string
	// Content prints the main file's bytes instead of the metadata.
	Content bool
	Format  string
}

func newCmdShow(ios *iostreams.IOStreams, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "show FUNCTION[@VERSION]",
		Short: "Print a version's metadata, or with --content its main contract file",
		Long:  "Without @VERSION, show the function's active (approved) version.",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := checkListFormat(opts.Format); err != nil {
				return err
			}
			var err error
			if opts.Function, opts.Version, err = splitRef(args[0], false); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runShow(cmd.Context(), opts)
		}),
	}
	opts.bindRegistry(cmd)
	cmd.Flags().BoolVar(&opts.Content, "content", false, "print the main contract file's exact bytes")
	cmd.Flags().StringVar(&opts.Format, "format", "text", "text or json")
	return cmd
}

func runShow(ctx context.Context, opts *ShowOptions) error {
	return opts.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		v, err := getOrActive(ctx, s, opts.Function, opts.Version)
		if err != nil {
			return err
		}
		check, err := approvalCheck(ctx, s, v)
		if err != nil {
			return err
		}
		switch {
		case opts.Content:
			_, err = opts.IO.Out.Write(v.Files[v.Main])
			return err
		case opts.Format == "json":
			out := toVersionJSON(v)
			out.Signature = check
			return writeJSON(opts.IO.Out, out)
		}
		printVersion(opts.IO.Out, v)
		if check != "" {
			fmt.Fprintf(opts.IO.Out, "signature: %s\n", check)
		}
		return nil
	})
}

// getOrActive reads the given version, or the active one when version is "".
func getOrActive(ctx context.Context, s registry.Store, function, version string) (registry.Version, error) {
	if version == "" {
		return s.Active(ctx, function)
	}
	return s.Get(ctx, function, version)
}

// AuditOptions holds `relay contract audit`'s inputs.
type AuditOptions struct {
	RegistryOptions
	Filter registry.AuditFilter
	// Verify checks the hash chain instead of printing events.
	Verify bool
	Format string
}

func newCmdAudit(ios *iostreams.IOStreams, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{}
	opts.IO = ios
	var action, since string
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the registry's audit trail, or check its hash chain with --verify",
		Args:  cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if err := checkListFormat(opts.Format); err != nil {
				return err
			}
			var err error
			if opts.Filter.Action, err = parseAction(action); err != nil {
				return err
			}
			if opts.Filter.Since, err = parseSince(since); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runAudit(cmd.Context(), opts)
		}),
	}
	opts.bindRegistry(cmd)
	fl := cmd.Flags()
	fl.BoolVar(&opts.Verify, "verify", false, "recompute the hash chain; exit 1 naming the first broken event")
	fl.StringVar(&opts.Filter.Function, "function", "", "only this function's events")
	fl.StringVar(&opts.Filter.Actor, "actor", "", "only this actor's events")
	fl.StringVar(&action, "action", "", "only this action (publish, approve, reject, deprecate, withdraw, sign, notify-failed, merge)")
	fl.StringVar(&since, "since", "", "only events on or after this date (YYYY-MM-DD)")
	fl.StringVar(&opts.Format, "format", "text", "text or json")
	return cmd
}

// parseAction reads --action; "" filters nothing. An unknown action is a
// usage error: silently matching no event would read as "nothing happened".
func parseAction(action string) (registry.Action, error) {
	if action == "" || slices.Contains(registry.Actions, registry.Action(action)) {
		return registry.Action(action), nil
	}
	names := make([]string, len(registry.Actions))
	for i, a := range registry.Actions {
		names[i] = string(a)
	}
	return "", usageErrorf("--action must be one of %s, not %q", strings.Join(names, ", "), source.Truncate(action, 200))
}

// parseSince reads --since; "" is the zero time, which filters nothing.
func parseSince(since string) (time.Time, error) {
	if since == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", since)
	if err != nil {
		return time.Time{}, usageErrorf("--since must be a date like 2026-12-01, not %q", since)
	}
	return t, nil
}

func runAudit(ctx context.Context, opts *AuditOptions) error {
	return opts.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		if opts.Verify {
			return verifyAudit(ctx, opts, s)
		}
		events, err := s.Audit(ctx, opts.Filter)
		if err != nil {
			return err
		}
		return printAudit(opts.IO.Out, events, opts.Format)
	})
}

// verifyAudit runs the store's verification. A store that reports several
// problems gets one line each, then a count, so none hides behind another.
func verifyAudit(ctx context.Context, opts *AuditOptions, s registry.Store) error {
	err := s.VerifyAudit(ctx)
	var many interface{ Unwrap() []error }
	if errors.As(err, &many) && len(many.Unwrap()) > 1 {
		for _, e := range many.Unwrap() {
			fmt.Fprintf(opts.IO.ErrOut, "relay: %s\n", oneLine(e.Error()))
		}
		return fmt.Errorf("the registry failed verification: %d problems, listed above", len(many.Unwrap()))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.ErrOut, "audit trail verified: the hash chains, the stored files and their statuses are intact")
	return nil
}

// printAudit writes the events, or in text one tab-separated line each:
// every field goes through safe, so a reason holding a newline and tabs
// cannot forge a second event.
func printAudit(w io.Writer, events []registry.Event, format string) error {
	if format == "json" {
		if events == nil {
			events = []registry.Event{}
		}
		return writeJSON(w, events)
	}
	for _, e := range events {
		what := e.Ref()
		if e.Version == "" { // a merge concerns the function, not a version
			what = e.Function
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format(time.RFC3339),
			safe(string(e.Action)), safe(what), safe(e.Actor), safe(e.Detail))
	}
	return nil
}

// versionJSON is the machine form of a version: metadata and the file
// list with hashes, never the bytes.
type versionJSON struct {
	Function  string                `json:"function"`
	Version   string                `json:"version"`
	Kind      string                `json:"kind"`
	Status    registry.Status       `json:"status"`
	Main      string                `json:"main"`
	SHA256    string                `json:"sha256"`
	Files     map[string]string     `json:"files,omitempty"`
	Author    string                `json:"author"`
	Reviewer  string                `json:"reviewer,omitempty"`
	Reason    string                `json:"reason,omitempty"`
	CreatedAt time.Time             `json:"createdAt"`
	DecidedAt *time.Time            `json:"decidedAt,omitempty"`
	Diff      *registry.DiffSummary `json:"diff,omitempty"`
	// Signature says whether a live version's approval verifies, when the
	// registry requires signed approvals.
	Signature string `json:"signature,omitempty"`
}

func toVersionJSON(v registry.Version) versionJSON {
	out := versionJSON{Function: v.Function, Version: v.Version, Kind: v.Kind, Status: v.Status, Main: v.Main,
		SHA256: v.SHA256, Author: v.Author, Reviewer: v.Reviewer, Reason: v.Reason, CreatedAt: v.CreatedAt, Diff: v.Diff}
	if !v.DecidedAt.IsZero() {
		out.DecidedAt = &v.DecidedAt
	}
	if len(v.Files) > 0 {
		out.Files = map[string]string{}
		for p, b := range v.Files {
			out.Files[p] = registry.FileSHA256(b)
		}
	}
	return out
}

func versionsJSON(vs []registry.Version) []versionJSON {
	out := make([]versionJSON, 0, len(vs))
	for _, v := range vs {
		out = append(out, toVersionJSON(v))
	}
	return out
}

// printVersion writes a version's metadata, each field escaped by safe.
func printVersion(w io.Writer, v registry.Version) {
	fmt.Fprintf(w, "%s\nstatus:   %s\nkind:     %s\nmain:     %s\nsha256:   %s\nauthor:   %s\ncreated:  %s\n",
		safe(v.Ref()), safe(string(v.Status)), safe(v.Kind), safe(v.Main), safe(v.SHA256), safe(v.Author), v.CreatedAt.UTC().Format(time.RFC3339))
	if v.Reviewer != "" {
		fmt.Fprintf(w, "reviewer: %s (%s)\n", safe(v.Reviewer), v.DecidedAt.UTC().Format(time.RFC3339))
	}
	if v.Reason != "" {
		fmt.Fprintf(w, "reason:   %s\n", safe(v.Reason))
	}
	fmt.Fprintf(w, "diff:     %s\n", diffText(v.Diff))
}
