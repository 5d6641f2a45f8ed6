package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
)

// RegistryOptions holds what every registry command shares.
type RegistryOptions struct {
	IO       *iostreams.IOStreams
	Registry string
	Getenv   func(string) string
	// Now is the clock for timestamps; nil means the wall clock.
	Now func() time.Time
	// Format is text or json for the listing commands.
	Format string
	// NotifyBackoff is the webhook's first retry wait; 0 means the default.
	NotifyBackoff time.Duration
}

func (o *RegistryOptions) open(ctx context.Context) (registry.Store, error) {
	return openRegistry(ctx, registryLocation(o.Registry, o.Getenv), o.Now)
}

// withStore opens the registry, runs fn and closes it.
func (o *RegistryOptions) withStore(fn func(ctx context.Context, s registry.Store) error) error {
	ctx := context.Background()
	s, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }() // every write was committed or reported by fn
	return fn(ctx, s)
}

// registryCommands are the registry subcommands of `relay contract`.
func registryCommands(ios *iostreams.IOStreams) []*cobra.Command {
	ro := &RegistryOptions{IO: ios}
	cmds := []*cobra.Command{
		newCmdPublish(ro), newCmdVersions(ro), newCmdShow(ro),
		newCmdDecide(ro, "approve"), newCmdDecide(ro, "reject"),
		newCmdRetire(ro, "deprecate"), newCmdRetire(ro, "withdraw"), newCmdAudit(ro),
	}
	for _, c := range cmds {
		c.Flags().StringVar(&ro.Registry, "registry", "", "registry `URL`: a directory, file://PATH or postgres://… (default $"+RegistryEnv+", else .relay/registry at the repository root)")
	}
	return cmds
}

func newCmdVersions(ro *RegistryOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "versions FUNCTION",
		Short: "List a function's contract versions with status, reviewer and diff summary",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			if err := checkListFormat(ro.Format); err != nil {
				return err
			}
			return ro.withStore(func(ctx context.Context, s registry.Store) error {
				vs, err := s.List(ctx, args[0])
				if err != nil {
					return err
				}
				if ro.Format == "json" {
					return writeJSON(ro.IO.Out, versionsJSON(vs))
				}
				if len(vs) == 0 {
					fmt.Fprintf(ro.IO.ErrOut, "%s has no versions in the registry\n", args[0])
					return nil
				}
				printVersionsTable(ro.IO.Out, vs)
				return nil
			})
		}),
	}
	cmd.Flags().StringVar(&ro.Format, "format", "text", "text or json")
	return cmd
}

func newCmdShow(ro *RegistryOptions) *cobra.Command {
	var content bool
	cmd := &cobra.Command{
		Use:   "show FUNCTION[@VERSION]",
		Short: "Print a version's metadata, or with --content its main contract file",
		Long:  "Without @VERSION, show the function's active (approved) version.",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			if err := checkListFormat(ro.Format); err != nil {
				return err
			}
			return ro.withStore(func(ctx context.Context, s registry.Store) error {
				v, err := getOrActive(ctx, s, args[0])
				if err != nil {
					return err
				}
				switch {
				case content:
					_, err = ro.IO.Out.Write(v.Files[v.Main])
					return err
				case ro.Format == "json":
					return writeJSON(ro.IO.Out, toVersionJSON(v))
				}
				printVersion(ro.IO.Out, v)
				return nil
			})
		}),
	}
	cmd.Flags().BoolVar(&content, "content", false, "print the main contract file's exact bytes")
	cmd.Flags().StringVar(&ro.Format, "format", "text", "text or json")
	return cmd
}

func getOrActive(ctx context.Context, s registry.Store, ref string) (registry.Version, error) {
	function, version, err := splitRef(ref, false)
	if err != nil {
		return registry.Version{}, err
	}
	if version == "" {
		return s.Active(ctx, function)
	}
	return s.Get(ctx, function, version)
}

// splitRef reads FUNCTION[@VERSION]; needVersion makes the version required.
func splitRef(ref string, needVersion bool) (function, version string, err error) {
	if needVersion {
		if function, version, err = registry.ParseRef(ref); err != nil {
			return "", "", usageErrorf("%v", err)
		}
		return function, version, nil
	}
	function, version, _ = strings.Cut(ref, "@")
	if err := registry.ValidateFunction(function); err != nil {
		return "", "", usageErrorf("%v", err)
	}
	return function, version, nil
}

