package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	successRemoved = def(Rule{
		ID: "response-success-status-removed", Level: finding.Breaking, Side: Response,
		Summary: "a success response status was removed",
		Message: "success response %s was removed",
		Doc: `Clients expect this status and the body that came with it; the provider now
answers differently.

  base:     responses: {"200": ..., "404": ...}
  revision: responses: {"404": ...}`,
	})
	errorRemoved = def(Rule{
		ID: "response-error-status-removed", Level: finding.Warning, Side: Response,
		Summary: "an error response status was removed",
		Message: "error response %s was removed",
		Doc: `Clients may have handled this error specifically; the provider no longer
declares it (it may still send a generic error).

  base:     responses: {"200": ..., "409": ...}
  revision: responses: {"200": ...}`,
	})
	successAdded = def(Rule{
		ID: "response-success-status-added", Level: finding.Warning, Side: Response,
		Summary: "a success response status was added",
		Message: "success response %s was added",
		Doc: `The provider may now answer with a status clients do not expect; generated
clients often treat an undeclared status as an error.

  base:     responses: {"200": ...}
  revision: responses: {"200": ..., "202": ...}`,
	})
	errorAdded = def(Rule{
		ID: "response-error-status-added", Level: finding.Warning, Side: Response,
		Summary: "an error response status was added",
		Message: "error response %s was added",
		Doc: `A new error status may reach clients that do not handle it.

  base:     responses: {"200": ...}
  revision: responses: {"200": ..., "429": ...}`,
	})
	respMediaRemoved = def(Rule{
		ID: "response-media-type-removed", Level: finding.Breaking, Side: Response,
		Summary: "a response media type was removed",
		Message: "response media type %s was removed",
		Doc: `Clients that ask for this content type no longer get it.

  base:     content: {application/json: ..., text/csv: ...}
  revision: content: {application/json: ...}`,
	})
	respMediaAdded = def(Rule{
		ID: "response-media-type-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a response media type was added",
		Message: "response media type %s was added",
		Why:     "content negotiation means a provider only sends the new type to clients that ask for it",
		Doc: `A new representation is only sent to clients that ask for it (Accept).

  base:     content: {application/json: ...}
  revision: content: {application/json: ..., text/csv: ...}`,
	})
	reqHeaderRemoved = def(Rule{
		ID: "response-required-header-removed", Level: finding.Breaking, Side: Response,
		Summary: "a required response header was removed",
		Message: "required response header %s of %s was removed",
		Doc: `Clients read a header that was guaranteed and is now gone.

  base:     headers: {X-Rate-Limit: {required: true, ...}}
  revision: headers: {}`,
	})
	optHeaderRemoved = def(Rule{
		ID: "response-optional-header-removed", Level: finding.Warning, Side: Response,
		Summary: "an optional response header was removed",
		Message: "optional response header %s of %s was removed",
		Doc: `Clients had to cope with its absence, but some may rely on it being sent.

  base:     headers: {X-Request-Id: ...}
  revision: headers: {}`,
	})
	headerAdded = def(Rule{
		ID: "response-header-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a response header was added",
		Message: "response header %s was added to %s",
		Doc: `Clients ignore headers they do not know.

  base:     headers: {}
  revision: headers: {X-Request-Id: ...}`,
	})
	headerOptional = def(Rule{
		ID: "response-header-became-optional", Level: finding.Breaking, Side: Response,
		Summary: "a response header is no longer guaranteed",
		Message: "response header %s of %s became optional",
		Doc: `Clients that read it unconditionally may now find it missing.

  base:     X-Rate-Limit: {required: true}
  revision: X-Rate-Limit: {}`,
	})
	headerRequired = def(Rule{
		ID: "response-header-became-required", Level: finding.NonBreaking, Side: Response,
		Summary: "a response header is now guaranteed",
		Message: "response header %s of %s became required",
		Doc: `The provider now always sends it; clients that checked for it still work.

  base:     X-Rate-Limit: {}
  revision: X-Rate-Limit: {required: true}`,
	})
)

