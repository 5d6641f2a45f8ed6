package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// version is set at link time by `make build`:
// -ldflags "-X github.com/relay-dev/relay/internal/cli.version=v1.2.3".
// Empty means: ask the build info.
var version string

// Version is relay's version: the link-time value, else the module version
// (`go install …@v1.2.3`), else the VCS revision the binary was built from,
// else "dev".
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	return versionFromBuildInfo(info)
}

func versionFromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}

// VersionOptions holds `relay version`'s inputs.
type VersionOptions struct {
	IO      *iostreams.IOStreams
	Version string
}

func newCmdVersion(ios *iostreams.IOStreams, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: ios}
	return &cobra.Command{
		Use:   "version",
		Short: "Print relay's version",
		Args:  noArgs,
		RunE: runE(func(*cobra.Command, []string) error {
			opts.Version = Version()
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		}),
	}
}

func runVersion(opts *VersionOptions) error {
	_, err := fmt.Fprintf(opts.IO.Out, "relay %s\n", opts.Version)
	return err
}

// noArgs is cobra.NoArgs as a usage error with relay's wording.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
