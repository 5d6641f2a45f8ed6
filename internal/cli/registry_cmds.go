package cli

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/source"
)

// RegistryOptions is what every registry command shares: which registry,
// and the process edges tests replace. Each command's Options embeds it.
type RegistryOptions struct {
	IO *iostreams.IOStreams
	// Registry is --registry; "" means $RELAY_REGISTRY_URL, else the file
	// store at the repository root.
	Registry string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// Now is the clock for timestamps; nil means the wall clock.
	Now func() time.Time
	// AllowedSigners is --allowed-signers; "" means $RELAY_ALLOWED_SIGNERS,
	// else .relay.yaml's approvals: section.
	AllowedSigners string
	// ConfigPath is the .relay.yaml the approval policy is read from; ""
	// means the nearest one.
	ConfigPath string
	// policy is the approval policy open found; nil for PostgreSQL.
	policy *approvalPolicy
	// openStore, when set by a test, replaces opening the registry.
	openStore func(ctx context.Context) (registry.Store, error)
}

// bindRegistry adds the --registry flag every registry command takes.
func (o *RegistryOptions) bindRegistry(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Registry, "registry", "", "registry `URL`: a directory, file://PATH or postgres://… (default $"+RegistryEnv+", else .relay/registry at the repository root)")
	cmd.Flags().StringVar(&o.AllowedSigners, "allowed-signers", "", "the allowed-signers `FILE` that approvals are verified against; requires signed approvals (default $"+AllowedSignersEnv+", else .relay.yaml's approvals:)")
}

// onPostgres reports whether the registry is a PostgreSQL database, which
// records the database user as author and reviewer instead of a name.
func (o *RegistryOptions) onPostgres() bool {
	return isPostgresLocation(registryLocation(o.Registry, o.Getenv))
}

// open opens the registry, which must exist when it was named explicitly.
func (o *RegistryOptions) open(ctx context.Context) (registry.Store, error) {
	return o.openFor(ctx, false)
}

// openFor opens the registry; create lets publish start a new one.
func (o *RegistryOptions) openFor(ctx context.Context, create bool) (registry.Store, error) {
	if o.openStore != nil {
		return o.openStore(ctx)
	}
	loc := registryLocation(o.Registry, o.Getenv)
	if err := checkFileStore(loc, registryFrom(o.Registry, o.Getenv), create); err != nil {
		return nil, err
	}
	s, pol, err := openGated(ctx, loc, o.Now,
		trustOptions{AllowedSigners: o.AllowedSigners, ConfigPath: o.ConfigPath, Getenv: o.Getenv, Warn: o.IO.ErrOut})
	o.policy = pol
	return s, err
}

// withStore opens the registry, runs fn and closes it.
func (o *RegistryOptions) withStore(ctx context.Context, fn func(ctx context.Context, s registry.Store) error) error {
	s, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }() // every write was committed or reported by fn
	return fn(ctx, s)
}

// registryCommands are the registry subcommands of `relay contract`.
func registryCommands(ios *iostreams.IOStreams) []*cobra.Command {
	return []*cobra.Command{
		newCmdPublish(ios, nil), newCmdVersions(ios, nil), newCmdShow(ios, nil),
		newCmdApprove(ios, nil), newCmdReject(ios, nil),
		newCmdDeprecate(ios, nil), newCmdWithdraw(ios, nil), newCmdAudit(ios, nil),
	}
}

// splitRef reads FUNCTION[@VERSION]; needVersion makes the version required.
func splitRef(ref string, needVersion bool) (function, version string, err error) {
	if needVersion {
		if function, version, err = registry.ParseRef(ref); err != nil {
			return "", "", usageErrorf("%v", err)
		}
		if version == "" {
			return "", "", usageErrorf("%s names no version: write %s@VERSION (relay contract versions %s lists them)",
				source.Truncate(ref, 200), source.Truncate(ref, 200), source.Truncate(ref, 200))
		}
		return function, version, nil
	}
	function, version, _ = strings.Cut(ref, "@")
	if err := registry.ValidateFunction(function); err != nil {
		return "", "", usageErrorf("%v", err)
	}
	return function, version, nil
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
