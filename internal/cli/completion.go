package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// completionShells are the shells cobra generates scripts for.
var completionShells = []string{"bash", "zsh", "fish", "powershell"}

const completionLong = `Print a shell completion script for relay on stdout.

  bash:        source <(relay completion bash)
               (needs the bash-completion package; to load it in every
               session: relay completion bash > /etc/bash_completion.d/relay)
  zsh:         relay completion zsh > "${fpath[1]}/_relay"   (then start a new shell)
  fish:        relay completion fish > ~/.config/fish/completions/relay.fish
  powershell:  relay completion powershell | Out-String | Invoke-Expression`

// newCmdCompletion is `relay completion SHELL`. Cobra's own completion
// command prints help and exits 0 for a shell it does not know, which a
// setup script would not notice; here that is a usage error.
func newCmdCompletion(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:       "completion bash|zsh|fish|powershell",
		Short:     "Print a shell completion script",
		Long:      completionLong,
		ValidArgs: completionShells,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("completion takes one shell: bash, zsh, fish or powershell")
			}
			return nil
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return writeCompletion(cmd.Root(), ios.Out, args[0])
		}),
	}
}

func writeCompletion(root *cobra.Command, w io.Writer, shell string) error {
	switch shell {
	case "bash":
		return root.GenBashCompletionV2(w, true)
	case "zsh":
		return root.GenZshCompletion(w)
	case "fish":
		return root.GenFishCompletion(w, true)
	case "powershell":
		return root.GenPowerShellCompletionWithDesc(w)
	}
	return usageErrorf("unknown shell %q for completion: want bash, zsh, fish or powershell", shell)
}
