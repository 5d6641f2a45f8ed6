package rules

import (
	"sort"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	addlRestricted = defSided(sidedSpec{
		id: "property-additional-properties-restricted", req: finding.Warning, resp: finding.NonBreaking,
		summary: "undeclared properties are no longer allowed, or must now match a schema", message: "undeclared properties of %s were %s and are now %s",
		why: "clients that send undeclared properties are rejected now (presumed rare, hence a warning); a response that emits less is harmless",
		doc: `additionalProperties (or unevaluatedProperties) went from absent or true to a
schema or false, or from a schema to false.

  base:     {type: object}
  revision: {type: object, additionalProperties: false}`,
	})
	addlRelaxed = defSided(sidedSpec{
		id: "property-additional-properties-relaxed", req: finding.NonBreaking, resp: finding.NonBreaking,
		summary: "undeclared properties are now allowed, or no longer need to match a schema", message: "undeclared properties of %s were %s and are now %s",
		doc: `Undeclared properties are presumed unused by clients, so allowing them is additive.

  base:     {type: object, additionalProperties: false}
  revision: {type: object}`,
	})
	patternPropAdded = defSided(sidedSpec{
		id: "pattern-property-added", req: finding.NonBreaking, resp: finding.NonBreaking,
		summary: "patternProperties entry added", message: "properties matching %[2]s were declared on %[1]s",
		doc: `Declares properties that were undeclared (presumed unused), as adding a property does.

  base:     {type: object}
  revision: {type: object, patternProperties: {"^x-": {type: string}}}`,
	})
	patternPropRemoved = defSided(sidedSpec{
		id: "pattern-property-removed", req: finding.Warning, resp: finding.Breaking,
		summary: "patternProperties entry removed", message: "properties matching %[2]s are no longer declared on %[1]s",
		why: "as property-removed: a request ignores (or, when closed, rejects) what clients still send; clients reading a response lose the declared properties",
		doc: `  base:     {type: object, patternProperties: {"^x-": {type: string}}}
  revision: {type: object}`,
	})
)

// propsNode is where a property list lives in the revision (for removals).
func propsNode(s *diff.Schema) *source.Node {
	if s.Node == nil {
		return nil
	}
	if p := s.Node.Get("properties"); p != nil {
		return p
	}
	return s.Node
}

func checkProps(e *emitter, sp *diff.SchemaPair) {
	for _, pp := range sp.Props {
		switch {
		case pp.Rev == nil:
			checkPropRemoved(e, sp, pp)
		case pp.Base == nil:
			checkPropAdded(e, sp, pp)
		default:
			checkPropChanged(e, sp, pp)
		}
	}
}

// invisible reports whether a property does not travel on this side:
// readOnly properties are not sent in requests, writeOnly ones not returned.
func invisible(side diff.Side, s *diff.Schema) bool {
	if side == diff.RequestSide {
		return s.ReadOnly
	}
	return s.WriteOnly
}

func checkPropRemoved(e *emitter, sp *diff.SchemaPair, pp *diff.PropPair) {
	if invisible(sp.Side, pp.Base.Schema) {
		return
	}
	if sp.Side == diff.RequestSide && sp.Rev.IsRequired(pp.Name) {
		// Still listed in required: the provider still demands the field,
		// it only stopped describing its value. What clients feel is the
		// requiredness, not a removal.
		if !sp.Base.IsRequired(pp.Name) {
			e.onSchema(sp, becameRequired.on(sp.Side), changed(pp.Base.Node, sp.Rev.Required[pp.Name]), quote(pp.Name))
		}
		return
	}
	if sp.Side == diff.RequestSide && sp.Rev.AddlFalse {
		e.onSchema(sp, closedPropRemoved, removed(pp.Base.Node, propsNode(sp.Rev)), quote(pp.Name))
		return
	}
	e.onSchema(sp, propRemoved.on(sp.Side), removed(pp.Base.Node, propsNode(sp.Rev)), quote(pp.Name))
}

func checkPropAdded(e *emitter, sp *diff.SchemaPair, pp *diff.PropPair) {
	if invisible(sp.Side, pp.Rev.Schema) {
		return
	}
	// A name the base already required was never optional to send: a
	// property declared beside an old `required` demands nothing new.
	if sp.Side == diff.RequestSide && sp.Rev.IsRequired(pp.Name) && !sp.Base.IsRequired(pp.Name) {
		e.onSchema(sp, requiredPropAdded, added(pp.Rev.Node), quote(pp.Name))
		return
	}
	e.onSchema(sp, propAdded.on(sp.Side), added(pp.Rev.Node), quote(pp.Name))
}

