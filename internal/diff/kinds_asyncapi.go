package diff

import (
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// AsyncAPI 2.x and 3.x are read into one model. In 2.x a channel (keyed by
// its address) has up to two operations named from the client's side: its
// `subscribe` is what the application sends, its `publish` what it
// receives. In 3.x an operation names its action and points at a channel
// (keyed by an id, with an `address`); a request/reply operation's reply
// goes the other way and is an operation of its own, named "send CHANNEL
// (reply to receive X)". Bindings are ignored except where they set the
// real address (a Kafka topic, an AMQP queue or exchange name).

// AsyncOp is what an AsyncAPI operation adds to Operation.
type AsyncOp struct {
	// Channel is the channel's key: its id in 3.x, its address in 2.x.
	Channel string
	// ID is the operationId (2.x) or the operations key (3.x); IDNode is
	// where it is written.
	ID     string
	IDNode *source.Node
	// AddressNode is where the effective address is written.
	AddressNode *source.Node
	Messages    []*Message
	// ReplyTo is the name of the operation this one replies for ("" when
	// it is not a reply).
	ReplyTo string
	// AddrKey is the key the action and address give, before uniqueOps
	// tells apart operations that share them.
	AddrKey string
	// Shape stands for every message the operation carries (opShape).
	Shape string
}

// Message is one message an AsyncAPI operation carries.
type Message struct {
	// Key pairs messages across versions (alignAsync makes a paired
	// revision message take its base's key).
	Key string
	// IDs are the names the message is known by, strongest first: the 3.x
	// channel key, messageId, name, the component its $ref names. Messages
	// of a 2→3 migration pair by any of them.
	IDs []string
	// Node is where the message is listed (its $ref site in 2.x, the
	// channel's messages entry in 3.x); Def is the message object.
	Node, Def *source.Node
	// ContentType is the message's, else the document's default.
	ContentType     string
	ContentTypeNode *source.Node
	// Format is the payload's schemaFormat ("" for the default AsyncAPI
	// Schema); Opaque marks a format relay does not compare.
	Format     string
	FormatNode *source.Node
	Opaque     bool
	Payload    *source.Node
	Headers    *source.Node
	// Shape stands for what the message carries, whatever it is named
	// (messageShape).
	Shape string
}

type asyncBuilder struct {
	api  *API
	doc  *load.Document
	root *source.Node
	// defaultCT is the document's defaultContentType.
	defaultCT *source.Node
	// pathPrefix is the path every server shares, without its slashes:
	// part of every channel's address (fullAddress).
	pathPrefix string
}

func buildAsyncAPI(doc *load.Document, _ Options) (*API, error) {
	root := doc.Main.Root
	api := newKindAPI(doc)
	api.Info = root.Get("info")
	api.SecuritySchemes = root.Get("components").Get("securitySchemes")
	b := &asyncBuilder{api: api, doc: doc, root: root, defaultCT: root.Get("defaultContentType")}
	for _, k := range []string{"channels", "operations", "servers"} {
		if n := root.Get(k); n != nil && n.Kind != source.Object {
			return nil, source.Errorf(n.ValuePos(), "%s must be an object, not %s", k, article(n.Kind))
		}
	}
	api.Servers = b.servers()
	if strings.HasPrefix(doc.SpecVersion, "2") {
		b.build2()
	} else {
		b.build3()
	}
	uniqueOps(api.Operations)
	return api, nil
}

// servers reads 2.x url or 3.x host+pathname, prefixed with the protocol,
// so the same broker reads the same across versions. When every server
// has the same path, the path is part of each channel's address instead
// (fullAddress): moving "/v1" from the server into the channel addresses
// leaves every URL, so every operation, as it was.
func (b *asyncBuilder) servers() []*Server {
	var out []*Server
	paths := map[string]bool{}
	var hosts []string
	for _, s := range children(b.root.Get("servers")) {
		d := b.doc.Deref(s)
		host, pathname := d.Str("host"), d.Str("pathname")
		if u := d.Str("url"); u != "" {
			host, pathname = splitServerURL(u)
		}
		if p := d.Str("protocol"); p != "" && !strings.Contains(host, "://") {
			host = p + "://" + host
		}
		hosts = append(hosts, host)
		paths[strings.Trim(pathname, "/")] = true
		out = append(out, &Server{URL: host + pathname, Node: s})
	}
	if len(paths) == 1 {
		for p := range paths {
			b.pathPrefix = p
		}
		for i, s := range out {
			s.URL = hosts[i]
		}
	}
	return out
}

// splitServerURL cuts a 2.x server url into what names the host and its
// path ("" when it has none).
func splitServerURL(u string) (host, pathname string) {
	rest, scheme := u, ""
	if i := strings.Index(u, "://"); i >= 0 {
		scheme, rest = u[:i+3], u[i+3:]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return scheme + rest[:i], rest[i:]
	}
	return u, ""
}

// fullAddress puts the servers' common path before a channel's address;
// an address set at runtime ("") stays so.
func (b *asyncBuilder) fullAddress(addr string) string {
	if b.pathPrefix == "" || addr == "" {
		return addr
	}
	return b.pathPrefix + "/" + strings.TrimPrefix(addr, "/")
}

// build2 reads AsyncAPI 2.x: subscribe is what the application sends.
func (b *asyncBuilder) build2() {
	for _, ch := range children(b.root.Get("channels")) {
		item := b.doc.Deref(ch)
		if item.Kind != source.Object {
			continue
		}
		addr, addrNode := effectiveAddress(ch.Key, ch, item)
		if addrNode == ch { // not a binding's topic or queue
			addr = b.fullAddress(addr)
		}
		for _, v := range []struct {
			key  string
			kind OpKind
		}{{"subscribe", Send}, {"publish", Receive}} {
			opNode := item.Get(v.key)
			def := b.doc.Deref(opNode)
			if def == nil || def.Kind != source.Object {
				continue
			}
			op := newAsyncOp(v.kind, ch.Key, addr, opNode)
			op.Async.AddressNode = addrNode
			op.Async.ID, op.Async.IDNode = def.Str("operationId"), def.Get("operationId")
			op.Async.Messages = b.messages2(def)
			b.api.Operations = append(b.api.Operations, op)
		}
	}
}

// messages2 lists a 2.x operation's message, or the items of its oneOf.
func (b *asyncBuilder) messages2(op *source.Node) []*Message {
	site := op.Get("message")
	if site == nil {
		return nil
	}
	sites := []*source.Node{site}
	if one := b.doc.Deref(site).Get("oneOf"); one != nil && one.Kind == source.Array {
		sites = one.Children
	}
	var out []*Message
	for i, s := range sites {
		out = append(out, b.message(s, "", i, len(sites)))
	}
	return out
}

// build3 reads AsyncAPI 3.x operations.
func (b *asyncBuilder) build3() {
	for _, om := range children(b.root.Get("operations")) {
		def := b.doc.Deref(om)
		kind, ok := actionKind(def.Str("action"))
		ch := b.doc.Deref(def.Get("channel"))
		if !ok || ch == nil || ch.Kind != source.Object {
			continue
		}
		op := b.op3(kind, ch, def.Get("messages"), om)
		op.Async.ID, op.Async.IDNode = om.Key, om
		b.api.Operations = append(b.api.Operations, op)
		if reply := b.doc.Deref(def.Get("reply")); reply != nil && reply.Kind == source.Object {
			b.reply3(op, kind, reply)
		}
	}
}

func actionKind(action string) (OpKind, bool) {
	switch action {
	case "send":
		return Send, true
	case "receive":
		return Receive, true
	}
	return 0, false
}

// op3 builds a 3.x operation on channel ch carrying the listed messages
// (every message of the channel when the list is absent).
func (b *asyncBuilder) op3(kind OpKind, ch, list, node *source.Node) *Operation {
	addr, addrNode := effectiveAddress(ch.Str("address"), ch.Get("address"), ch)
	if addrNode == ch.Get("address") { // not a binding's topic or queue
		addr = b.fullAddress(addr)
	}
	op := newAsyncOp(kind, ch.Key, addr, node)
	op.Async.AddressNode = addrNode
	if addrNode == nil {
		op.Async.AddressNode = ch
	}
	listed := list != nil && list.Kind == source.Array
	sites := children(ch.Get("messages"))
	if listed {
		sites = list.Children
	}
	for i, s := range sites {
		entry := s
		if t := b.doc.Target(s); listed && t != nil {
			entry = t // the channel's messages entry the operation's list points at
		}
		op.Async.Messages = append(op.Async.Messages, b.message(entry, entry.Key, i, len(sites)))
	}
	return op
}

// reply3 adds the reply of a request/reply operation: it flows the other
// way, on the reply channel (or the operation's own when none is named).
func (b *asyncBuilder) reply3(parent *Operation, kind OpKind, reply *source.Node) {
	flipped := Send
	if kind == Send {
		flipped = Receive
	}
	ch := b.doc.Deref(reply.Get("channel"))
	if ch == nil || ch.Kind != source.Object {
		ch = b.doc.Deref(b.doc.Deref(parent.Node).Get("channel"))
	}
	op := b.op3(flipped, ch, reply.Get("messages"), reply)
	op.Async.ReplyTo = parent.Name
	op.Name += " (reply to " + parent.Name + ")"
	op.Key = "reply to " + parent.Key
	b.api.Operations = append(b.api.Operations, op)
}

// newAsyncOp starts an operation; its key is the action and the address
// (parameter names normalised), or the channel for a dynamic address (3.x
// `address: null`, set at runtime).
func newAsyncOp(kind OpKind, channel, addr string, node *source.Node) *Operation {
	verb := "send"
	if kind == Receive {
		verb = "receive"
	}
	key := verb + " " + NormalizePath(addr)
	if addr == "" {
		key = verb + " channel " + channel
	}
	return &Operation{
		Kind: kind, Method: strings.ToUpper(verb), Path: addr, Node: node,
		Name: verb + " " + channel, Key: key,
		Async: &AsyncOp{Channel: channel},
	}
}

// effectiveAddress is the channel's address, unless a binding names the
// real one (Kafka topic, AMQP queue or exchange).
func effectiveAddress(addr string, addrNode, ch *source.Node) (string, *source.Node) {
	bind := ch.Get("bindings")
	if t := bind.Get("kafka").Get("topic"); t != nil && t.Kind == source.String && t.Value != "" {
		return t.Value, t
	}
	amqp := bind.Get("amqp")
	var name *source.Node
	switch amqp.Str("is") {
	case "queue":
		name = amqp.Get("queue").Get("name")
	case "routingKey":
		name = amqp.Get("exchange").Get("name")
	}
	if name != nil && name.Kind == source.String && name.Value != "" {
		return name.Value, name
	}
	return addr, addrNode
}

// uniqueOps makes names and keys unique: two operations with the same
// action on one channel are told apart by their ids, and remembers what
// else tells them apart (AddrKey, Shape).
func uniqueOps(ops []*Operation) {
	names, keys := map[string]int{}, map[string]int{}
	for _, op := range ops {
		names[op.Name]++
		keys[op.Key]++
		op.Async.AddrKey = op.Key
		op.Async.Shape = opShape(op)
	}
	for _, op := range ops {
		if names[op.Name] > 1 && op.Async.ID != "" {
			op.Name += " (" + op.Async.ID + ")"
		}
		if keys[op.Key] > 1 {
			op.Key += " #" + op.Async.ID
		}
	}
}

// message reads one message: key is its 3.x channel key ("" in 2.x), i and
// n its place in the operation's list.
func (b *asyncBuilder) message(site *source.Node, key string, i, n int) *Message {
	def := b.doc.Deref(site)
	m := &Message{Node: site, Def: def}
	field := func(k string) *source.Node { return b.traitField(def, k) }
	for _, id := range []string{key, strOf(field("messageId")), strOf(field("name")), b.refTarget(site)} {
		if id != "" {
			m.IDs = append(m.IDs, id)
		}
	}
	switch {
	case len(m.IDs) > 0:
		m.Key = m.IDs[0]
	case n > 1:
		m.Key = "message " + strconv.Itoa(i+1)
	default:
		m.Key = "message"
	}
	m.ContentTypeNode = field("contentType")
	if m.ContentTypeNode == nil {
		m.ContentTypeNode = b.defaultCT
	}
	m.ContentType = strOf(m.ContentTypeNode)
	m.Payload, m.Headers = field("payload"), field("headers")
	m.FormatNode = field("schemaFormat")
	if p := b.doc.Deref(m.Payload); p != nil && p.Has("schemaFormat") && p.Has("schema") { // 3.x Multi Format Schema
		m.FormatNode, m.Payload = p.Get("schemaFormat"), p.Get("schema")
	}
	m.Format = strOf(m.FormatNode)
	m.Opaque = !load.JSONSchemaFormat(m.Format)
	m.Shape = messageShape(b.doc, m)
	return m
}

// traitField is a message field, else the last message trait's.
func (b *asyncBuilder) traitField(def *source.Node, key string) *source.Node {
	if n := def.Get(key); n != nil {
		return n
	}
	var found *source.Node
	for _, t := range children(def.Get("traits")) {
		if n := b.doc.Deref(t).Get(key); n != nil {
			found = n
		}
	}
	return found
}

// refTarget names the component a $ref site points at ("" when inline).
func (b *asyncBuilder) refTarget(site *source.Node) string {
	if ref := site.Str("$ref"); ref != "" {
		return refName(ref)
	}
	return ""
}

// strOf is a string node's value, "" for anything else.
func strOf(n *source.Node) string {
	if n != nil && n.Kind == source.String {
		return n.Value
	}
	return ""
}
