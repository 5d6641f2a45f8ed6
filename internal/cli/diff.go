package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/report"
)

// DiffOptions holds `relay contract diff`'s validated inputs.
type DiffOptions struct {
	IO *iostreams.IOStreams

	Base     sideSpec
	Revision sideSpec
	// Function is the registry entry named by --function; recorded in the
	// report. Without a base it would select the registry's active version.
	Function string
	Outputs  []output
	FailOn   finding.Level
	// Kind forces the contract kind of documents without a marker.
	Kind            load.Kind
	AllowRemoteRefs bool
	// FailOnSet says --fail-on was given, so it beats the config's fail-on.
	FailOnSet bool
	// ConfigPath is --config; empty means .relay.yaml in the working
	// directory or its nearest parent, if any.
	ConfigPath string
	// WriteBaseline is --write-baseline: write ignores for today's findings.
	WriteBaseline string
	// Match tunes the comparison: path filters, stripped prefixes and the
	// role of a bare JSON Schema.
	Match diff.Options
	// Now is the clock for ignore expiry and x-sunset dates; zero means
	// the time the diff runs.
	Now time.Time
	// Getenv reads the environment (GITHUB_STEP_SUMMARY); nil means
	// os.Getenv.
	Getenv func(string) string
	// All is --all: diff every entry of the configuration's contracts:
	// manifest. Outputs' paths are then directories.
	All bool
	// ChangedSince is --changed-since: with All, only entries whose files
	// (the contract and everything it $refs) changed since this revision.
	ChangedSince string
	// Registry is --registry: where registry: bases and --function are
	// read from ("" = $RELAY_REGISTRY_URL, else .relay/registry).
	Registry string
	// AllowedSigners is --allowed-signers: the file registry approvals are
	// verified against ("" = $RELAY_ALLOWED_SIGNERS, else .relay.yaml).
	AllowedSigners string
	// registryBase is a registry version already fetched (publish has the
	// active version in hand): the base is read from it, not fetched again.
	registryBase *registry.Version
	// Validate is --validate: what an invalid revision costs.
	Validate check.ValidateMode
	// MaxFiles is --max-files: how many files one contract may span.
	MaxFiles int
	// MaxTotalBytes is --max-total-bytes: how many bytes one contract's
	// files may hold together; 0 means load.DefaultMaxTotalBytes.
	MaxTotalBytes int
	// selection is --all's FILE arguments: only the entries they reach.
	selection *selection
	// revisionLoaded is a revision already loaded (publish has read it to
	// store its files): it is compared as is, not loaded again.
	revisionLoaded *check.Loaded
}

// diffFlags are the raw flag values, checked by (*diffFlags).options.
type diffFlags struct {
	contract, base, function, output, failOn, kind string
	schemaRole                                     string
	config, writeBaseline                          string
	match                                          diff.Options
	formats                                        []string
	allowRemoteRefs, all                           bool
	validate                                       string
	changedSince, registry, allowedSigners         string
	maxFiles                                       int
	maxTotalBytes                                  byteSize
}

// diffLongText is diffLong with its list of --all's file extensions left
// to the format table (all_outputs.go).
const diffLongText = `Compare a published contract version (the base) with the working-tree
contract (the revision), classify every change as breaking, warning,
non-breaking or info, and write a report.

The two sides are given as BASE REVISION, or as --base SPEC and --contract
PATH. A base SPEC is a file path, git:REV[:PATH] (PATH defaults to the
revision's path in the repository; files it $refs are read from the same git
revision), registry:FUNCTION[@VERSION] (a version in the contract registry;
without @VERSION its active, approved version), or - for standard input.
Either side may be -, not both. --function NAME without --base compares
against NAME's active version in the registry.

--all diffs every entry of the contracts: list in .relay.yaml: the revision
is the file at path (relative to the directory holding .relay.yaml), the base
is git:BASE for a git ref. With --all each --format F=DIR names a directory:
one report per contract goes to DIR/SLUG.EXT, where SLUG is the entry's
function (else its path without the extension) with every run of characters
other than letters, digits, '.', '_' and '-' replaced by '-' (a repeated slug
gets -2, -3, ...), and EXT is {{extensions}}. --format json=DIR also
writes DIR/summary.json. Standard output carries a summary, one line per
contract; the exit code is the worst across entries (1 when any entry could
not be compared). --changed-since REV keeps only entries whose contract or a
file it $refs differs from REV (git diff --name-only REV, plus untracked
files); the others are listed as unchanged. --all FILE... compares only the
entries whose contract or a file it $refs is one of the FILEs, and names each
FILE that belongs to no contract. --all --base git:REV compares every entry
with its own file at REV instead of the manifest's base. --all --format text
(without =DIR) prints each contract's text report before the summary. In a
pull request ($GITHUB_BASE_REF or $CI_MERGE_REQUEST_TARGET_BRANCH_NAME set),
--all without --registry reads the file registry as of the target branch. An
entry with no published base (its file is not at the git ref, or its function
has no approved version) is a new contract: one non-breaking contract-added
change.

The exit code is the verdict: 0 nothing above info, 10 non-breaking changes
or warnings, 20 breaking changes; 1 could not compare, 2 usage error. See
'relay help exit-codes'.`

