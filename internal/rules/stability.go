package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

var stabilityDecreased = def(Rule{
	ID: "operation-stability-decreased", Level: finding.Warning,
	Summary: "an operation's x-stability-level was lowered",
	Message: "%s is now %s (was %s)",
	Why: `Changes to beta, alpha and draft operations are capped or downgraded. Lowering
the level silently would let the next revision break a stable operation
unnoticed: two commits would pass a gate that one would fail. The lowering
itself is the moment clients lose the stable promise, so it is reported (a
warning: nothing on the wire changes yet). Raising the level is not reported.`,
	Doc: `Stable (no level, or any other value) > beta > alpha > draft.

  base:     get: {operationId: listPets}
  revision: get: {operationId: listPets, x-stability-level: beta}`,
})

// Stability levels of x-stability-level on operations. Changes to draft and
// alpha operations are announced as unstable, so they are info; a change to
// a beta operation is capped at a configurable level (warning by default).
const (
	stabilityDraft = "draft"
	stabilityAlpha = "alpha"
	stabilityBeta  = "beta"
)

// stabilities maps each operation name to its declared stability: the
// base's (the published promise), else the revision's.
func stabilities(ops []*diff.OpPair, out map[string]string) {
	for _, op := range ops {
		side := op.Base
		if side == nil {
			side = op.Rev
		}
		if lvl := side.Node.Str("x-stability-level"); lvl != "" {
			out[op.Name()] = lvl
		}
		stabilities(op.Callbacks, out)
	}
}

// applyStability lowers a change's level when every operation it affects is
// unstable. A change that also reaches one stable operation keeps its level.
func applyStability(changes []finding.Change, res *diff.Result, betaCap finding.Level) {
	levels := map[string]string{}
	stabilities(res.Operations, levels)
	if len(levels) == 0 {
		return
	}
	for i := range changes {
		c := &changes[i]
		ops := c.Affects
		if len(ops) == 0 {
			continue // document-level changes have no operation to be unstable
		}
		switch leastStable(ops, levels) {
		case stabilityDraft, stabilityAlpha:
			if c.Level.Rank() > finding.Info.Rank() {
				c.Level = finding.Info
			}
		case stabilityBeta:
			if c.Level.Rank() > betaCap.Rank() {
				c.Level = betaCap
			}
		}
	}
}

// leastStable returns the most stable level among ops ("" = stable), which
// is what bounds the downgrade.
func leastStable(ops []string, levels map[string]string) string {
	rank := map[string]int{stabilityDraft: 0, stabilityAlpha: 1, stabilityBeta: 2}
	best := -1
	for _, op := range ops {
		r, ok := rank[levels[op]]
		if !ok {
			return "" // a stable operation is affected
		}
		if r > best {
			best = r
		}
	}
	for k, v := range rank {
		if v == best {
			return k
		}
	}
	return ""
}

// stabilityRank orders stability levels; "" and unknown values are stable.
func stabilityRank(level string) int {
	switch level {
	case stabilityDraft:
		return 0
	case stabilityAlpha:
		return 1
	case stabilityBeta:
		return 2
	}
	return 3
}

func stabilityText(level string) string {
	if stabilityRank(level) == 3 {
		return "stable"
	}
	return level
}

// checkStability reports an operation whose x-stability-level went down.
func checkStability(e *emitter, op *diff.OpPair) {
	bn, rn := op.Base.Node.Get("x-stability-level"), op.Rev.Node.Get("x-stability-level")
	b, r := op.Base.Node.Str("x-stability-level"), op.Rev.Node.Str("x-stability-level")
	if stabilityRank(r) >= stabilityRank(b) {
		return
	}
	if bn == nil {
		bn = op.Base.Node
	}
	e.onOp(op, stabilityDecreased, changed(bn, rn), op.Rev.Name, stabilityText(r), stabilityText(b))
}
