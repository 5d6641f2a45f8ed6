package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	bodyAddedRequired = def(Rule{
		ID: "request-body-added-required", Level: finding.Breaking, Side: Request,
		Summary: "a required request body was added",
		Message: "a required request body was added to %s",
		Doc: `Existing clients send no body, so their requests are now rejected.

  base:     post: {responses: ...}
  revision: post: {requestBody: {required: true, content: ...}, responses: ...}`,
	})
	bodyAddedOptional = def(Rule{
		ID: "request-body-added-optional", Level: finding.NonBreaking, Side: Request,
		Summary: "an optional request body was added",
		Message: "an optional request body was added to %s",
		Doc: `Existing clients send no body and need not.

  base:     post: {responses: ...}
  revision: post: {requestBody: {content: ...}, responses: ...}`,
	})
	bodyRemoved = def(Rule{
		ID: "request-body-removed", Level: finding.Warning, Side: Request,
		Summary: "the request body was removed",
		Message: "the request body of %s was removed",
		Doc: `Clients that send a body are not necessarily rejected, but whatever they send
is ignored from now on.

  base:     post: {requestBody: {content: ...}}
  revision: post: {}`,
	})
	bodyRequired = def(Rule{
		ID: "request-body-became-required", Level: finding.Breaking, Side: Request,
		Summary: "the request body became required",
		Message: "the request body of %s became required",
		Doc: `Clients that send no body are now rejected.

  base:     requestBody: {content: ...}
  revision: requestBody: {required: true, content: ...}`,
	})
	bodyOptional = def(Rule{
		ID: "request-body-became-optional", Level: finding.NonBreaking, Side: Request,
		Summary: "the request body became optional",
		Message: "the request body of %s became optional",
		Doc: `Clients that send a body are still accepted.

  base:     requestBody: {required: true, content: ...}
  revision: requestBody: {content: ...}`,
	})
	reqMediaRemoved = def(Rule{
		ID: "request-media-type-removed", Level: finding.Breaking, Side: Request,
		Summary: "a request media type was removed",
		Message: "request media type %s was removed",
		Why:     "clients sending the removed type get 415, while clients of a response can ask for another type",
		Doc: `Clients that send this content type now get 415 Unsupported Media Type.

  base:     content: {application/json: ..., application/xml: ...}
  revision: content: {application/json: ...}`,
	})
	reqMediaAdded = def(Rule{
		ID: "request-media-type-added", Level: finding.NonBreaking, Side: Request,
		Summary: "a request media type was added",
		Message: "request media type %s was added",
		Doc: `The provider accepts one more content type; existing clients are unaffected.

  base:     content: {application/json: ...}
  revision: content: {application/json: ..., application/xml: ...}`,
	})
)

func checkBody(e *emitter, op *diff.OpPair) {
	bp := op.Body
	if bp == nil || op.Rev.Kind != diff.HTTP {
		return
	}
	b, r := bp.Base, bp.Rev
	name := op.Name()
	switch {
	case b == nil && r.Required:
		e.onOp(op, bodyAddedRequired, added(r.Node), name)
	case b == nil:
		e.onOp(op, bodyAddedOptional, added(r.Node), name)
	case r == nil:
		e.onOp(op, bodyRemoved, removed(b.Node, op.Rev.Node), name)
	default:
		switch {
		case !b.Required && r.Required:
			e.onOp(op, bodyRequired, changed(b.Node, r.Node.Get("required")), name)
		case b.Required && !r.Required:
			e.onOp(op, bodyOptional, changed(b.Node.Get("required"), r.Node), name)
		}
		checkMedia(e, op, bp.Media, contentNode(r.Node), reqMediaRemoved, reqMediaAdded)
		for _, mp := range bp.Media {
			checkEncoding(e, op, mp, diff.RequestSide)
		}
	}
}

func checkMedia(e *emitter, op *diff.OpPair, media []*diff.MediaPair, parent *source.Node, gone, fresh *Rule) {
	for _, mp := range media {
		switch {
		case mp.Rev == nil:
			e.onOp(op, gone, removed(mp.Base.Node, parent), quote(mp.Type))
		case mp.Base == nil:
			e.onOp(op, fresh, added(mp.Rev.Node), quote(mp.Type))
		}
	}
}
