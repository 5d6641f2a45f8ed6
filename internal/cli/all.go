package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// allOptions checks the flags of --all. The sides come from the manifest,
// so naming them as well is a usage error rather than a silent choice.
func (f *diffFlags) allOptions(opts *DiffOptions, args []string) error {
	switch {
	case f.contract != "" || f.function != "":
		return usageErrorf("--all takes the contracts and their bases from .relay.yaml; drop --contract and --function")
	case f.output != "":
		return usageErrorf("--all writes one report per contract; use --format F=DIR instead of --output")
	case f.writeBaseline != "":
		return usageErrorf("--write-baseline writes one contract's ignores; it cannot be combined with --all")
	}
	if f.base != "" {
		b, err := parseBaseSpec(f.base)
		if err != nil {
			return err
		}
		if b.Kind != sideGit || b.Path != "" {
			return usageErrorf("with --all, --base can only be git:REV (every contract against its own file at REV), not %q", f.base)
		}
		opts.Base = b
	}
	if len(args) > 0 {
		opts.selection = newSelection(args)
	}
	var err error
	if opts.FailOn, err = parseFailOn(f.failOn); err != nil {
		return err
	}
	if opts.Validate, err = parseValidateMode(f.validate); err != nil {
		return err
	}
	if opts.Kind, err = parseKind(f.kind); err != nil {
		return err
	}
	if opts.Match.SchemaRole, err = parseSchemaRole(f.schemaRole); err != nil {
		return err
	}
	opts.Outputs, err = planAllOutputs(f.formats)
	return err
}

// entryResult is what one manifest entry came to.
type entryResult struct {
	ct   *config.Contract
	slug string
	base sideSpec
	// selected is false for an entry that none of the FILE arguments
	// reaches: it is left out of the summary and the exit code.
	selected bool
	// rep is nil when the entry was unchanged or could not be compared.
	rep       *report.Report
	unchanged bool
	err       error
	reports   []output     // what was written, for the summary
	stale     []string     // stale-ignore warnings, printed once for all entries
	stdout    bytes.Buffer // the text report, with --format text
	stderr    bytes.Buffer
}

// runAll diffs every manifest entry, at most NumCPU at a time (each holds
// two parsed documents; more would only add memory), then prints each
// entry's messages in manifest order and the summary.
func runAll(ctx context.Context, opts *DiffOptions) error {
	cfg, err := opts.config()
	switch {
	case err != nil:
		return err
	case cfg == nil:
		return errors.New("--all needs a .relay.yaml with a contracts: list, and none was found here or in a parent directory")
	case len(cfg.Contracts) == 0:
		return fmt.Errorf("%s lists no contracts: add a contracts: list for --all", displayPath(cfg.Path))
	}
	pol, err := check.NewPolicy(cfg)
	if err != nil {
		return err
	}
	printNotices(opts.IO, pol)
	cleanup, err := opts.useTargetRegistry()
	if err != nil {
		return err
	}
	defer cleanup()
	if opts.selection != nil {
		opts.selection.resolve(cfg.Path)
	}
	var changed *changeSet
	if opts.ChangedSince != "" {
		if changed, err = changedSince(filepath.Dir(cfg.Path), opts.ChangedSince); err != nil {
			return err
		}
	}
	results := opts.runEntries(ctx, cfg, pol, changed)
	if err := ctx.Err(); err != nil {
		return err
	}
	if opts.selection != nil {
		results = opts.selection.report(opts.IO, results)
	}
	for _, r := range results {
		_, _ = opts.IO.Out.Write(r.stdout.Bytes())
		_, _ = opts.IO.ErrOut.Write(r.stderr.Bytes())
	}
	printCommonStale(opts.IO, results)
	if err := writeSummary(opts.IO, opts.Outputs, results); err != nil {
		return err
	}
	return overallExit(results)
}

func (opts *DiffOptions) runEntries(ctx context.Context, cfg *config.Config, pol *check.Policy, changed *changeSet) []*entryResult {
	slugs := entrySlugs(cfg.Contracts)
	results := make([]*entryResult, len(cfg.Contracts))
	prog := newProgress(opts.IO, len(results))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, ct := range cfg.Contracts {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = opts.runEntry(ctx, cfg.Path, pol, ct, slugs[i], changed)
			prog.step()
		})
	}
	wg.Wait()
	prog.finish()
	return results
}

// runEntry diffs one entry with a private copy of the options and streams,
// since the entries run concurrently. They share the compiled policy,
// which each run only reads.
func (opts *DiffOptions) runEntry(ctx context.Context, cfgPath string, pol *check.Policy, ct *config.Contract, slug string, changed *changeSet) *entryResult {
	r := &entryResult{ct: ct, slug: slug, selected: true}
	eo := *opts
	eo.IO = &iostreams.IOStreams{In: bytes.NewReader(nil), Out: &r.stdout, ErrOut: &r.stderr}
	eo.Function = ct.Function
	if ct.Kind != "" {
		eo.Kind = ct.Kind
	}
	if ct.SchemaRole != "" {
		eo.Match.SchemaRole = ct.SchemaRole
	}
	rev := displayPath(filepath.Join(filepath.Dir(cfgPath), filepath.FromSlash(ct.Path)))
	eo.Revision = sideSpec{Kind: sideFile, Path: rev, Raw: rev}
	eo.Base = entryBase(ct)
	if opts.Base.Kind == sideGit {
		eo.Base = opts.Base // --base git:REV: every entry against its own file at REV
	}
	r.base = eo.Base
	eo.Outputs = entryOutputs(opts.Outputs, slug)
	if ctx.Err() != nil {
		r.err = ctx.Err()
		return r
	}
	if opts.selection != nil && !opts.selection.touches(ctx, &eo, ct) {
		r.selected = false
		return r
	}
	if changed != nil && !changed.touches(ctx, &eo, ct) {
		r.unchanged = true
		return r
	}
	r.err = eo.compareAndWrite(ctx, pol, r)
	if errors.As(r.err, new(noBaseError)) {
		r.err = eo.addedAndWrite(ctx, pol, r)
	}
	if r.err != nil {
		printInvalid(&r.stderr, r.err)
		r.err = entryError(cfgPath, ct, r.err)
		fmt.Fprintln(&r.stderr, "relay: "+oneLine(r.err.Error()))
	}
	return r
}

