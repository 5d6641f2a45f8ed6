package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
)

// AddedID is the finding of a contract that has no published base yet: a
// rule of the catalog that no document diff produces (rules.ContractAdded),
// so that .relay.yaml can name it and `relay contract rules` documents it.
var AddedID = rules.ContractAdded.ID

// emptySHA256 is the sha256 of no bytes: the base of an added contract.
var emptySHA256 = func() string {
	sum := sha256.Sum256(nil)
	return hex.EncodeToString(sum[:])
}()

// Added is Run for a contract with no published base (a new manifest
// entry: its file is not on the base branch yet, or its function has no
// approved version). Nothing can break, so the report is one non-breaking
// contract-added change that counts the revision's operations. The
// revision is still loaded and validated as Run would, so an addition
// that is not a valid contract is refused all the same. baseSource names
// where the base was looked for.
func Added(ctx context.Context, in Input, baseSource string) (*Result, error) {
	if in.Now.IsZero() {
		in.Now = time.Now()
	}
	pol := in.Policy
	if pol == nil {
		pol = &Policy{severity: map[string]finding.Level{}}
	}
	rev, err := in.load(ctx, in.Revision, "revision")
	if err != nil {
		return nil, err
	}
	probs, err := Validate(ctx, rev, in.Validate)
	if err != nil {
		return nil, err
	}
	ops, err := diff.Compare(rev.Doc, rev.Doc, in.Match)
	if err != nil {
		return nil, err
	}
	root := rev.Doc.Main.Root.Pos()
	added := finding.Change{ID: AddedID, Level: rules.ContractAdded.Level, Pointer: "",
		Message:  fmt.Sprintf(rules.ContractAdded.Message, operations(len(ops.Operations)), baseSource),
		Revision: finding.Location{File: root.File, Line: root.Line, Column: root.Col}}
	out, err := pol.Enforce([]finding.Change{added}, in.Now)
	if err != nil {
		return nil, err
	}
	failOn := pol.FailOn(orBreaking(in.FailOn), in.FailOnSet)
	rep := report.New(in.Tool, report.Side{Source: baseSource, SHA256: emptySHA256}, rev.side(), out.Kept, failOn)
	rep.Function = in.Function
	rep.StaleIgnores = out.Stale
	rep.Suppressed, rep.Summary.Suppressed = out.Suppressed, out.Dropped
	if len(probs) > 0 {
		rep.Validation = &report.Problems{Revision: probs}
	}
	return &Result{Report: rep, FailOn: failOn, Revision: rev, Classified: []finding.Change{added}}, nil
}

func operations(n int) string {
	if n == 1 {
		return "1 operation"
	}
	return fmt.Sprintf("%d operations", n)
}

func orBreaking(l finding.Level) finding.Level {
	if l == "" {
		return finding.Breaking
	}
	return l
}
