package cli

// TEMPORARY: a minimal `relay drift` group so that the incident commands
// can be run and tested before `relay drift` (internal/cli/drift.go,
// newCmdDrift) is merged. Delete this file at merge, add the three
// commands below to newCmdDrift, and replace newCmdDriftTmp in
// newRootCmd with newCmdDrift.

import (
	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

func newCmdDriftTmp(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "drift <command>",
		Short: "Runtime drift: validate real traffic against the active contract",
		RunE:  groupRunE,
	}
	cmd.AddCommand(newCmdDriftIncidents(ios, nil), newCmdDriftAck(ios, nil), newCmdDriftResolve(ios, nil))
	return cmd
}