func (opts *DiffOptions) compareAndWrite(ctx context.Context, pol *check.Policy, r *entryResult) error {
	c, err := opts.compare(ctx, pol)
	if err != nil {
		return err
	}
	return opts.written(c, pol, r)
}

// written prints an entry's problems and writes its reports.
func (opts *DiffOptions) written(c *check.Result, pol *check.Policy, r *entryResult) error {
	printProblems(&r.stderr, c)
	for _, s := range c.Report.StaleIgnores {
		r.stale = append(r.stale, staleWarning(pol, s))
	}
	rc := &rendering{failOn: c.FailOn, sides: []*check.Loaded{c.Base, c.Revision}}
	if err := writeOutputs(opts.IO, opts.Outputs, c.Report, rc); err != nil {
		return err
	}
	r.rep, r.reports = c.Report, opts.Outputs
	return nil
}

// noBaseError is a base that does not exist yet: the file is not at the
// git revision, or the function has no approved version. A single diff
// reports it as an error (the user named that base); --all reports the
// entry as an added contract.
type noBaseError struct{ error }

func (e noBaseError) Unwrap() error { return e.error }

// addedAndWrite reports an entry with no published base as a new
// contract: non-breaking, with its operation count.
func (opts *DiffOptions) addedAndWrite(ctx context.Context, pol *check.Policy, r *entryResult) error {
	c, err := check.Added(ctx, opts.checkInput(pol), opts.Base.Raw)
	if err != nil {
		return err
	}
	return opts.written(c, pol, r)
}

// entryBase turns the manifest's base into a base spec. A git base names
// no path: it is the revision's own path at that ref, found through the
// repository holding the revision (as --base git:REV does).
func entryBase(ct *config.Contract) sideSpec {
	if ct.Base == config.RegistryBase {
		return sideSpec{Kind: sideRegistry, Raw: "registry:" + ct.Function}
	}
	return sideSpec{Kind: sideGit, Rev: ct.Base, Raw: "git:" + ct.Base}
}

// entryError says which entry failed when the error does not: a registry
// base's failure (no approved version yet, an unreachable database) names
// the manifest line it came from.
func entryError(cfgPath string, ct *config.Contract, err error) error {
	if ct.Base == config.RegistryBase {
		return fmt.Errorf("%s:%d: %s: %w", displayPath(cfgPath), ct.Pos.Line, ct.Path, err)
	}
	return err
}

// printCommonStale warns once about ignores that matched nothing in any
// compared entry: an ignore written for one contract is not stale just
// because the others do not need it.
func printCommonStale(ios *iostreams.IOStreams, results []*entryResult) {
	var common []string
	first := true
	for _, r := range results {
		if r.rep == nil {
			continue
		}
		if first {
			common, first = r.stale, false
			continue
		}
		common = intersect(common, r.stale)
	}
	for _, s := range common {
		fmt.Fprintln(ios.ErrOut, s)
	}
}

func intersect(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var out []string
	for _, s := range a {
		if in[s] {
			out = append(out, s)
		}
	}
	return out
}

// overallExit is the worst outcome: an entry that could not be compared
// (1) outranks every verdict, since its verdict is unknown.
func overallExit(results []*entryResult) error {
	failed, worst := 0, report.ExitOK
	for _, r := range results {
		switch {
		case r.err != nil:
			failed++
		case r.rep != nil:
			worst = max(worst, r.rep.Summary.ExitCode)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d contracts could not be compared", failed, len(results))
	}
	if worst != report.ExitOK {
		return &verdictError{code: worst}
	}
	return nil
}

// displayPath shows p relative to the working directory when it is below
// it: reports and messages then carry the paths a user would type.
func displayPath(p string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return p
}

// progress counts finished entries on stderr, only when a person watches:
// a CI log would fill with carriage returns.
type progress struct {
	ios   *iostreams.IOStreams
	total int
	mu    sync.Mutex
	done  int
}

func newProgress(ios *iostreams.IOStreams, total int) *progress {
	return &progress{ios: ios, total: total}
}

func (p *progress) step() {
	if !p.ios.IsStderrTTY() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	fmt.Fprintf(p.ios.ErrOut, "\rrelay: compared %d of %d contracts", p.done, p.total)
}

// finish clears the progress line so the messages after it start clean.
func (p *progress) finish() {
	if p.ios.IsStderrTTY() && p.total > 0 {
		fmt.Fprint(p.ios.ErrOut, "\r\033[K")
	}
}
