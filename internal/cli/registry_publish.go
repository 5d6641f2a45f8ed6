package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/source"
)

// PublishOptions holds `relay contract publish`'s validated inputs.
type PublishOptions struct {
	RegistryOptions
	Function, Contract string
	// Version is --version; "" means the smallest the diff allows.
	Version string
	// Author is --author; "" means git's user.name, then $USER.
	Author string
	// Kind forces the contract kind of a document without a marker.
	Kind load.Kind
	// Validate is --validate: an invalid contract is refused (strict),
	// published with warnings (warn), or not checked (off).
	Validate check.ValidateMode
	// Format is text (messages on stderr only) or json (the published
	// version, as `show --format json` prints it, on stdout).
	Format string
}

const publishLong = `Store the contract (with every file it $refs) as a pending version of the
function, with its diff against the active version. The version number must
follow the diff: breaking changes need a major bump, additive ones a minor
bump, documentation a patch. Without --version, relay picks the smallest
number the diff allows (for a first version: the contract's own version,
else 1.0.0). Identical content is refused. The author defaults to git's
user.name, then $USER. A contract that is not a valid document of its kind
is refused unless --validate says otherwise.`

func newCmdPublish(ios *iostreams.IOStreams, runF func(*PublishOptions) error) *cobra.Command {
	opts := &PublishOptions{}
	opts.IO = ios
	var kind, validate string
	cmd := &cobra.Command{
		Use:     "publish --function TEAM/NAME --contract PATH [--version V] [--author A]",
		Short:   "Propose a contract version: stored as pending until approved",
		Long:    publishLong,
		Example: "  relay contract publish --function my-team/payments --contract docs/contracts/payments.yml",
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(kind, validate); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runPublish(cmd.Context(), opts)
		}),
	}
	opts.bindRegistry(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Function, "function", "", "the function, TEAM/NAME (required)")
	fl.StringVar(&opts.Contract, "contract", "", "the contract file (required)")
	fl.StringVar(&opts.Version, "version", "", "the new version (semver); default: the smallest the diff allows")
	fl.StringVar(&opts.Author, "author", "", "who proposes it (default git's user.name, then $USER)")
	fl.StringVar(&kind, "kind", "", "contract `KIND` for documents without a marker")
	fl.StringVar(&opts.Format, "format", "text", "text, or json to print the published version (number, status, diff summary) on stdout")
	fl.StringVar(&validate, "validate", string(check.ValidateStrict), "`MODE` = strict (an invalid contract is refused), warn (published with its problems listed) or off")
	return cmd
}

// check validates the flags; every problem is a usage error.
func (o *PublishOptions) check(kind, validate string) error {
	if o.Function == "" || o.Contract == "" {
		return usageErrorf("publish needs --function TEAM/NAME and --contract PATH")
	}
	if err := checkListFormat(o.Format); err != nil {
		return err
	}
	if err := registry.ValidateFunction(o.Function); err != nil {
		return usageErrorf("--function: %v", err)
	}
	if isHTTPURL(o.Contract) {
		return usageErrorf("--contract must be a local file, not a URL: the registry stores the exact bytes of the contract and its $refs; download it and publish the file")
	}
	var err error
	if o.Validate, err = parseValidateMode(validate); err != nil {
		return err
	}
	o.Kind, err = parseKind(kind)
	return err
}

// runPublish stores the contract as a pending version numbered after its
// diff against the active version.
func runPublish(ctx context.Context, opts *PublishOptions) error {
	d := opts.diffOptions()
	rev, err := d.load(ctx, d.Revision, "revision")
	if err != nil {
		return err
	}
	probs, err := check.Validate(ctx, rev, opts.Validate)
	if err != nil {
		printInvalid(opts.IO.ErrOut, err)
		return err
	}
	warnProblems(opts.IO.ErrOut, rev.Options.Display, rev.Doc.Kind, probs, "published anyway")
	if err := checkFunctionField(rev, opts.Function); err != nil {
		return err
	}
	req, err := opts.request(rev)
	if err != nil {
		return err
	}
	store, err := opts.openFor(ctx, true)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }() // the publish was committed or reported
	active, err := store.Active(ctx, opts.Function)
	if err != nil && !registry.IsNotFound(err) {
		return err
	}
	if active.Version != "" {
		d.revisionLoaded = rev
		if req.Diff, err = publishDiff(ctx, d, active); err != nil {
			return err
		}
	}
	if req.Version, err = registry.NextVersion(opts.Version, active, req.Diff, rev.Doc.APIVersion); err != nil {
		return err
	}
	v, err := store.Publish(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "published %s (pending review): %s\n", safe(v.Ref()), diffText(v.Diff))
	fmt.Fprintf(opts.IO.ErrOut, "approve it with: relay contract approve %s --reviewer NAME\n", safe(v.Ref()))
	if opts.Format == "json" {
		return writeJSON(opts.IO.Out, toVersionJSON(v))
	}
	return nil
}

// checkFunctionField refuses a function contract whose own function field
// names another function than --function: published under the wrong name,
// it would become the base of another team's checks.
func checkFunctionField(rev *check.Loaded, function string) error {
	if rev.Doc.Kind != load.Function {
		return nil
	}
	field := rev.Doc.Main.Root.Get("function")
	if field == nil || field.Value == function {
		return nil
	}
	return source.Errorf(field.ValuePos(), "the function contract names itself %q, but --function is %s: "+
		"publish it with --function %s, or correct its function field", source.Truncate(field.Value, 200), function,
		source.Truncate(field.Value, 200))
}

// request is the publish request for the loaded contract, without its
// version and diff.
func (o *PublishOptions) request(rev *check.Loaded) (registry.PublishRequest, error) {
	files, main, err := readBundle(rev)
	if err != nil {
		return registry.PublishRequest{}, err
	}
	req := registry.PublishRequest{Function: o.Function, Kind: string(rev.Doc.Kind), Main: main, Files: files,
		Author: o.Author}
	if req.Author == "" && !o.onPostgres() {
		req.Author = gitUser(o.Getenv) // PostgreSQL records the database user
	}
	return req, nil
}

// diffOptions are the `relay contract diff` options that load the
// contract and compare it with the active version.
func (o *PublishOptions) diffOptions() *DiffOptions {
	// The contract is validated before this diff, and the base was when
	// it was published.
	return &DiffOptions{IO: o.IO, Registry: o.Registry, Getenv: o.Getenv, Function: o.Function, Kind: o.Kind,
		Revision: sideSpec{Kind: sideFile, Path: o.Contract, Raw: o.Contract}, FailOn: finding.Breaking,
		Validate: check.ValidateOff}
}

// publishDiff compares the contract with the active version through the
// same engine and policy as `relay contract diff`.
func publishDiff(ctx context.Context, opts *DiffOptions, active registry.Version) (*registry.DiffSummary, error) {
	opts.Base = sideSpec{Kind: sideRegistry, Raw: "registry:" + active.Ref()}
	opts.registryBase = &active
	opts.Now = time.Now()
	pol, err := opts.policy()
	if err != nil {
		return nil, err
	}
	c, err := opts.compare(ctx, pol)
	if err != nil {
		return nil, err
	}
	s := c.Report.Summary
	return &registry.DiffSummary{Base: active.Version, Verdict: s.Verdict, Breaking: s.Breaking, Warning: s.Warning,
		NonBreaking: s.NonBreaking, Info: s.Info}, nil
}
