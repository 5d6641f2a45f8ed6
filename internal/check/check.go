// Package check is the compare pipeline every caller shares: load both
// sides, diff, classify and apply the policy, returning the report. The
// CLI's diff, --all and publish call it; so will relay serve, the scheduler
// and runtime drift. It does no I/O of its own beyond reading the contracts
// through the file systems it is handed: where a side comes from (a file,
// standard input, a git revision, the registry) is the caller's business,
// and so is writing reports.
package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
	"github.com/relay-dev/relay/internal/source"
)

// Side is one contract to compare: how to find it, or the document itself
// when the caller has loaded it already (publish holds the revision it is
// about to store).
type Side struct {
	// Open says where to read the side from. It runs when the side's turn
	// comes, so a base that cannot be read is reported before anything
	// about the revision.
	Open func(context.Context) (load.Options, error)
	// Loaded is a side the caller has loaded already; Open is then unused.
	Loaded *Loaded
}

// Loaded is one side after loading: the document and what it was read
// from (renderers that quote the contract read its files again from
// Options.FS or Options.Data).
type Loaded struct {
	Doc     *load.Document
	Options load.Options
}

// Input is one comparison.
type Input struct {
	Base, Revision Side
	// Kind forces the kind of documents without a marker, on each side
	// loaded here. (Remote $refs are the opener's to allow: it hands the
	// loader a fetcher.)
	Kind load.Kind
	// Match tunes the comparison: path filters, prefixes, schema role.
	Match diff.Options
	// Policy is the compiled .relay.yaml policy; nil is the empty policy.
	Policy *Policy
	// FailOn is the --fail-on flag's value (Breaking when empty), and
	// FailOnSet says it was given, so it beats the policy's fail-on.
	FailOn    finding.Level
	FailOnSet bool
	// Function names the registry entry; recorded in the report.
	Function string
	// Tool names the program in the report.
	Tool report.Tool
	// Now is the clock for ignore expiry and x-sunset dates; zero means
	// the time Run starts.
	Now time.Time
	// Validate sets what validation runs and what an invalid revision
	// costs; "" is ValidateStrict.
	Validate ValidateMode
}

// Result is a finished comparison.
type Result struct {
	Report *report.Report
	// FailOn is the threshold the verdict was computed with.
	FailOn         finding.Level
	Base, Revision *Loaded
	// Classified are the changes before the policy dropped or re-levelled
	// any (what --write-baseline records).
	Classified []finding.Change
}

// Run loads both sides, validates them while it diffs, classifies and
// applies the policy. The base is loaded first, so a broken base is
// reported as such and never mistaken for an empty contract. An invalid
// revision is *InvalidError unless in.Validate says otherwise. Cancelling
// ctx stops it between stages with ctx's error.
func Run(ctx context.Context, in Input) (*Result, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	pol := in.Policy
	if pol == nil {
		pol = &Policy{severity: map[string]finding.Level{}}
	}
	base, err := in.load(ctx, in.Base, "base")
	if err != nil {
		return nil, err
	}
	rev, err := in.load(ctx, in.Revision, "revision")
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	vctx, stop := context.WithCancel(ctx)
	defer stop() // an early return abandons the validation
	val := startValidation(vctx, in.Validate, base, rev)
	res, err := diff.Compare(base.Doc, rev.Doc, in.Match)
	// What validation says of an invalid revision explains a failed diff
	// better than the diff can, so it is heard first.
	problems, verr := val.wait(in.Validate, rev)
	switch {
	case verr != nil:
		return nil, verr
	case err != nil:
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	classified := rules.Classify(res, pol.RulesOptions(in.Now))
	out, err := pol.Enforce(classified, in.Now)
	if err != nil {
		return nil, err
	}
	failOn := in.FailOn
	if failOn == "" {
		failOn = finding.Breaking
	}
	failOn = pol.FailOn(failOn, in.FailOnSet)
	rep := report.New(in.Tool, base.side(), rev.side(), out.Kept, failOn)
	rep.Function = in.Function
	rep.StaleIgnores = out.Stale
	rep.Suppressed, rep.Summary.Suppressed = out.Suppressed, out.Dropped
	rep.Validation = problems
	return &Result{Report: rep, FailOn: failOn, Base: base, Revision: rev, Classified: classified}, nil
}

// load reads one side unless the caller has. role is "base" or
// "revision", for messages.
func (in Input) load(ctx context.Context, s Side, role string) (*Loaded, error) {
	if s.Loaded != nil {
		return s.Loaded, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.Open == nil {
		return nil, fmt.Errorf("the %s contract has no source", role)
	}
	lo, err := s.Open(ctx)
	if err != nil {
		return nil, err
	}
	if in.Kind != "" {
		lo.Kind = in.Kind
	}
	doc, err := load.Load(lo)
	if err != nil {
		return nil, LoadError(err, role, lo.Display)
	}
	return &Loaded{Doc: doc, Options: lo}, nil
}

// LoadError makes sure the message names the side that failed. Errors in
// the document itself already start with its file:line.
func LoadError(err error, role, display string) error {
	var se *source.Error
	if errors.As(err, &se) || strings.Contains(err.Error(), display) {
		return err
	}
	return fmt.Errorf("cannot load the %s contract %s: %w", role, display, err)
}

func (l *Loaded) side() report.Side {
	return report.Side{Source: l.Options.Display, Version: l.Doc.APIVersion, SHA256: l.Doc.SHA256}
}