func checkResponses(e *emitter, op *diff.OpPair) {
	if op.Rev.Kind != diff.HTTP {
		return // a callback's responses come from the consumer; their schemas are still compared
	}
	parent := op.Rev.Node.Get("responses")
	if parent == nil {
		parent = op.Rev.Node
	}
	for _, rp := range op.Responses {
		switch {
		case rp.Rev == nil && rp.Base.Success():
			e.onOp(op, successRemoved, removed(rp.Base.Node, parent), rp.Code)
		case rp.Rev == nil:
			e.onOp(op, errorRemoved, removed(rp.Base.Node, parent), rp.Code)
		case rp.Base == nil && rp.Rev.Success():
			e.onOp(op, successAdded, added(rp.Rev.Node), rp.Code)
		case rp.Base == nil:
			e.onOp(op, errorAdded, added(rp.Rev.Node), rp.Code)
		default:
			checkStatusRange(e, op, rp)
			checkMedia(e, op, rp.Media, contentNode(rp.Rev.Node), respMediaRemoved, respMediaAdded)
			checkHeaders(e, op, rp)
			checkLinks(e, op, rp)
			for _, mp := range rp.Media {
				checkEncoding(e, op, mp, diff.ResponseSide)
			}
		}
	}
}

func contentNode(resp *source.Node) *source.Node {
	if c := resp.Get("content"); c != nil {
		return c
	}
	return resp
}

func checkHeaders(e *emitter, op *diff.OpPair, rp *diff.ResponsePair) {
	parent := e.revDoc.Deref(rp.Rev.Node).Get("headers")
	if parent == nil {
		parent = rp.Rev.Node
	}
	for _, hp := range rp.Headers {
		b, r := hp.Base, hp.Rev
		switch {
		case r == nil && b.Required:
			e.onOp(op, reqHeaderRemoved, removed(b.Node, parent), quote(b.Node.Key), rp.Code)
		case r == nil:
			e.onOp(op, optHeaderRemoved, removed(b.Node, parent), quote(b.Node.Key), rp.Code)
		case b == nil:
			e.onOp(op, headerAdded, added(r.Node), quote(r.Node.Key), rp.Code)
		case b.Required && !r.Required:
			e.onOp(op, headerOptional, changed(b.Node, r.Node), quote(r.Node.Key), rp.Code)
		case !b.Required && r.Required:
			e.onOp(op, headerRequired, changed(b.Node, r.Node), quote(r.Node.Key), rp.Code)
		}
	}
}

var (
	statusGeneralized = def(Rule{
		ID: "response-status-generalized", Level: finding.Warning, Side: Response,
		Summary: "a status code was replaced by the range that covers it",
		Message: "response %s became %s",
		Doc: `The provider may now answer with any code of the range, which clients that
test for the exact code do not expect. The bodies are still compared.

  base:     responses: {"200": ...}
  revision: responses: {"2XX": ...}`,
	})
	statusSpecialized = def(Rule{
		ID: "response-status-specialized", Level: finding.NonBreaking, Side: Response,
		Summary: "a status range was narrowed to one code",
		Message: "response %s became %s",
		Doc: `Every code the provider still sends was already in the range.

  base:     responses: {"2XX": ...}
  revision: responses: {"200": ...}`,
	})
)

func checkStatusRange(e *emitter, op *diff.OpPair, rp *diff.ResponsePair) {
	b, r := rp.Base.Code, rp.Rev.Code
	switch {
	case b == r:
	case diff.IsRange(r):
		e.onOp(op, statusGeneralized, changed(rp.Base.Node, rp.Rev.Node), b, r)
	default:
		e.onOp(op, statusSpecialized, changed(rp.Base.Node, rp.Rev.Node), b, r)
	}
}
