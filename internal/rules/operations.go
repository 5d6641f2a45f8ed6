package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	opRemoved = def(Rule{
		ID: "operation-removed", Level: finding.Breaking,
		Summary: "an operation was removed",
		Message: "operation %s was removed",
		Doc: `Clients calling the operation now get 404 or 405. This holds for deprecated
operations too, until their x-sunset date has passed.

  base:     paths: {/pets/{id}: {delete: {...}}}
  revision: paths: {/pets/{id}: {}}`,
	})
	opRemovedAfterSunset = def(Rule{
		ID: "operation-removed-after-sunset", Level: finding.NonBreaking,
		Summary: "a deprecated operation was removed after its x-sunset date",
		Message: "deprecated operation %s was removed after its sunset date %s",
		Doc: `The operation was marked deprecated with an x-sunset date that has passed, so
clients were told to stop calling it. Still reported, so reviewers see it.

  base:     delete: {deprecated: true, x-sunset: "2025-01-31", ...}
  revision: (operation gone)`,
	})
	opAdded = def(Rule{
		ID: "operation-added", Level: finding.NonBreaking,
		Summary: "an operation was added",
		Message: "operation %s was added",
		Doc: `A new operation is additive: existing clients do not call it.

  base:     paths: {/pets: {get: ...}}
  revision: paths: {/pets: {get: ..., post: ...}}`,
	})
	opDeprecated = def(Rule{
		ID: "operation-deprecated", Level: finding.Info,
		Summary: "an operation was marked deprecated",
		Message: "operation %s is now deprecated",
		Doc: `Deprecation is a promise about the future, not a change clients see today.

  base:     get: {operationId: listPets}
  revision: get: {operationId: listPets, deprecated: true}`,
	})
	opUndeprecated = def(Rule{
		ID: "operation-deprecation-removed", Level: finding.Info,
		Summary: "an operation is no longer deprecated",
		Message: "operation %s is no longer deprecated",
		Doc: `Removing a deprecation mark restores the operation to full support.

  base:     get: {deprecated: true}
  revision: get: {}`,
	})
	opIDChanged = def(Rule{
		ID: "operation-id-changed", Level: finding.Warning,
		Summary: "an operationId changed",
		Message: "operationId of %s changed from %s to %s",
		Doc: `Generated clients name their methods after operationId, so a rename breaks
code that calls the old method name, although the wire format is unchanged.

  base:     get: {operationId: listPets}
  revision: get: {operationId: findPets}`,
	})
	opDocsChanged = def(Rule{
		ID: "operation-documentation-changed", Level: finding.Info,
		Summary: "an operation's summary, description or tags changed",
		Message: "%s of operation %s changed",
		Doc: `Documentation edits do not change what is sent or accepted.

  base:     get: {summary: List pets}
  revision: get: {summary: List all pets}`,
	})
)

func checkOperation(e *emitter, op *diff.OpPair) {
	if check := e.kindOperation(); check != nil {
		check(e, op) // parts and AsyncAPI operations: kinds.go
		return
	}
	switch {
	case op.Rev == nil:
		checkOpRemoved(e, op)
	case op.Base == nil:
		e.onOp(op, opAdded, added(op.Rev.Node), op.Rev.Name)
	default:
		checkOpChanged(e, op)
	}
}

func checkOpRemoved(e *emitter, op *diff.OpPair) {
	b := op.Base
	parent := e.revPathItem(b)
	if parent == nil {
		parent = nearestRev(e, b.Node)
	}
	if b.Deprecated && sunsetPassed(b.Sunset, e.opts.Now) {
		e.onOp(op, opRemovedAfterSunset, removed(b.Node, parent), b.Name, b.Sunset)
		return
	}
	e.onOp(op, opRemoved, removed(b.Node, parent), b.Name)
}

func checkOpChanged(e *emitter, op *diff.OpPair) {
	b, r := op.Base, op.Rev
	switch {
	case !b.Deprecated && r.Deprecated:
		e.onOp(op, opDeprecated, changed(b.Node.Get("deprecated"), r.Node.Get("deprecated")), r.Name)
	case b.Deprecated && !r.Deprecated:
		e.onOp(op, opUndeprecated, removed(b.Node.Get("deprecated"), r.Node), r.Name)
	}
	checkSunset(e, op)
	checkStability(e, op)
	if bi, ri := b.Node.Str("operationId"), r.Node.Str("operationId"); bi != ri && bi != "" && ri != "" {
		e.onOp(op, opIDChanged, changed(b.Node.Get("operationId"), r.Node.Get("operationId")), r.Name, quote(bi), quote(ri))
	}
	for _, k := range []string{"summary", "description", "tags"} {
		bn, rn := b.Node.Get(k), r.Node.Get(k)
		if !sameValue(bn, rn) {
			e.onOp(op, opDocsChanged, changedOrGone(bn, rn, r.Node), k, r.Name)
		}
	}
	if r.Kind != diff.HTTP {
		checkSent(e, op)
	}
	checkSecurity(e, op)
	checkParams(e, op)
	checkBody(e, op)
	checkResponses(e, op)
	for _, cb := range op.Callbacks {
		checkOperation(e, cb)
	}
}

// changedOrGone locates a keyword edit: at the revision's keyword when it
// exists, else as a removal from the revision's parent.
func changedOrGone(base, rev, revParent *source.Node) loc {
	if rev == nil {
		return removed(base, revParent)
	}
	return changed(base, rev)
}

// nearestRev finds, for a node of the base, the closest ancestor whose
// pointer still exists in the revision: that is where a removal is shown.
func nearestRev(e *emitter, base *source.Node) *source.Node {
	return e.revRoot.nearest(base)
}

// revPathItem finds the revision's path item for a removed operation's path,
// matching templates with parameter names normalised ({id} ~ {petId}).
func (e *emitter) revPathItem(b *diff.Operation) *source.Node {
	if b.Kind != diff.HTTP {
		return nil
	}
	want := diff.NormalizePath(b.Path)
	for _, o := range e.revOps {
		if o.Kind == diff.HTTP && diff.NormalizePath(o.Path) == want {
			return o.Node.Parent
		}
	}
	return nil
}
