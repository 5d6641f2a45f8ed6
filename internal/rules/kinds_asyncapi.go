package rules

import (
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
)

// AsyncAPI operations are named from the application's side: what it sends
// is response-like for its consumers, what it receives request-like for
// its producers (so message schemas are classified by the response-* and
// request-* schema rules). These rules cover operations, messages and
// channel addresses.
var (
	sendOpAdded = def(Rule{
		ID: "send-operation-added", Level: finding.NonBreaking, Side: Response,
		Summary: "the application sends on a new channel",
		Message: "operation %s was added",
		Doc: `Consumers that do not subscribe to the channel are unaffected.

  base:     operations: {}
  revision: operations: {orderCreated: {action: send, channel: {$ref: '#/channels/orders'}}}`,
	})
	sendOpRemoved = def(Rule{
		ID: "send-operation-removed", Level: finding.Breaking, Side: Response,
		Summary: "the application no longer sends on a channel",
		Message: "operation %s was removed",
		Doc: `Consumers subscribed to the channel stop receiving anything. In AsyncAPI 2.x
this is a channel's subscribe operation.

  base:     channels: {orders: {subscribe: {message: ...}}}
  revision: channels: {orders: {}}`,
	})
	receiveOpAdded = def(Rule{
		ID: "receive-operation-added", Level: finding.NonBreaking, Side: Request,
		Summary: "the application receives on a new channel",
		Message: "operation %s was added",
		Doc: `Producers gain a consumer; nothing they do changes.

  base:     operations: {}
  revision: operations: {placeOrder: {action: receive, channel: {$ref: '#/channels/commands'}}}`,
	})
	receiveOpRemoved = def(Rule{
		ID: "receive-operation-removed", Level: finding.Breaking, Side: Request,
		Summary: "the application no longer receives on a channel",
		Message: "operation %s was removed",
		Doc: `Producers keep publishing, and nothing consumes what they send. In AsyncAPI 2.x
this is a channel's publish operation.

  base:     channels: {commands: {publish: {message: ...}}}
  revision: channels: {commands: {}}`,
	})
	sendMsgAdded = def(Rule{
		ID: "send-message-added", Level: finding.Warning, Side: Response,
		Summary: "the application sends a new kind of message on a channel",
		Message: "%s now sends message %s",
		Doc: `Consumers may receive a message they cannot decode, as with a new variant in
a response.

  base:     messages: {orderCreated: ...}
  revision: messages: {orderCreated: ..., orderCancelled: ...}`,
	})
	sendMsgRemoved = def(Rule{
		ID: "send-message-removed", Level: finding.Breaking, Side: Response,
		Summary: "the application no longer sends a kind of message",
		Message: "%s no longer sends message %s",
		Doc: `Consumers waiting for it never get it.

  base:     messages: {orderCreated: ..., orderCancelled: ...}
  revision: messages: {orderCreated: ...}`,
	})
	receiveMsgAdded = def(Rule{
		ID: "receive-message-added", Level: finding.NonBreaking, Side: Request,
		Summary: "the application accepts a new kind of message",
		Message: "%s now accepts message %s",
		Doc: `Producers may send it; what they sent before is still accepted.

  base:     messages: {placeOrder: ...}
  revision: messages: {placeOrder: ..., cancelOrder: ...}`,
	})
	receiveMsgRemoved = def(Rule{
		ID: "receive-message-removed", Level: finding.Breaking, Side: Request,
		Summary: "the application no longer accepts a kind of message",
		Message: "%s no longer accepts message %s",
		Doc: `Producers that send it are no longer understood.

  base:     messages: {placeOrder: ..., cancelOrder: ...}
  revision: messages: {placeOrder: ...}`,
	})
	addressChanged = def(Rule{
		ID: "channel-address-changed", Level: finding.Breaking,
		Summary: "a channel's address changed",
		Message: "the address of %s changed from %s to %s",
		Doc: `Producers publish to, and consumers subscribe at, the old address. A binding
that sets the real address (a Kafka topic, an AMQP queue or exchange name)
counts; other binding changes are ignored. Renaming an address parameter is
not a change.

  base:     channels: {orders: {address: 'orders.v1'}}
  revision: channels: {orders: {address: 'orders.v2'}}`,
	})
	contentTypeChanged = def(Rule{
		ID: "message-content-type-changed", Level: finding.Breaking,
		Summary: "a message's content type changed",
		Message: "content type of message %s changed from %s to %s",
		Doc: `The other side decodes with the old content type (the message's contentType,
else the document's defaultContentType).

  base:     {contentType: application/json, payload: ...}
  revision: {contentType: application/avro, payload: ...}`,
	})
	schemaFormatChanged = def(Rule{
		ID: "message-schema-format-changed", Level: finding.Breaking,
		Summary: "a message's payload schema format changed",
		Message: "schema format of message %s changed from %s to %s",
		Doc: `A payload described in another schema language (JSON Schema → Avro, Avro →
Protobuf) is serialised differently. Versions of one format, and the JSON
Schema, AsyncAPI Schema and OpenAPI Schema formats among themselves, count as
the same.

  base:     {schemaFormat: application/vnd.apache.avro;version=1.9.0, payload: ...}
  revision: {schemaFormat: application/vnd.google.protobuf;version=3, payload: ...}`,
	})
	opaqueChanged = def(Rule{
		ID: "message-opaque-payload-changed", Level: finding.Warning,
		Summary: "a payload in a schema format relay does not compare changed",
		Message: "the %s payload of message %s changed; relay does not compare that format, review it by hand",
		Doc: `relay reads JSON Schema, AsyncAPI Schema and OpenAPI Schema payloads. Another
format (Avro, Protobuf, RAML…) is compared as written, $refs not followed.

  base:     {schemaFormat: application/vnd.apache.avro;version=1.9.0, payload: {$ref: 'order-v1.avsc'}}
  revision: {schemaFormat: application/vnd.apache.avro;version=1.9.0, payload: {$ref: 'order-v2.avsc'}}`,
	})
)