func checkPropChanged(e *emitter, sp *diff.SchemaPair, pp *diff.PropPair) {
	bs, rs := pp.Base.Schema, pp.Rev.Schema
	switch {
	case sp.Side == diff.RequestSide && !bs.ReadOnly && rs.ReadOnly:
		e.onSchema(sp, becameReadOnly, changed(pp.Base.Node, rs.ReadOnlyN), quote(pp.Name))
		return
	case sp.Side == diff.ResponseSide && !bs.WriteOnly && rs.WriteOnly:
		e.onSchema(sp, becameWriteOnly, changed(pp.Base.Node, rs.WriteOnlyN), quote(pp.Name))
		return
	case invisible(sp.Side, bs) && !invisible(sp.Side, rs):
		// readOnly lifted in a request, writeOnly lifted in a response: the
		// field starts travelling on this side, exactly as if added here.
		checkPropAdded(e, sp, pp)
		return
	}
	if invisible(sp.Side, rs) {
		return
	}
	checkRequiredness(e, sp, pp.Name, pp.Base.Node)
	if !bs.Deprecated && rs.Deprecated {
		e.onSchema(sp, propDeprecated.on(sp.Side), changed(pp.Base.Node, rs.DeprecatedN), quote(pp.Name))
	}
}

// checkRequiredness compares whether name is required on both sides.
// baseProp is the property in the base (or, lacking one, the base schema):
// a finding's base location must point into the base version, never the
// revision.
func checkRequiredness(e *emitter, sp *diff.SchemaPair, name string, baseProp *source.Node) {
	b, r := sp.Base, sp.Rev
	bReq, rReq := b.IsRequired(name), r.IsRequired(name)
	switch {
	case !bReq && rReq:
		e.onSchema(sp, becameRequired.on(sp.Side), changed(baseProp, r.Required[name]), quote(name))
	case bReq && !rReq:
		parent := r.ReqNode
		if parent == nil {
			parent = r.Node
		}
		e.onSchema(sp, becameOptional.on(sp.Side), removed(b.Required[name], parent), quote(name))
	}
}

// checkRequiredOnly covers names listed in required without a declared
// property on either side (e.g. required by an allOf part elsewhere).
func checkRequiredOnly(e *emitter, sp *diff.SchemaPair) {
	names := map[string]bool{}
	for n := range sp.Base.Required {
		names[n] = true
	}
	for n := range sp.Rev.Required {
		names[n] = true
	}
	var sorted []string
	for n := range names {
		if sp.Base.Prop(n) == nil && sp.Rev.Prop(n) == nil {
			sorted = append(sorted, n)
		}
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		checkRequiredness(e, sp, n, sp.Base.Node)
	}
}

// openness ranks what an object admits beyond its declared properties:
// anything (absent, true, {}), values of a schema, nothing (false).
func openness(s *diff.Schema) int {
	switch {
	case s.AddlFalse:
		return 0
	case s.Addl != nil && !s.Addl.Unconstrained():
		return 1
	}
	return 2
}

var opennessText = [...]string{"rejected", "constrained by a schema", "allowed"}

// checkAddl: a schema-valued additionalProperties appearing restricts as
// false does (only by less); changes inside two schemas are the child
// pair's business.
func checkAddl(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	bo, ro := openness(b), openness(r)
	switch {
	case ro < bo:
		e.onSchema(sp, addlRestricted.on(sp.Side), at(b.AddlNode, r.AddlNode, b, r), what(r), opennessText[bo], opennessText[ro])
	case ro > bo:
		e.onSchema(sp, addlRelaxed.on(sp.Side), at(b.AddlNode, r.AddlNode, b, r), what(r), opennessText[bo], opennessText[ro])
	}
}

// checkPatternProps: a pattern is a family of properties, judged as one.
// A pattern whose value schema changed is paired as a child and compared
// like a property's.
func checkPatternProps(e *emitter, sp *diff.SchemaPair) {
	for _, pp := range sp.PatternProps {
		switch {
		case pp.Rev == nil && !invisible(sp.Side, pp.Base.Schema):
			parent := sp.Rev.PatternPropsNode
			if parent == nil {
				parent = sp.Rev.Node
			}
			e.onSchema(sp, patternPropRemoved.on(sp.Side), removed(pp.Base.Node, parent), what(sp.Rev), quote(pp.Name))
		case pp.Base == nil && !invisible(sp.Side, pp.Rev.Schema):
			e.onSchema(sp, patternPropAdded.on(sp.Side), added(pp.Rev.Node), what(sp.Rev), quote(pp.Name))
		}
	}
}
