package cli

import "github.com/spf13/cobra"

// exitCodesHelp is DESIGN.md's exit-code table. CI scripts branch on these
// numbers, so `relay help exit-codes` must stay in step with report.ExitCode
// and exitcode.go (a test checks every code appears).
const exitCodesHelp = `relay contract diff exits with one of these codes:

   0  no change, or nothing above info (documentation, deprecation marks,
      changes to alpha operations)
  10  non-breaking changes or warnings only (warnings count as 20 with
      --fail-on warning)
  20  at least one breaking change (blocks CI)
   1  could not compare: unreadable or invalid contract, unresolvable $ref,
      bad or expired config; the message names file:line and the problem
   2  usage error (bad flags or arguments)
  70  internal error: a bug in relay; please report it
 130  interrupted (SIGINT or SIGTERM): stopped cleanly, no half-written
      report

Codes 0, 10 and 20 are verdicts, not failures: a CI step that only wants to
block on breaking changes fails on 20 and on 1, 2 and 70.

For relay drift commands, 0 means no drift and 20 that drift was found on
real traffic; 1, 2, 70 and 130 mean what they mean above.`

// newHelpTopicExitCodes is a cobra help topic (a command without Run):
// `relay help exit-codes` prints its Long text and nothing else.
func newHelpTopicExitCodes() *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "What relay's exit codes mean",
		Long:  exitCodesHelp,
	}
}
