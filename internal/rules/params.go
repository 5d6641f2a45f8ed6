package rules

import (
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	paramRemoved = def(Rule{
		ID: "request-parameter-removed", Level: finding.Warning, Side: Request,
		Summary: "a request parameter was removed",
		Message: "%s parameter %s was removed",
		Doc: `Clients that still send the parameter are not rejected (unknown query
parameters and headers are ignored), but whatever it controlled is gone, so
some clients may behave differently.

  base:     parameters: [{name: limit, in: query}]
  revision: parameters: []`,
	})
	paramAddedRequired = def(Rule{
		ID: "request-parameter-added-required", Level: finding.Breaking, Side: Request,
		Summary: "a required request parameter was added",
		Message: "required %s parameter %s was added",
		Doc: `Existing clients do not send it, so their requests are now rejected.

  base:     parameters: []
  revision: parameters: [{name: tenant, in: header, required: true}]`,
	})
	paramAddedOptional = def(Rule{
		ID: "request-parameter-added-optional", Level: finding.NonBreaking, Side: Request,
		Summary: "an optional request parameter was added",
		Message: "optional %s parameter %s was added",
		Doc: `Existing clients do not send it and need not.

  base:     parameters: []
  revision: parameters: [{name: limit, in: query}]`,
	})
	paramRequired = def(Rule{
		ID: "request-parameter-became-required", Level: finding.Breaking, Side: Request,
		Summary: "a request parameter became required",
		Message: "%s parameter %s became required",
		Doc: `Clients that omit it are now rejected.

  base:     {name: limit, in: query}
  revision: {name: limit, in: query, required: true}`,
	})
	paramOptional = def(Rule{
		ID: "request-parameter-became-optional", Level: finding.NonBreaking, Side: Request,
		Summary: "a request parameter became optional",
		Message: "%s parameter %s became optional",
		Doc: `Clients that send it are still accepted.

  base:     {name: limit, in: query, required: true}
  revision: {name: limit, in: query}`,
	})
	paramMoved = def(Rule{
		ID: "request-parameter-moved", Level: finding.Breaking, Side: Request,
		Summary: "a request parameter moved to another location",
		Message: "parameter %s moved from %s to %s",
		Doc: `Clients send it where it used to be, and the provider no longer looks there.

  base:     {name: version, in: query}
  revision: {name: version, in: header}`,
	})
	paramIgnoredHeader = def(Rule{
		ID: "request-parameter-ignored-header-changed", Level: finding.Info, Side: Request,
		Summary: "an Accept, Content-Type or Authorization header parameter was added, removed or changed",
		Message: "header parameter %s %s; OpenAPI ignores it",
		Why: `OpenAPI 3.x ignores header parameters named Accept, Content-Type and
Authorization: the media types of content and responses and the security
requirements say what those headers carry, and the rules for those report
real changes. Swagger 2.0 has no such clause (its generators turn such a
parameter into an argument), so there it is compared like any parameter.`,
		Doc: `A documentation-only change: tooling and validators skip these parameters.

  base:     parameters: []
  revision: parameters: [{name: Authorization, in: header, required: true}]`,
	})
	paramDeprecated = def(Rule{
		ID: "request-parameter-deprecated", Level: finding.Info, Side: Request,
		Summary: "a request parameter was marked deprecated",
		Message: "%s parameter %s is now deprecated",
		Doc: `A deprecation mark announces a future removal; nothing changes yet.

  base:     {name: page, in: query}
  revision: {name: page, in: query, deprecated: true}`,
	})
)

func checkParams(e *emitter, op *diff.OpPair) {
	if op.Rev.Kind != diff.HTTP {
		return // the provider sends callback parameters; their schemas are still compared
	}
	moved := movedParams(op.Params)
	for _, pp := range op.Params {
		if m, ok := moved[pp]; ok {
			if pp.Base != nil {
				e.onOp(op, paramMoved, changed(pp.Base.Node, m.Rev.Node), quote(pp.Base.Name), pp.Base.In, m.Rev.In)
			}
			continue
		}
		checkParam(e, op, pp)
	}
}

// movedParams pairs a removed parameter with an added one of the same name
// in another location; both ends map to the partner.
func movedParams(pairs []*diff.ParamPair) map[*diff.ParamPair]*diff.ParamPair {
	out := map[*diff.ParamPair]*diff.ParamPair{}
	for _, gone := range pairs {
		if gone.Rev != nil {
			continue
		}
		for _, fresh := range pairs {
			if fresh.Base == nil && out[fresh] == nil && strings.EqualFold(fresh.Rev.Name, gone.Base.Name) && fresh.Rev.In != gone.Base.In {
				out[gone], out[fresh] = fresh, gone
				break
			}
		}
	}
	return out
}

func checkParam(e *emitter, op *diff.OpPair, pp *diff.ParamPair) {
	b, r := pp.Base, pp.Rev
	if checkIgnoredHeader(e, op, pp) {
		return
	}
	switch {
	case r == nil:
		e.onOp(op, paramRemoved, removed(b.Node, paramsParent(op)), b.In, quote(b.Name))
	case b == nil && r.Required:
		e.onOp(op, paramAddedRequired, added(r.Node), r.In, quote(r.Name))
	case b == nil:
		e.onOp(op, paramAddedOptional, added(r.Node), r.In, quote(r.Name))
	default:
		checkParamChanged(e, op, b, r)
		checkParamWire(e, op, pp)
	}
}

func checkParamChanged(e *emitter, op *diff.OpPair, b, r *diff.Param) {
	switch {
	case !b.Required && r.Required:
		e.onOp(op, paramRequired, changed(b.Node, r.Node.Get("required")), r.In, quote(r.Name))
	case b.Required && !r.Required:
		e.onOp(op, paramOptional, changed(b.Node.Get("required"), r.Node), r.In, quote(r.Name))
	}
	if !b.Deprecated && r.Deprecated {
		e.onOp(op, paramDeprecated, changed(b.Node, r.Node.Get("deprecated")), r.In, quote(r.Name))
	}
}

// paramsParent is where a removed parameter is shown: the revision's
// parameter list (array indexes shift, so the same index may now hold
// another parameter), else the operation.
func paramsParent(op *diff.OpPair) *source.Node {
	if p := op.Rev.Node.Get("parameters"); p != nil {
		return p
	}
	return op.Rev.Node
}

// checkIgnoredHeader reports a header parameter OpenAPI ignores as info and
// says whether it was one (then nothing else is compared).
func checkIgnoredHeader(e *emitter, op *diff.OpPair, pp *diff.ParamPair) bool {
	b, r := pp.Base, pp.Rev
	switch {
	case r == nil && b.Ignored:
		e.onOp(op, paramIgnoredHeader, removed(b.Node, paramsParent(op)), quote(b.Name), "was removed")
	case b == nil && r.Ignored:
		e.onOp(op, paramIgnoredHeader, added(r.Node), quote(r.Name), "was added")
	case b != nil && r != nil && (b.Ignored || r.Ignored):
		if b.Required != r.Required {
			e.onOp(op, paramIgnoredHeader, changed(b.Node, r.Node), quote(r.Name), "changed")
		}
	default:
		return false
	}
	return true
}
