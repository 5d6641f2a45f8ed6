package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
)

// IncidentsOptions holds `relay drift incidents`' inputs.
type IncidentsOptions struct {
	RegistryOptions
	Function string
	Status   string
	// Format is text or json.
	Format string
}

// IncidentStatusOptions holds `relay drift ack` and `relay drift resolve`.
type IncidentStatusOptions struct {
	RegistryOptions
	Fingerprint string
	Actor       string
	Reason      string
}

// incidentsJSON is the --format json document of `relay drift incidents`.
type incidentsJSON struct {
	SchemaVersion string              `json:"schemaVersion"`
	Incidents     []registry.Incident `json:"incidents"`
}

func newCmdDriftIncidents(ios *iostreams.IOStreams, runF func(*IncidentsOptions) error) *cobra.Command {
	opts := &IncidentsOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "incidents",
		Short: "List runtime drift incidents recorded in the registry",
		Args:  cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if err := checkListFormat(opts.Format); err != nil {
				return err
			}
			f := registry.IncidentFilter{Function: opts.Function, Status: registry.IncidentStatus(opts.Status)}
			if err := f.Validate(); err != nil {
				return usageErrorf("--function or --status: %v", err)
			}
			if runF != nil {
				return runF(opts)
			}
			return runDriftIncidents(cmd.Context(), opts, f)
		}),
	}
	opts.bindRegistry(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Function, "function", "", "only the incidents of this registry `FUNCTION`")
	fl.StringVar(&opts.Status, "status", "", "only incidents in this `STATUS`: open, acknowledged or resolved")
	fl.StringVar(&opts.Format, "format", "text", "text or json")
	return cmd
}

func runDriftIncidents(ctx context.Context, opts *IncidentsOptions, f registry.IncidentFilter) error {
	return opts.withIncidents(ctx, func(ctx context.Context, s registry.IncidentStore) error {
		ins, err := s.ListIncidents(ctx, f)
		if err != nil {
			return err
		}
		if opts.Format == "json" {
			if ins == nil {
				ins = []registry.Incident{}
			}
			return writeJSON(opts.IO.Out, incidentsJSON{SchemaVersion: "relay.drift.incidents/v1", Incidents: ins})
		}
		if len(ins) == 0 {
			fmt.Fprintln(opts.IO.ErrOut, "no drift incidents"+filterText(f))
			return nil
		}
		for i, in := range ins {
			if i > 0 {
				fmt.Fprintln(opts.IO.Out)
			}
			printIncident(opts.IO.Out, in)
		}
		return nil
	})
}

