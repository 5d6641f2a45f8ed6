package cli

import (
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

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

// RepairOptions holds `relay registry repair`'s inputs.
type RepairOptions struct {
	RegistryOptions
}

func newCmdRepair(ios *iostreams.IOStreams, runF func(*RepairOptions) error) *cobra.Command {
	opts := &RepairOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "repair",
		Short: "Resolve the file registry's audit logs left in conflict by a git merge",
		Long: `In a git merge that stopped on conflicts, merge every conflicted audit.jsonl of
the file registry the way the merge driver does (see relay registry
merge-driver --help) and stage it. Use it when the merge driver was not
registered in this clone. It refuses, and leaves the conflict, where the
driver would: both branches published the same version, changed the status of
the same version, or changed which version is active.`,
		Args: cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runRepair(opts)
		}),
	}
	opts.bindRegistry(cmd)
	return cmd
}

func runRepair(opts *RepairOptions) error {
	loc := registryLocation(opts.Registry, opts.Getenv)
	if _, isPG, err := postgresConn(loc); err != nil || isPG {
		return fmt.Errorf("%s is not a file store; repair resolves the file registry's git merge conflicts", redactURL(loc))
	}
	dir := strings.TrimPrefix(loc, "file://")
	g := gitRepo{dir: dir}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("the registry %s does not exist: %w", dir, err)
	}
	out, err := g.run("ls-files", "-u", "-z", "--full-name", "--", ".")
	if err != nil {
		return err
	}
	conflicts := unmergedLogs(out)
	if len(conflicts) == 0 {
		fmt.Fprintf(opts.IO.ErrOut, "nothing to repair: no audit log of %s is in conflict\n", dir)
		return nil
	}
	top, err := g.output("rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	root := gitRepo{dir: top}
	for _, c := range slices.Sorted(maps.Keys(conflicts)) {
		if err := repairLog(root, c, conflicts[c]); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "merged and staged the audit log %s\n", c)
	}
	return nil
}

// unmergedLogs reads `git ls-files -u -z`: path → stage (1 base, 2 ours,
// 3 theirs) → blob, for the audit logs among the conflicted paths.
func unmergedLogs(out []byte) map[string]map[int]string {
	logs := map[string]map[int]string{}
	for rec := range strings.SplitSeq(string(out), "\x00") {
		info, p, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(info)
		if !ok || len(fields) != 3 || path.Base(p) != "audit.jsonl" {
			continue
		}
		stage := int(fields[2][0] - '0')
		if logs[p] == nil {
			logs[p] = map[int]string{}
		}
		logs[p][stage] = fields[1]
	}
	return logs
}

// repairLog merges one conflicted log from its index stages, writes it
// into the work tree and stages it.
func repairLog(g gitRepo, name string, stages map[int]string) error {
	if stages[2] == "" || stages[3] == "" {
		return fmt.Errorf("%s: one branch deleted the audit log; the log is append-only, so restore it with git checkout and merge again", name)
	}
	var sides [3][]byte
	for i, stage := range []int{1, 2, 3} {
		if stages[stage] == "" {
			continue // both branches created the log: no common ancestor
		}
		b, err := g.run("cat-file", "blob", stages[stage])
		if err != nil {
			return err
		}
		sides[i] = b
	}
	merged, err := filestore.MergeLogs(sides[0], sides[1], sides[2])
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(g.dir, filepath.FromSlash(name)), merged, 0o644); err != nil {
		return fmt.Errorf("%s: cannot write the merged audit log: %w", name, err)
	}
	_, err = g.run("add", "--", name)
	return err
}
