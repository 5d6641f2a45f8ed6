// Package cli is relay's command line: the cobra command tree, flag
// parsing, reading contracts from files, git and stdin, and writing reports.
// It is the only package that does process I/O; the engine packages (load,
// diff, rules, report) stay pure and are driven from here.
//
// Each command has an Options struct, a newCmdX that builds the cobra
// command and fills the Options from flags, and a runX that does the work.
// newCmdX takes an optional runF so tests can check flag parsing without
// running anything.
package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
)

// issuesURL is where users report internal errors (exit code 70).
const issuesURL = "https://github.com/relay-dev/relay/issues"

// Main runs relay with args (without the program name) and returns the
// process exit code. It never panics and never calls os.Exit. SIGINT and
// SIGTERM cancel the context every command runs under: the command stops
// cleanly and Main returns 130.
func Main(args []string, ios *iostreams.IOStreams) int {
	ctx, stop := signalContext()
	defer stop()
	return Run(ctx, args, ios)
}

// Run is Main under a context of the caller's.
func Run(ctx context.Context, args []string, ios *iostreams.IOStreams) int {
	code := runInterruptible(ctx, interruptGrace, func() int {
		return execute(ctx, func() *cobra.Command { return newRootCmd(ios) }, args, ios)
	})
	if code == exitInterrupted {
		_, _ = io.WriteString(ios.ErrOut, "relay: interrupted; no report was written for the unfinished work\n")
	}
	return code
}

// newRootCmd builds the whole command tree.
func newRootCmd(ios *iostreams.IOStreams) *cobra.Command {
	return rootWith(ios, newCmdContract(ios, nil), newCmdRegistry(ios), newCmdVersion(ios, nil),
		newCmdCompletion(ios), newHelpTopicExitCodes(), newCmdDriftProxyGroupTmp(ios))
}

// rootWith builds the root command around the given children; tests pass
// children whose run functions are stubbed.
func rootWith(ios *iostreams.IOStreams, children ...*cobra.Command) *cobra.Command {
	var color string
	root := &cobra.Command{
		Use:   "relay",
		Short: "Keep API and data contracts from drifting",
		Long: "relay compares a published contract version with the working-tree contract,\n" +
			"classifies every change as breaking, warning, non-breaking or info, and writes\n" +
			"reports for CI, pre-commit hooks and people. See 'relay help exit-codes'.",
		// No Run: a bare `relay` prints help, and cobra itself rejects
		// unknown commands (with suggestions) before anything runs.
		// Main prints errors itself: usage dumps would bury the one sentence
		// that matters, and runtime errors are not usage problems.
		SilenceUsage:  true,
		SilenceErrors: true,
		// `relay completion SHELL` is relay's own command (newCmdCompletion):
		// cobra's default one exits 0 for an unknown shell.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
		// --version prints what `relay version` prints.
		Version: versionLine(buildVersion()),
		PersistentPreRunE: func(*cobra.Command, []string) error {
			return applyColor(ios, color)
		},
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.PersistentFlags().StringVar(&color, "color", "auto", "colour in the text report: `WHEN` = auto (a terminal, unless NO_COLOR is set), always or never")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err: err} })
	root.SetHelpCommand(newCmdHelp())
	root.AddCommand(children...)
	return root
}

// newCmdContract is the `relay contract` group; diffRunF stubs out
// `relay contract diff`'s run function in tests.
func newCmdContract(ios *iostreams.IOStreams, diffRunF func(*DiffOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contract <command>",
		Short: "Compare contracts, and publish and review their versions",
		RunE:  groupRunE,
	}
	cmd.AddCommand(newCmdDiff(ios, diffRunF), newCmdRules(ios, nil), newCmdValidate(ios, nil))
	cmd.AddCommand(registryCommands(ios)...)
	return cmd
}

// groupRunE makes a command group reject what cobra would otherwise accept
// silently: below the root, cobra prints help and exits 0 for
// `relay contract frob`, which hides typos in CI scripts.
func groupRunE(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", s[0])
	}
	return usageErrorf("%s", msg)
}

// newCmdHelp replaces cobra's help command, which prints the root usage and
// exits 0 for an unknown topic; here that is a usage error.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command or topic",
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			target, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 || target == nil {
				return usageErrorf("unknown help topic %q", strings.Join(args, " "))
			}
			target.SetOut(cmd.OutOrStdout())
			return target.Help()
		},
	}
}

// applyColor applies --color to the streams; a bad value is a usage error.
func applyColor(ios *iostreams.IOStreams, mode string) error {
	if err := ios.SetColorMode(mode); err != nil {
		return &usageError{err: err}
	}
	return nil
}
