package validate

import (
	"context"
	"regexp"
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// asyncAPI checks an AsyncAPI 2.x or 3.x document: the walk against its
// version's tables, and the rules tables cannot say (asyncRules).
func asyncAPI(ctx context.Context, doc *load.Document, p *problems) error {
	v3 := !strings.HasPrefix(doc.SpecVersion, "2")
	set := async2
	if v3 {
		set = async3
	}
	w := newWalker(ctx, doc, set, p)
	rules := &asyncRules{v3: v3, root: doc.Main.Root}
	w.hook = rules.check
	if err := w.run(); err != nil {
		return err
	}
	// Operations are judged once every $ref has been: a message $ref that
	// points at the wrong kind of object is reported once, as that.
	for _, op := range rules.ops {
		rules.operation(w, op)
	}
	return nil
}

// asyncRules are the AsyncAPI requirements beyond fields and kinds.
type asyncRules struct {
	v3   bool
	root *source.Node
	ops  []*source.Node // 3.x operations, checked after the walk
}

func (a *asyncRules) check(w *walker, n *source.Node, t *objType) {
	switch t.name {
	case "message":
		a.payload(w, n)
	case "operation":
		if a.v3 {
			a.ops = append(a.ops, n)
		}
	case "channel":
		a.parameters(w, n)
	}
}

// payload walks a message's payload as a schema when it is written in a
// JSON Schema format (2.x: the message's schemaFormat; 3.x: a Multi
// Format Schema Object's). Avro, Protobuf and the like are left alone,
// as the loader leaves them.
func (a *asyncRules) payload(w *walker, msg *source.Node) {
	pl := msg.Get("payload")
	if pl == nil || w.skip[pl] {
		return
	}
	schema := valueSpec{{shape: shapeType, typ: w.set.types["schema"]}}
	if !a.v3 {
		if load.JSONSchemaFormat(msg.Str("schemaFormat")) {
			w.value(pl, schema)
		}
		return
	}
	if sf := pl.Get("schemaFormat"); sf != nil && pl.Has("schema") {
		if sf.Kind == source.String && load.JSONSchemaFormat(sf.Value) {
			w.value(pl.Get("schema"), schema)
		}
		return
	}
	w.value(pl, schema)
}

// operation checks, for the root operations of 3.x,
// that its channel is a $ref into the root channels and its messages are
// $refs to messages of that channel.
func (a *asyncRules) operation(w *walker, op *source.Node) {
	if op.Parent == nil || op.Parent != a.root.Get("operations") {
		return // an operation in components may point at a channel anywhere
	}
	ch := op.Get("channel")
	if ch == nil || ch.Kind != source.Object || w.skip[ch] {
		return
	}
	channel := a.rootChannel(w, ch)
	if channel == nil {
		return
	}
	msgs := op.Get("messages")
	if msgs == nil || msgs.Kind != source.Array {
		return
	}
	for _, m := range msgs.Children {
		a.operationMessage(w, m, channel)
	}
}

// rootChannel returns the channel an operation's channel $ref names when
// it is one of the root channels, reporting anything else.
func (a *asyncRules) rootChannel(w *walker, ch *source.Node) *source.Node {
	ref := ch.Get("$ref")
	if ref == nil {
		w.p.add(ch, "an operation's channel must be a $ref to a channel under #/channels, not an inline channel")
		return nil
	}
	t := w.doc.Target(ch)
	if t == nil || w.badRef[ch] {
		return nil
	}
	if t.Parent == nil || t.Parent != a.root.Get("channels") {
		w.p.add(ref, "an operation's channel must be a $ref to a channel under #/channels; %s points elsewhere",
			quote(ref.Value))
		return nil
	}
	return t
}

// operationMessage checks that one of an operation's messages is a $ref
// to a message of its channel.
func (a *asyncRules) operationMessage(w *walker, m, channel *source.Node) {
	ref := m.Get("$ref")
	if m.Kind != source.Object || ref == nil {
		w.p.add(m, "an operation's messages must be $refs to messages of its channel")
		return
	}
	t := w.doc.Target(m)
	if t == nil || w.badRef[m] {
		return
	}
	ch := w.doc.Deref(channel)
	if t.Parent == nil || (t.Parent != channel.Get("messages") && t.Parent != ch.Get("messages")) {
		w.p.add(ref, "message $ref %s is not one of the messages of the operation's channel %s",
			quote(ref.Value), quote(channel.Key))
	}
}

var channelParam = regexp.MustCompile(`\{([^{}]+)\}`)

// parameters checks that a channel declares every {parameter} of its
// address (3.x) or name (2.x): the specifications say the parameters map
// MUST contain all of them.
func (a *asyncRules) parameters(w *walker, ch *source.Node) {
	addr, at := ch.Key, ch
	if a.v3 {
		n := ch.Get("address")
		if n == nil || n.Kind != source.String {
			return
		}
		addr, at = n.Value, n
	} else if ch.Parent == nil || ch.Parent != a.root.Get("channels") {
		return // a 2.x channel in components has no name of its own
	}
	params := ch.Get("parameters")
	for _, m := range channelParam.FindAllStringSubmatch(addr, -1) {
		if params.Get(m[1]) == nil {
			w.p.add(at, "channel %s uses the parameter %s, which its parameters do not declare",
				quote(addr), quote(m[1]))
		}
	}
}
