package diff

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// alignAsync pairs AsyncAPI operations and messages before the generic
// matcher runs, by giving each paired revision element its base partner's
// key. Operations pair by action and address first (the key they are built
// with); failing that by channel id, then operation id, then a message
// they share — which is what pairs a 2.x channel keyed by its address with
// the 3.x channel that replaced it. Messages pair by key, then by any id.
// Then each operation's messages become its Body's media.
func alignAsync(base, rev *API, _ Options) {
	matchAsyncOps(base.Operations, rev.Operations)
	revByKey := map[string]*Operation{}
	for _, r := range rev.Operations {
		revByKey[r.Key] = r
	}
	for _, b := range base.Operations {
		if r := revByKey[b.Key]; r != nil && r.Kind == b.Kind {
			alignMessages(b.Async.Messages, r.Async.Messages)
		}
	}
	for _, api := range []*API{base, rev} {
		for _, op := range api.Operations {
			asyncBody(op)
		}
	}
}

// asyncMatchers are the fallbacks for operations whose keys differ, in
// order of trust. What goes on the wire comes first: the action and
// address with the same messages (several operations on one channel,
// every name changed), or sharing a message; then the names (channel,
// operation id, a message id), which pair an operation whose address
// changed; last the action and address alone, for what is left.
var asyncMatchers = []func(b, r *Operation) bool{
	func(b, r *Operation) bool {
		return b.Async.AddrKey == r.Async.AddrKey && b.Async.Shape != "" && b.Async.Shape == r.Async.Shape
	},
	func(b, r *Operation) bool { return b.Async.AddrKey == r.Async.AddrKey && shareMessage(b, r) },
	func(b, r *Operation) bool { return b.Async.Channel == r.Async.Channel },
	func(b, r *Operation) bool { return b.Async.ID != "" && b.Async.ID == r.Async.ID },
	shareMessage,
	func(b, r *Operation) bool { return b.Async.AddrKey == r.Async.AddrKey },
}

func matchAsyncOps(base, rev []*Operation) {
	keys := map[string]bool{}
	for _, r := range rev {
		keys[r.Key] = true
	}
	taken := map[*Operation]bool{}
	var open []*Operation
	for _, b := range base {
		if keys[b.Key] {
			continue
		}
		if b.Async.ReplyTo == "" {
			open = append(open, b)
		}
	}
	baseKeys := map[string]bool{}
	for _, b := range base {
		baseKeys[b.Key] = true
	}
	for _, same := range asyncMatchers {
		for i, b := range open {
			if b == nil {
				continue
			}
			for _, r := range rev {
				if !baseKeys[r.Key] && !taken[r] && r.Async.ReplyTo == "" && r.Kind == b.Kind && same(b, r) {
					rekey(rev, r, b.Key)
					taken[r], open[i] = true, nil
					break
				}
			}
		}
	}
}

// rekey gives r (and the reply it has) a new key.
func rekey(ops []*Operation, r *Operation, key string) {
	old := r.Key
	r.Key = key
	for _, o := range ops {
		if o.Key == "reply to "+old {
			o.Key = "reply to " + key
		}
	}
}

func shareMessage(b, r *Operation) bool {
	for _, bm := range b.Async.Messages {
		for _, rm := range r.Async.Messages {
			if sharesID(bm, rm) {
				return true
			}
		}
	}
	return false
}

func sharesID(a, b *Message) bool {
	for _, x := range a.IDs {
		for _, y := range b.IDs {
			if x == y {
				return true
			}
		}
	}
	return false
}

// alignMessages pairs the messages of two paired operations: by key, then
// by any shared id, then by what they carry (messageShape); an unpaired
// revision message keeps a key no base message has.
func alignMessages(base, rev []*Message) {
	uniqueMessageKeys(base)
	uniqueMessageKeys(rev)
	paired := map[*Message]bool{}
	baseKeys := map[string]bool{}
	for _, b := range base {
		baseKeys[b.Key] = true
	}
	for _, b := range base {
		for _, r := range rev {
			if !paired[r] && r.Key == b.Key {
				paired[r], paired[b] = true, true
				break
			}
		}
	}
	for _, b := range base {
		for _, r := range rev {
			if !paired[b] && !paired[r] && !baseKeys[r.Key] && sharesID(b, r) {
				r.Key = b.Key
				paired[r], paired[b] = true, true
			}
		}
	}
	for _, b := range base {
		for _, r := range rev {
			if !paired[b] && !paired[r] && !baseKeys[r.Key] && b.Shape != "" && b.Shape == r.Shape {
				r.Key = b.Key
				paired[r], paired[b] = true, true
			}
		}
	}
	pairAnonymous(base, rev, paired)
	for _, r := range rev {
		for !paired[r] && baseKeys[r.Key] {
			r.Key += "'"
		}
	}
}

// pairAnonymous pairs the one message left on each side when either has no
// name at all (a 2.x inline message): it cannot have been renamed, so it
// is the same message. So is the only message of an operation that
// carries one on each side: a name does not travel on the wire, so what
// its consumers see is its payload changing, which the schemas compare.
func pairAnonymous(base, rev []*Message, paired map[*Message]bool) {
	only := len(base) == 1 && len(rev) == 1
	var b, r []*Message
	for _, m := range base {
		if !paired[m] {
			b = append(b, m)
		}
	}
	for _, m := range rev {
		if !paired[m] {
			r = append(r, m)
		}
	}
	if len(b) == 1 && len(r) == 1 && (only || len(b[0].IDs) == 0 || len(r[0].IDs) == 0) {
		r[0].Key = b[0].Key
		paired[b[0]], paired[r[0]] = true, true
	}
}

func uniqueMessageKeys(ms []*Message) {
	seen := map[string]bool{}
	for _, m := range ms {
		for seen[m.Key] {
			m.Key += "'"
		}
		seen[m.Key] = true
	}
}

// asyncBody files each message's payload and headers as the body's media,
// so the pair graph compares them on the operation's side. A missing
// schema stands as an empty one at the message (payload: anything;
// headers: an object with no declared header), so adding or dropping one
// is compared like any other schema edit and still points at a line. An
// opaque payload is compared as written by the rules, not here.
func asyncBody(op *Operation) {
	body := &Body{Node: op.Node, Required: true}
	for _, m := range op.Async.Messages {
		anchor := m.Def
		if anchor == nil || anchor.Kind != source.Object {
			anchor = m.Node
		}
		if !m.Opaque {
			body.Content = append(body.Content, &Media{Type: m.Key + " payload", Node: m.Node, Schema: orStandIn(m.Payload, anchor, "payload", false)})
		}
		body.Content = append(body.Content, &Media{Type: m.Key + " headers", Node: m.Node, Schema: orStandIn(m.Headers, anchor, "headers", true)})
	}
	op.Body = body
}

// orStandIn returns n, or an empty schema placed at anchor that is not in
// the document (its pointer is anchor's plus key).
func orStandIn(n, anchor *source.Node, key string, object bool) *source.Node {
	if n != nil {
		return n
	}
	s := &source.Node{Kind: source.Object, Key: key, Parent: anchor, File: anchor.File,
		Line: anchor.Line, Col: anchor.Col, KeyLine: anchor.KeyLine, KeyCol: anchor.KeyCol}
	if object {
		t := *s
		t.Kind, t.Key, t.Value, t.Parent = source.String, "type", "object", s
		s.Children = []*source.Node{&t}
	}
	return s
}

// MessageLabel is how a message is named in reports: its key, without the
// marks that keep duplicate keys apart.
func MessageLabel(m *Message) string { return strings.TrimRight(m.Key, "'") }
