package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

// Callbacks and webhooks are requests the provider sends to its consumers,
// so their bodies and parameters are judged like responses: whatever
// consumers read must keep arriving. Schema changes inside them are already
// classified on the response side by the pair graph; these rules cover
// what the request-side presence rules skip for them.
var (
	sentBodyRemoved = def(Rule{
		ID: "callback-body-removed", Level: finding.Breaking, Side: Response,
		Summary: "a callback or webhook no longer sends a body",
		Message: "%s no longer sends a request body",
		Why:     "the provider sends callbacks, so a body it stops sending is data consumers lose (its request-side mirror, request-body-removed, is only a warning)",
		Doc: `Consumers that read the body get nothing.

  base:     webhooks: {petAdopted: {post: {requestBody: {content: ...}}}}
  revision: webhooks: {petAdopted: {post: {}}}`,
	})
	sentBodyAdded = def(Rule{
		ID: "callback-body-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a callback or webhook now sends a body",
		Message: "%s now sends a request body",
		Doc: `Consumers that ignore bodies are unaffected.

  base:     callbacks: {onEvent: {"{$request.body#/url}": {post: {}}}}
  revision: callbacks: {onEvent: {"{$request.body#/url}": {post: {requestBody: {content: ...}}}}}`,
	})
	sentBodyOptional = def(Rule{
		ID: "callback-body-became-optional", Level: finding.Breaking, Side: Response,
		Summary: "a callback or webhook body is no longer guaranteed",
		Message: "the request body %s sends became optional",
		Why:     "consumers of a callback may have relied on the body always being sent",
		Doc: `  base:     post: {requestBody: {required: true, content: ...}}
  revision: post: {requestBody: {content: ...}}`,
	})
	sentMediaRemoved = def(Rule{
		ID: "callback-media-type-removed", Level: finding.Breaking, Side: Response,
		Summary: "a callback or webhook no longer sends a media type",
		Message: "%s no longer sends media type %s",
		Doc: `Consumers that parse this content type receive another one.

  base:     requestBody: {content: {application/json: ..., application/xml: ...}}
  revision: requestBody: {content: {application/json: ...}}`,
	})
	sentParamRemoved = def(Rule{
		ID: "callback-parameter-removed", Level: finding.Breaking, Side: Response,
		Summary: "a callback or webhook no longer sends a parameter",
		Message: "%s no longer sends %s parameter %s",
		Why:     "consumers read what callbacks send; request-parameter-removed is only a warning because providers ignore unknown parameters",
		Doc: `  base:     parameters: [{name: X-Signature, in: header, required: true}]
  revision: parameters: []`,
	})
	sentParamAdded = def(Rule{
		ID: "callback-parameter-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a callback or webhook sends a new parameter",
		Message: "%s now sends %s parameter %s",
		Doc: `Consumers ignore parameters they do not know.

  base:     parameters: []
  revision: parameters: [{name: X-Request-Id, in: header}]`,
	})
)

// checkSent applies the flipped presence rules to a callback or webhook.
func checkSent(e *emitter, op *diff.OpPair) {
	name := op.Name()
	for _, pp := range op.Params {
		switch {
		case pp.Rev == nil:
			e.onOp(op, sentParamRemoved, removed(pp.Base.Node, paramsParent(op)), name, pp.Base.In, quote(pp.Base.Name))
		case pp.Base == nil:
			e.onOp(op, sentParamAdded, added(pp.Rev.Node), name, pp.Rev.In, quote(pp.Rev.Name))
		}
	}
	bp := op.Body
	if bp == nil {
		return
	}
	switch b, r := bp.Base, bp.Rev; {
	case r == nil:
		e.onOp(op, sentBodyRemoved, removed(b.Node, op.Rev.Node), name)
	case b == nil:
		e.onOp(op, sentBodyAdded, added(r.Node), name)
	default:
		if b.Required && !r.Required {
			e.onOp(op, sentBodyOptional, changed(b.Node.Get("required"), r.Node), name)
		}
		for _, mp := range bp.Media {
			if mp.Rev == nil {
				e.onOp(op, sentMediaRemoved, removed(mp.Base.Node, contentNode(r.Node)), name, quote(mp.Type))
			}
		}
	}
}