const diffExample = `  relay contract diff old.yaml api.yaml
  relay contract diff --base git:origin/main --contract api.yaml --format json=reports/diff.json --format text
  git show main:api.yaml | relay contract diff - api.yaml
  relay contract diff --all --changed-since origin/main --format json=reports/ --format sarif=reports/`

func newCmdDiff(ios *iostreams.IOStreams, runF func(*DiffOptions) error) *cobra.Command {
	var f diffFlags
	cmd := &cobra.Command{
		Use:     "diff [BASE REVISION]",
		Short:   "Compare two versions of a contract and classify the changes",
		Long:    diffLong,
		Example: diffExample,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(ios, args)
			if err != nil {
				return err
			}
			opts.FailOnSet = cmd.Flags().Changed("fail-on")
			if runF != nil {
				return runF(opts)
			}
			return runDiff(cmd.Context(), opts)
		}),
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVar(&f.contract, "contract", "", "the working-tree contract (the revision); - reads standard input")
	fl.StringVar(&f.base, "base", "", "the base: `SPEC` = PATH, git:REV[:PATH], registry:FUNCTION[@VERSION] or -")
	fl.StringVar(&f.function, "function", "", "the registry entry `TEAM/NAME` the contract belongs to; without --base its active version is the base")
	fl.StringVar(&f.registry, "registry", "", "registry `URL`: a directory, file://PATH or postgres://… (default $"+RegistryEnv+", else .relay/registry at the repository root)")
	fl.StringVar(&f.allowedSigners, "allowed-signers", "", "the allowed-signers `FILE` registry approvals are verified against; requires signed approvals (default $"+AllowedSignersEnv+", else .relay.yaml's approvals:)")
	fl.StringArrayVar(&f.formats, "format", nil, "report format `F[=PATH]`, repeatable: "+formatList()+" (default text)")
	fl.StringVar(&f.output, "output", "", "write the one format without =PATH to `PATH` instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", string(finding.Breaking), "lowest level that exits 20: breaking or warning")
	fl.StringVar(&f.kind, "kind", "", "contract `KIND` for documents without a marker: "+load.KindList())
	fl.StringVar(&f.schemaRole, "schema-role", string(diff.RoleInput), "for a bare JSON Schema, what it validates: `ROLE` = input (data others send) or output (data it emits)")
	fl.StringVar(&f.validate, "validate", string(check.ValidateStrict), "validation of the revision: `MODE` = strict (an invalid revision is exit 1), warn (compare it anyway, listing its problems) or off")
	fl.BoolVar(&f.allowRemoteRefs, "allow-remote-refs", false, "allow http(s) URLs: in $ref, and as the base or the contract (fetched with a timeout and a size cap)")
	fl.IntVar(&f.maxFiles, "max-files", load.DefaultMaxFiles, "most files one contract may span through $ref (`N`)")
	f.maxTotalBytes = load.DefaultMaxTotalBytes
	fl.Var(&f.maxTotalBytes, "max-total-bytes", "most bytes one contract's files may hold together, such as 256MiB")
	fl.StringVar(&f.match.MatchPath, "match-path", "", "compare only operations whose path matches `GLOB` (* within a segment, ** across)")
	fl.StringVar(&f.match.ExcludePath, "exclude-path", "", "leave out operations whose path matches `GLOB`")
	fl.StringVar(&f.match.StripPrefixBase, "strip-prefix-base", "", "remove `PREFIX` from the base's paths before matching (a moved base path)")
	fl.StringVar(&f.match.StripPrefixRevision, "strip-prefix-revision", "", "remove `PREFIX` from the revision's paths before matching")
	fl.StringVar(&f.config, "config", "", "policy file `PATH` (default: .relay.yaml in the working directory or its nearest parent)")
	fl.BoolVar(&f.all, "all", false, "diff every contract listed in .relay.yaml; --format F=DIR then names a directory")
	fl.StringVar(&f.changedSince, "changed-since", "", "with --all, only contracts whose files changed since git `REV`")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "write ignores for today's findings to `PATH` (adopt relay on a legacy API)")
	return cmd
}

