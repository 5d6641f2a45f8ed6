package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// version and commit are set at link time by `make build` and `make release`:
// -ldflags "-X github.com/relay-dev/relay/internal/cli.version=v1.2.3
// -X github.com/relay-dev/relay/internal/cli.commit=0123abc…".
// Empty means: ask the build info.
var version, commit string

// buildInfo is what relay knows about the binary it runs as.
type buildInfo struct {
	Version string // v1.2.3, a VCS revision, or "dev"
	Commit  string // the VCS revision (12 hex digits), "" when unknown
	Dirty   bool   // built from a work tree with uncommitted changes
}

// Version is relay's version: the link-time value, else the module version
// (`go install …@v1.2.3`), else the VCS revision the binary was built from,
// else "dev".
func Version() string { return buildVersion().Version }

// buildVersion combines the link-time values with debug.ReadBuildInfo.
func buildVersion() buildInfo {
	var b buildInfo
	if info, ok := debug.ReadBuildInfo(); ok {
		b = fromBuildInfo(info)
	} else {
		b.Version = "dev"
	}
	if version != "" {
		b.Version = version
	}
	if commit != "" {
		b.Commit, b.Dirty = shortRev(commit), false
	}
	return b
}

// versionFromBuildInfo is the version part of fromBuildInfo.
func versionFromBuildInfo(info *debug.BuildInfo) string { return fromBuildInfo(info).Version }

func fromBuildInfo(info *debug.BuildInfo) buildInfo {
	var b buildInfo
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = shortRev(s.Value)
		case "vcs.modified":
			b.Dirty = s.Value == "true"
		}
	}
	switch v := info.Main.Version; {
	case v != "" && v != "(devel)":
		b.Version = v
	case b.Commit != "":
		b.Version = b.Commit
		if b.Dirty {
			b.Version += "-dirty"
		}
	default:
		b.Version = "dev"
	}
	return b
}

// shortRev keeps the 12 hex digits people paste, as `git log --abbrev=12`.
func shortRev(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// versionLine is the one line `relay version` and `relay --version` print:
// "relay VERSION", then the commit when the version does not already say it.
func versionLine(b buildInfo) string {
	line := "relay " + b.Version
	if b.Commit == "" {
		return line
	}
	// `git describe` already names the commit: 4b0b37a-dirty, v1.2.3-4-g4b0b37a.
	abbrev := b.Commit[:min(7, len(b.Commit))]
	if strings.HasPrefix(b.Version, abbrev) || strings.Contains(b.Version, "-g"+abbrev) {
		return line
	}
	line += " (commit " + b.Commit
	if b.Dirty {
		line += ", modified"
	}
	return line + ")"
}

// VersionOptions holds `relay version`'s inputs.
type VersionOptions struct {
	IO    *iostreams.IOStreams
	Build buildInfo
}

func newCmdVersion(ios *iostreams.IOStreams, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: ios}
	return &cobra.Command{
		Use:   "version",
		Short: "Print relay's version",
		Args:  noArgs,
		RunE: runE(func(*cobra.Command, []string) error {
			opts.Build = buildVersion()
			if runF != nil {
				return runF(opts)
			}
			return runVersion(opts)
		}),
	}
}

func runVersion(opts *VersionOptions) error {
	_, err := fmt.Fprintln(opts.IO.Out, versionLine(opts.Build))
	return err
}

// noArgs is cobra.NoArgs as a usage error with relay's wording.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}
