package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/registry"
)

// publishFlags are `relay contract publish`'s inputs.
type publishFlags struct {
	function, contract, version, author, kind string
}

func newCmdPublish(ro *RegistryOptions) *cobra.Command {
	f := &publishFlags{}
	cmd := &cobra.Command{
		Use:   "publish --function TEAM/NAME --contract PATH [--version V] [--author A]",
		Short: "Propose a contract version: stored as pending until approved",
		Long: `Store the contract (with every file it $refs) as a pending version of the
function, with its diff against the active version. The version number must
follow the diff: breaking changes need a major bump, additive ones a minor
bump, documentation a patch. Without --version, relay picks the smallest
number the diff allows (for a first version: the contract's own version,
else 1.0.0). Identical content is refused. The author defaults to git's
user.name, then $USER.`,
		Example: "  relay contract publish --function my-team/payments --contract docs/contracts/payments.yml",
		Args:    cobra.NoArgs,
		RunE: runE(func(_ *cobra.Command, _ []string) error {
			if f.function == "" || f.contract == "" {
				return usageErrorf("publish needs --function TEAM/NAME and --contract PATH")
			}
			if err := registry.ValidateFunction(f.function); err != nil {
				return usageErrorf("--function: %v", err)
			}
			return runPublish(ro, f)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&f.function, "function", "", "the function, TEAM/NAME (required)")
	fl.StringVar(&f.contract, "contract", "", "the contract file (required)")
	fl.StringVar(&f.version, "version", "", "the new version (semver); default: the smallest the diff allows")
	fl.StringVar(&f.author, "author", "", "who proposes it (default git's user.name, then $USER)")
	fl.StringVar(&f.kind, "kind", "", "contract `KIND` for documents without a marker")
	return cmd
}

func runPublish(ro *RegistryOptions, f *publishFlags) error {
	ctx := context.Background()
	opts := &DiffOptions{IO: ro.IO, Registry: ro.Registry, Getenv: ro.Getenv, Function: f.function,
		Revision: sideSpec{Kind: sideFile, Path: f.contract, Raw: f.contract}, FailOn: finding.Breaking}
	var err error
	if opts.Kind, err = parseKind(f.kind); err != nil {
		return err
	}
	rev, err := opts.load(opts.Revision, "revision")
	if err != nil {
		return err
	}
	files, main, err := readBundle(rev)
	if err != nil {
		return err
	}
	store, err := ro.open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = store.Close() }() // read-mostly; a close error cannot change the answer
	active, err := store.Active(ctx, f.function)
	if err != nil && !registry.IsNotFound(err) {
		return err
	}
	req := registry.PublishRequest{Function: f.function, Kind: string(rev.doc.Kind), Main: main, Files: files,
		Author: f.author}
	if req.Author == "" {
		req.Author = gitUser(ro.Getenv)
	}
	if active.Version != "" {
		if req.Diff, err = publishDiff(opts, active); err != nil {
			return err
		}
	}
	if req.Version, err = registry.NextVersion(f.version, active, req.Diff, rev.doc.APIVersion); err != nil {
		return err
	}
	v, err := store.Publish(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(ro.IO.ErrOut, "published %s (pending review): %s\n", v.Ref(), diffText(v.Diff))
	fmt.Fprintf(ro.IO.ErrOut, "approve it with: relay contract approve %s --reviewer NAME\n", v.Ref())
	return nil
}

// publishDiff compares the contract with the active version through the
// same engine and policy as `relay contract diff`.
func publishDiff(opts *DiffOptions, active registry.Version) (*registry.DiffSummary, error) {
	opts.Base = sideSpec{Kind: sideRegistry, Raw: "registry:" + active.Ref()}
	opts.registryBase = &active
	opts.Now = time.Now()
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	c, err := opts.compare(cfg)
	if err != nil {
		return nil, err
	}
	s := c.rep.Summary
	return &registry.DiffSummary{Base: active.Version, Verdict: s.Verdict, Breaking: s.Breaking, Warning: s.Warning,
		NonBreaking: s.NonBreaking, Info: s.Info}, nil
}