// options checks the flags and arguments and turns them into DiffOptions.
// Every problem here is a usage error (exit 2).
func (f *diffFlags) options(ios *iostreams.IOStreams, args []string) (*DiffOptions, error) {
	opts := &DiffOptions{IO: ios, Function: f.function, AllowRemoteRefs: f.allowRemoteRefs,
		ConfigPath: f.config, WriteBaseline: f.writeBaseline, Match: f.match,
		All: f.all, ChangedSince: f.changedSince, Registry: f.registry, AllowedSigners: f.allowedSigners,
		MaxFiles: f.maxFiles, MaxTotalBytes: int(f.maxTotalBytes)}
	var err error
	if f.maxFiles < 1 {
		return nil, usageErrorf("--max-files must be at least 1, not %d", f.maxFiles)
	}
	if f.all {
		return opts, f.allOptions(opts, args)
	}
	if f.changedSince != "" {
		return nil, usageErrorf("--changed-since selects entries of the manifest; it needs --all")
	}
	if opts.Base, opts.Revision, err = resolveSides(args, f.base, f.contract, f.function); err != nil {
		return nil, err
	}
	if opts.FailOn, err = parseFailOn(f.failOn); err != nil {
		return nil, err
	}
	if opts.Validate, err = parseValidateMode(f.validate); err != nil {
		return nil, err
	}
	if opts.Kind, err = parseKind(f.kind); err != nil {
		return nil, err
	}
	if opts.Match.SchemaRole, err = parseSchemaRole(f.schemaRole); err != nil {
		return nil, err
	}
	if opts.Outputs, err = planOutputs(f.formats, f.output); err != nil {
		return nil, err
	}
	return opts, nil
}

func parseFailOn(s string) (finding.Level, error) {
	switch l := finding.Level(s); l {
	case finding.Breaking, finding.Warning:
		return l, nil
	}
	return "", usageErrorf("--fail-on must be breaking or warning, not %q", s)
}

func parseKind(s string) (load.Kind, error) {
	if k := load.Kind(s); k == "" || k.Known() {
		return k, nil
	}
	return "", usageErrorf("--kind must be %s, not %q", load.KindChoice(), s)
}

func parseValidateMode(s string) (check.ValidateMode, error) {
	m, err := check.ParseValidateMode(s)
	if err != nil {
		return "", usageErrorf("--validate must be strict, warn or off, not %q", s)
	}
	return m, nil
}

func parseSchemaRole(s string) (diff.SchemaRole, error) {
	switch r := diff.SchemaRole(s); r {
	case diff.RoleInput, diff.RoleOutput:
		return r, nil
	}
	return "", usageErrorf("--schema-role must be input or output, not %q", s)
}

// runDiff reads the policy, runs the compare pipeline (package check) and
// writes the reports. --all runs the pipeline once per manifest entry.
func runDiff(ctx context.Context, opts *DiffOptions) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.All {
		return runAll(ctx, opts)
	}
	pol, err := opts.policy()
	if err != nil {
		return err
	}
	printNotices(opts.IO, pol)
	c, err := opts.compare(ctx, pol)
	if err != nil {
		printInvalid(opts.IO.ErrOut, err)
		return err
	}
	printProblems(opts.IO.ErrOut, c)
	printStale(opts.IO, pol, c.Report.StaleIgnores)
	if err := opts.writeReports(c.Report, c.FailOn, c.Base, c.Revision); err != nil {
		return err
	}
	if c.Report.Summary.ExitCode != report.ExitOK {
		return &verdictError{code: c.Report.Summary.ExitCode}
	}
	return nil
}

// checkInput is the comparison the options describe.
func (opts *DiffOptions) checkInput(pol *check.Policy) check.Input {
	return check.Input{
		Base:     check.Side{Open: opts.opener(opts.Base, "base")},
		Revision: check.Side{Open: opts.opener(opts.Revision, "revision"), Loaded: opts.revisionLoaded},
		Kind:     opts.Kind, Match: opts.Match, Policy: pol,
		FailOn: opts.FailOn, FailOnSet: opts.FailOnSet, Function: opts.Function,
		Tool: report.Tool{Name: "relay", Version: Version()}, Now: opts.Now, Validate: opts.Validate,
	}
}

// compare runs the pipeline on the two sides and writes the baseline when
// asked; it writes nothing else, so --all can run it concurrently.
func (opts *DiffOptions) compare(ctx context.Context, pol *check.Policy) (*check.Result, error) {
	res, err := check.Run(ctx, opts.checkInput(pol))
	if err != nil {
		return nil, err
	}
	if opts.WriteBaseline != "" {
		if err := writeBaseline(opts.WriteBaseline, res.Classified, opts.Now); err != nil {
			return nil, err
		}
	}
	return res, nil
}
