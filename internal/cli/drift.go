package cli

import (
	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// driftSubcommands are the commands of the `relay drift` group. Each
// lives in its own file; add new ones (incidents, resolve, proxy…) here.
var driftSubcommands = []func(*iostreams.IOStreams) *cobra.Command{
	func(ios *iostreams.IOStreams) *cobra.Command { return newCmdDriftCheck(ios, nil) },
	func(ios *iostreams.IOStreams) *cobra.Command { return newCmdDriftIncidents(ios, nil) },
	func(ios *iostreams.IOStreams) *cobra.Command { return newCmdDriftAck(ios, nil) },
	func(ios *iostreams.IOStreams) *cobra.Command { return newCmdDriftResolve(ios, nil) },
	newCmdDriftProxy,
}

// newCmdDrift is the `relay drift` group: runtime drift between the
// active contract and real traffic.
func newCmdDrift(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "drift <command>",
		Short: "Check real traffic against the active contract",
		Long: "relay drift finds where an implementation disagrees with its own active\n" +
			"contract on real traffic. For drift commands, exit 20 means drift was found.",
	}
	for _, sub := range driftSubcommands {
		cmd.AddCommand(sub(ios))
	}
	return cmd
}