func newCmdDecide(ro *RegistryOptions, verb string) *cobra.Command {
	var reviewer, reason string
	var allowSelf bool
	cmd := &cobra.Command{
		Use:   verb + " FUNCTION@VERSION --reviewer NAME",
		Short: map[string]string{"approve": "Approve a pending version: it becomes the active published version", "reject": "Reject a pending version (a reason is required)"}[verb],
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			function, version, err := splitRef(args[0], true)
			if err != nil {
				return err
			}
			switch {
			case reviewer == "":
				return usageErrorf("%s needs --reviewer NAME", verb)
			case verb == "reject" && reason == "":
				return usageErrorf("reject needs --reason: say what must change")
			}
			return ro.withStore(func(ctx context.Context, s registry.Store) error {
				to := map[string]registry.Status{"approve": registry.Approved, "reject": registry.Rejected}[verb]
				v, err := s.Apply(ctx, registry.Change{Function: function, Version: version, Actor: reviewer, Reason: reason,
					To: to, AllowSelf: allowSelf})
				if err != nil {
					return err
				}
				fmt.Fprintf(ro.IO.ErrOut, "%s is %s by %s\n", v.Ref(), v.Status, reviewer)
				ro.announce(ctx, s, v, verb)
				return nil
			})
		}),
	}
	cmd.Flags().StringVar(&reviewer, "reviewer", "", "who decides (required)")
	cmd.Flags().StringVar(&reason, "reason", "", "why (required to reject)")
	if verb == "approve" {
		cmd.Flags().BoolVar(&allowSelf, "allow-self-approval", false, "let the version's author approve it")
	}
	return cmd
}

func newCmdRetire(ro *RegistryOptions, verb string) *cobra.Command {
	var actor, reason string
	cmd := &cobra.Command{
		Use: verb + " FUNCTION@VERSION",
		Short: map[string]string{"deprecate": "Mark an approved version deprecated (it stays resolvable)",
			"withdraw": "Withdraw a version: it is never active again, and never deleted"}[verb],
		Args: cobra.ExactArgs(1),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			function, version, err := splitRef(args[0], true)
			if err != nil {
				return err
			}
			if actor == "" {
				actor = gitUser(ro.Getenv)
			}
			return ro.withStore(func(ctx context.Context, s registry.Store) error {
				to := map[string]registry.Status{"deprecate": registry.Deprecated, "withdraw": registry.Withdrawn}[verb]
				v, err := s.Apply(ctx, registry.Change{Function: function, Version: version, Actor: actor, Reason: reason, To: to})
				if err != nil {
					return err
				}
				fmt.Fprintf(ro.IO.ErrOut, "%s is %s\n", v.Ref(), v.Status)
				return nil
			})
		}),
	}
	cmd.Flags().StringVar(&actor, "actor", "", "who does it (default git's user.name, then $USER)")
	cmd.Flags().StringVar(&reason, "reason", "", "why")
	return cmd
}

func newCmdAudit(ro *RegistryOptions) *cobra.Command {
	var verify bool
	var f registry.AuditFilter
	var action, since string
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Print the registry's audit trail, or check its hash chain with --verify",
		Args:  cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			if err := checkListFormat(ro.Format); err != nil {
				return err
			}
			f.Action = registry.Action(action)
			if since != "" {
				t, err := time.Parse("2006-01-02", since)
				if err != nil {
					return usageErrorf("--since must be a date like 2026-12-01, not %q", since)
				}
				f.Since = t
			}
			return ro.withStore(func(ctx context.Context, s registry.Store) error {
				if verify {
					if err := s.VerifyAudit(ctx); err != nil {
						return err
					}
					fmt.Fprintln(ro.IO.ErrOut, "audit trail verified: the hash chain is intact")
					return nil
				}
				events, err := s.Audit(ctx, f)
				if err != nil {
					return err
				}
				return printAudit(ro.IO.Out, events, ro.Format)
			})
		}),
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "recompute the hash chain; exit 1 naming the first broken event")
	cmd.Flags().StringVar(&f.Function, "function", "", "only this function's events")
	cmd.Flags().StringVar(&f.Actor, "actor", "", "only this actor's events")
	cmd.Flags().StringVar(&action, "action", "", "only this action (publish, approve, reject, deprecate, withdraw, notify-failed)")
	cmd.Flags().StringVar(&since, "since", "", "only events on or after this date (YYYY-MM-DD)")
	cmd.Flags().StringVar(&ro.Format, "format", "text", "text or json")
	return cmd
}

func printAudit(w io.Writer, events []registry.Event, format string) error {
	if format == "json" {
		if events == nil {
			events = []registry.Event{}
		}
		return writeJSON(w, events)
	}
	for _, e := range events {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format(time.RFC3339), e.Action, e.Ref(), e.Actor, e.Detail)
	}
	return nil
}

func checkListFormat(f string) error {
	if f != "text" && f != "json" {
		return usageErrorf("--format must be text or json, not %q", f)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
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

func printVersion(w io.Writer, v registry.Version) {
	fmt.Fprintf(w, "%s\nstatus:   %s\nkind:     %s\nmain:     %s\nsha256:   %s\nauthor:   %s\ncreated:  %s\n",
		v.Ref(), v.Status, v.Kind, v.Main, v.SHA256, v.Author, v.CreatedAt.UTC().Format(time.RFC3339))
	if v.Reviewer != "" {
		fmt.Fprintf(w, "reviewer: %s (%s)\n", v.Reviewer, v.DecidedAt.UTC().Format(time.RFC3339))
	}
	if v.Reason != "" {
		fmt.Fprintf(w, "reason:   %s\n", v.Reason)
	}
	fmt.Fprintf(w, "diff:     %s\n", diffText(v.Diff))
}