// asyncRules picks a rule by the operation's kind: [send, receive].
func asyncRule(k diff.OpKind, send, receive *Rule) *Rule {
	if k == diff.Send {
		return send
	}
	return receive
}

func checkAsyncOp(e *emitter, op *diff.OpPair) {
	b, r := op.Base, op.Rev
	switch {
	case r == nil:
		e.onOp(op, asyncRule(b.Kind, sendOpRemoved, receiveOpRemoved), removed(b.Node, nearestRev(e, b.Node)), quote(b.Name))
		return
	case b == nil:
		e.onOp(op, asyncRule(r.Kind, sendOpAdded, receiveOpAdded), added(r.Node), quote(r.Name))
		return
	}
	if diff.NormalizePath(b.Path) != diff.NormalizePath(r.Path) {
		e.onOp(op, addressChanged, changed(b.Async.AddressNode, r.Async.AddressNode), quote(r.Name), addressText(b.Path), addressText(r.Path))
	}
	if bi, ri := b.Async.ID, r.Async.ID; bi != "" && ri != "" && bi != ri {
		e.onOp(op, opIDChanged, changed(b.Async.IDNode, r.Async.IDNode), r.Name, quote(bi), quote(ri))
	}
	for _, k := range []string{"title", "summary", "description"} {
		bn, rn := b.Node.Get(k), r.Node.Get(k)
		if !sameValue(bn, rn) {
			e.onOp(op, opDocsChanged, changedOrGone(bn, rn, r.Node), k, r.Name)
		}
	}
	checkMessages(e, op)
}

// checkMessages pairs the messages of an operation by key (diff aligned
// the keys of messages that are the same across versions).
func checkMessages(e *emitter, op *diff.OpPair) {
	b, r := op.Base, op.Rev
	revBy := map[string]*diff.Message{}
	for _, m := range r.Async.Messages {
		revBy[m.Key] = m
	}
	seen := map[string]bool{}
	for _, bm := range b.Async.Messages {
		seen[bm.Key] = true
		rm := revBy[bm.Key]
		if rm == nil {
			e.onOp(op, asyncRule(r.Kind, sendMsgRemoved, receiveMsgRemoved), removed(bm.Node, nearestRev(e, bm.Node)),
				quote(r.Name), quote(diff.MessageLabel(bm)))
			continue
		}
		checkMessage(e, op, bm, rm)
	}
	for _, rm := range r.Async.Messages {
		if !seen[rm.Key] {
			e.onOp(op, asyncRule(r.Kind, sendMsgAdded, receiveMsgAdded), added(rm.Node), quote(r.Name), quote(diff.MessageLabel(rm)))
		}
	}
}

// checkMessage compares what is not a schema: content type and payload
// format, and a payload relay cannot read.
func checkMessage(e *emitter, op *diff.OpPair, bm, rm *diff.Message) {
	name := quote(diff.MessageLabel(rm))
	if bt, rt := mediaBase(bm.ContentType), mediaBase(rm.ContentType); bt != "" && rt != "" && bt != rt {
		e.onOp(op, contentTypeChanged, changed(orNode(bm.ContentTypeNode, bm.Def), orNode(rm.ContentTypeNode, rm.Def)),
			name, quote(bm.ContentType), quote(rm.ContentType))
	}
	bf, rf := formatFamily(bm.Format), formatFamily(rm.Format)
	if bf != rf {
		e.onOp(op, schemaFormatChanged, changed(orNode(bm.FormatNode, bm.Def), orNode(rm.FormatNode, rm.Def)),
			name, quote(orText(bm.Format)), quote(orText(rm.Format)))
		return
	}
	if bm.Opaque && rm.Opaque && !sameValue(bm.Payload, rm.Payload) {
		e.onOp(op, opaqueChanged, changedOrGone(orNode(bm.Payload, bm.Def), rm.Payload, rm.Def), rf, name)
	}
}

// mediaBase is a media type without parameters, lower case.
func mediaBase(t string) string {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return strings.ToLower(strings.TrimSpace(t))
}

// formatFamily groups schema formats that describe the same serialisation:
// every JSON-like format is "json"; others are their media type without
// version parameter or +json/+yaml suffix.
func formatFamily(f string) string {
	if load.JSONSchemaFormat(f) {
		return "json"
	}
	return strings.TrimSuffix(strings.TrimSuffix(mediaBase(f), "+json"), "+yaml")
}

func orText(s string) string {
	if s == "" {
		return "application/vnd.aai.asyncapi (default)"
	}
	return s
}

// addressText names an address; a 3.x channel with `address: null` has one
// only at runtime.
func addressText(a string) string {
	if a == "" {
		return "(none: set at runtime)"
	}
	return quote(a)
}
