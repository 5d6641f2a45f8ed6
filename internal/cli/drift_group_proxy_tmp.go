package cli

import (
	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// newCmdDriftProxyGroupTmp is a stand-in `relay drift` group holding only
// `proxy`, hidden, so that the proxy can be run and tested before the
// real group (newCmdDrift) lands.
//
// TEMPORARY: delete this file at merge, add newCmdDriftProxy(ios) to
// newCmdDrift, and drop newCmdDriftProxyGroupTmp from newRootCmd.
func newCmdDriftProxyGroupTmp(ios *iostreams.IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:    "drift <command>",
		Short:  "Judge runtime traffic against the active contract",
		Hidden: true,
		RunE:   groupRunE,
	}
	cmd.AddCommand(newCmdDriftProxy(ios))
	return cmd
}
