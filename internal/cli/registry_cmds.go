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
}

// bindRegistry adds the --registry flag every registry command takes.
func (o *RegistryOptions) bindRegistry(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Registry, "registry", "", "registry `URL`: a directory, file://PATH or postgres://… (default $"+RegistryEnv+", else .relay/registry at the repository root)")
}

// open opens the registry, which must exist when it was named explicitly.
func (o *RegistryOptions) open(ctx context.Context) (registry.Store, error) {
	return o.openStore(ctx, false)
}

// openStore opens the registry; create lets publish start a new one.
func (o *RegistryOptions) openStore(ctx context.Context, create bool) (registry.Store, error) {
	loc := registryLocation(o.Registry, o.Getenv)
	if err := checkFileStore(loc, registryFrom(o.Registry, o.Getenv), create); err != nil {
		return nil, err
	}
	return openRegistry(ctx, loc, o.Now)
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