func filterText(f registry.IncidentFilter) string {
	var parts []string
	if f.Status != "" {
		parts = append(parts, string(f.Status))
	}
	if f.Function != "" {
		parts = append(parts, "of "+safe(f.Function))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// printIncident writes one incident as a block: what, where, how often,
// the sample, the fix and its status. Every string came from traffic or a
// file and is escaped.
func printIncident(w io.Writer, in registry.Incident) {
	d := in.Drift
	subject := d.Function
	if d.Version != "" {
		subject += "@" + d.Version
	}
	fmt.Fprintf(w, "%s  %s  %s  %s  %s\n", safe(d.Fingerprint), safe(string(in.Status)), safe(subject), safe(d.Operation), safe(d.Rule))
	where := safe(d.Direction)
	if d.Status != 0 {
		where += fmt.Sprintf(" %d", d.Status)
	}
	if d.Tenant != "" {
		where += ", tenant " + safe(d.Tenant)
	}
	times := "times"
	if d.Count == 1 {
		times = "time"
	}
	fmt.Fprintf(w, "  seen %d %s from %s to %s (%s)\n", d.Count, times, stamp(d.FirstSeen), stamp(d.LastSeen), where)
	fmt.Fprintf(w, "  %s\n", safe(d.Message))
	if d.InstancePath != "" || d.Observed != "" {
		fmt.Fprintf(w, "  sample: %s %s\n", safe(orDash(d.InstancePath)), safe(d.Observed))
	}
	if d.SchemaPointer != "" || d.Location != nil {
		loc := ""
		if d.Location != nil {
			loc = fmt.Sprintf(" (%s:%d)", safe(d.Location.File), d.Location.Line)
		}
		fmt.Fprintf(w, "  contract: %s%s\n", safe(orDash(d.SchemaPointer)), loc)
	}
	if d.Fix != "" {
		fmt.Fprintf(w, "  fix: %s\n", safe(d.Fix))
	}
	if in.StatusBy != "" {
		reason := ""
		if in.StatusReason != "" {
			reason = ": " + safe(in.StatusReason)
		}
		fmt.Fprintf(w, "  %s by %s at %s%s\n", safe(string(in.Status)), safe(in.StatusBy), stamp(in.StatusAt), reason)
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func newCmdDriftAck(ios *iostreams.IOStreams, runF func(*IncidentStatusOptions) error) *cobra.Command {
	return newCmdIncidentStatus(ios, registry.IncidentAcknowledged, runF)
}

func newCmdDriftResolve(ios *iostreams.IOStreams, runF func(*IncidentStatusOptions) error) *cobra.Command {
	return newCmdIncidentStatus(ios, registry.IncidentResolved, runF)
}

// newCmdIncidentStatus builds ack or resolve, which differ only in the
// status they set and in resolve requiring a reason.
func newCmdIncidentStatus(ios *iostreams.IOStreams, to registry.IncidentStatus, runF func(*IncidentStatusOptions) error) *cobra.Command {
	opts := &IncidentStatusOptions{}
	opts.IO = ios
	name, short, reasonHelp := "ack", "Acknowledge a drift incident: someone is on it", "why, or what is being done"
	if to == registry.IncidentResolved {
		name, short, reasonHelp = "resolve", "Resolve a drift incident (it reopens if the drift is seen again)", "what fixed it (required)"
	}
	cmd := &cobra.Command{
		Use:   name + " FINGERPRINT",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts.Fingerprint = args[0]
			if err := registry.ValidateFingerprint(opts.Fingerprint); err != nil {
				return usageErrorf("%v (relay drift incidents lists them)", err)
			}
			if to == registry.IncidentResolved && strings.TrimSpace(opts.Reason) == "" {
				return usageErrorf("resolve needs --reason: say what fixed the drift, for whoever sees it next")
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidentStatus(cmd.Context(), opts, to)
		}),
	}
	opts.bindRegistry(cmd)
	cmd.Flags().StringVar(&opts.Actor, "actor", "", "who does it (default git's user.name, then $USER)")
	cmd.Flags().StringVar(&opts.Reason, "reason", "", reasonHelp)
	return cmd
}

func runIncidentStatus(ctx context.Context, opts *IncidentStatusOptions, to registry.IncidentStatus) error {
	actor := opts.Actor
	if actor == "" && !opts.onPostgres() {
		actor = gitUser(opts.Getenv)
	}
	return opts.withIncidents(ctx, func(ctx context.Context, s registry.IncidentStore) error {
		in, err := s.SetIncidentStatus(ctx, registry.IncidentChange{Fingerprint: opts.Fingerprint, To: to, Actor: actor, Reason: opts.Reason})
		if err != nil && !errors.Is(err, registry.ErrAfterCommit) {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "incident %s (%s %s) is %s\n", safe(in.Drift.Fingerprint), safe(in.Drift.Function), safe(in.Drift.Operation), safe(string(in.Status)))
		return err
	})
}

// withIncidents opens the registry as an incident store.
func (o *RegistryOptions) withIncidents(ctx context.Context, fn func(ctx context.Context, s registry.IncidentStore) error) error {
	return o.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		if g, ok := s.(*gatedStore); ok {
			s = g.Store // approvals gate versions, not incidents
		}
		is, ok := s.(registry.IncidentStore)
		if !ok {
			return fmt.Errorf("the registry backend %T keeps no drift incidents", s)
		}
		return fn(ctx, is)
	})
}
