package cli

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry/filestore"
)

// MergeDriverOptions holds `relay registry merge-driver`'s inputs: the
// three files git hands a merge driver, and the path being merged.
type MergeDriverOptions struct {
	IO                 *iostreams.IOStreams
	Base, Ours, Theirs string
	// Path is the file's path in the repository (%P), for messages.
	Path string
}

func newCmdMergeDriver(ios *iostreams.IOStreams, runF func(*MergeDriverOptions) error) *cobra.Command {
	opts := &MergeDriverOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "merge-driver BASE OURS THEIRS [PATH]",
		Short: "Merge two branches' audit logs of the file registry (a git merge driver)",
		Long: `Git calls this to merge a file registry's audit.jsonl when two branches both
appended to it. Each branch's new events are kept whole and in order: one
branch's run stays as it is, the other's is re-chained after it, and a merge
event records which events moved and their former hashes. The result is the
same whichever branch is merged into which. The merge is refused (exit 1, git
reports a conflict) when both branches published the same version, changed the
status of the same version, or changed which version is active.

Register it once per clone; the registry's .gitattributes names it:

  git config merge.relay-audit.driver "relay registry merge-driver %O %A %B %P"`,
		Args: cobra.RangeArgs(3, 4),
		RunE: runE(func(_ *cobra.Command, args []string) error {
			opts.Base, opts.Ours, opts.Theirs = args[0], args[1], args[2]
			opts.Path = opts.Ours
			if len(args) == 4 {
				opts.Path = args[3]
			}
			if runF != nil {
				return runF(opts)
			}
			return runMergeDriver(opts)
		}),
	}
	return cmd
}

// runMergeDriver writes the merge into OURS, as git expects; on a refusal
// OURS is left alone and git reports the conflict.
func runMergeDriver(opts *MergeDriverOptions) error {
	var data [3][]byte
	for i, name := range []string{opts.Base, opts.Ours, opts.Theirs} {
		b, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("%s: cannot read a side of the merge: %w", opts.Path, err)
		}
		data[i] = b
	}
	merged, err := filestore.MergeLogs(data[0], data[1], data[2])
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Path, err)
	}
	if err := os.WriteFile(opts.Ours, merged, 0o644); err != nil {
		return fmt.Errorf("%s: cannot write the merged audit log: %w", opts.Path, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "merged the audit log %s\n", opts.Path)
	return nil
}
