package diff

import (
	"sort"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// Side says who produces the data a schema describes. Request data is
// produced by clients and accepted by the provider; response data is
// produced by the provider. Callbacks and webhooks flip it.
type Side uint8

// The two sides.
const (
	RequestSide Side = iota
	ResponseSide
)

// Flip returns the other side.
func (d Side) Flip() Side { return 1 - d }

func (d Side) String() string {
	if d == RequestSide {
		return "request"
	}
	return "response"
}

// OpKind distinguishes the provider's operations from what it sends.
type OpKind uint8

// The operation kinds. Part, Send and Receive are the non-HTTP kinds (see
// kinds.go): one part of a function contract or a bare JSON Schema, and one
// AsyncAPI operation.
const (
	HTTP OpKind = iota
	Webhook
	Callback
	Part
	Send
	Receive
)

// API is the comparison model of an OpenAPI 3.x or Swagger 2.0 document.
// Every element keeps the source node it came from so findings can point at
// their line; positions of a 2.0 document point into the 2.0 file.
type API struct {
	Doc        *load.Document
	Operations []*Operation
	// SecuritySchemes is components/securitySchemes (3.x) or
	// securityDefinitions (2.0).
	SecuritySchemes *source.Node
	Servers         []*Server
	Info            *source.Node
	swagger         bool
	schemas         *schemaCache
}

// Server is one base URL of the API.
type Server struct {
	URL  string
	Node *source.Node
}

// Operation is one HTTP method on one path, a webhook, or a callback; or,
// for the other kinds, one part of a contract or one AsyncAPI operation.
type Operation struct {
	Kind OpKind
	// Method is the HTTP method, upper case; for a Part its family (INPUT,
	// OUTPUT, ERROR, EVENT, SCHEMA, DEFINITION), for Send/Receive SEND or
	// RECEIVE.
	Method string
	// Path is the template as written, the webhook name, the callback
	// expression, a part's name, or an AsyncAPI channel's address.
	Path string
	// Name is how the report names it: "GET /pets/{petId}", "webhook newPet",
	// "callback onEvent POST {$request.body#/url} (POST /subscribe)".
	Name string
	// Key matches operations across versions (parameter names normalised).
	Key       string
	Node      *source.Node
	Params    []*Param
	Body      *Body
	Responses []*Response
	// Security is the effective requirement list (operation-level, else the
	// document's); nil when the operation is open.
	Security     *source.Node
	SecuritySite *source.Node
	Callbacks    []*Operation
	Deprecated   bool
	// Sunset is the x-sunset date (YYYY-MM-DD) when given.
	Sunset string
	// PartSide is the side a Part's schema is on: request for data others
	// send (a function's input), response for what it emits.
	PartSide Side
	// Async is what a Send or Receive operation adds: channel, id and
	// messages (kinds_asyncapi.go). Its messages' payloads and headers are
	// also the Body's media, so the pair graph compares them.
	Async *AsyncOp
}

// RequestSide is the side of the data this operation receives: request for
// the provider's own operations, flipped for webhooks and callbacks, which
// the provider sends. Parts carry their own side; an AsyncAPI application
// receives like a provider and sends like a webhook.
func (o *Operation) RequestSide() Side {
	switch o.Kind {
	case HTTP, Receive:
		return RequestSide
	case Part:
		return o.PartSide
	}
	return ResponseSide
}

// Param is a parameter, merged from path-item and operation level.
type Param struct {
	In, Name string
	// Key matches parameters: location plus name, with header names folded
	// to lower case and path parameters matched by their position in the
	// template (renaming {id} to {petId} is not a change).
	Key        string
	Node       *source.Node
	Required   bool
	Deprecated bool
	Schema     *source.Node
	// Text marks a value serialised by style as text (a schema, or any 2.0
	// parameter); a 3.x parameter with content is encoded by its media
	// type instead.
	Text bool
	// Ignored marks a header parameter OpenAPI 3.x says is ignored
	// (Accept, Content-Type, Authorization): content, responses and
	// security describe those headers instead.
	Ignored bool
}

// ignoredHeaders are the header parameter names OpenAPI 3.x ignores.
var ignoredHeaders = map[string]bool{"accept": true, "content-type": true, "authorization": true}

// Body is a request body (3.x requestBody, 2.0 body parameter).
type Body struct {
	Node     *source.Node
	Required bool
	Content  []*Media
}

// Media is one media type of a body or response.
type Media struct {
	Type   string
	Node   *source.Node
	Schema *source.Node
}

// Response is one status code (or range, or default) of an operation.
type Response struct {
	Code    string
	Node    *source.Node
	Headers []*Header
	Content []*Media
}

// Success reports whether the status code is a 1XX-3XX code or range.
func (r *Response) Success() bool {
	return len(r.Code) > 0 && r.Code[0] >= '1' && r.Code[0] <= '3'
}

// Header is a response header.
type Header struct {
	Name       string
	Node       *source.Node
	Required   bool
	Deprecated bool
	Schema     *source.Node
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// BuildAPI reads the comparison model from a loaded OpenAPI or Swagger document.
func BuildAPI(doc *load.Document) (*API, error) {
	root := doc.Main.Root
	api := &API{Doc: doc, Info: root.Get("info"), swagger: doc.Kind == load.Swagger}
	api.schemas = newSchemaCache(doc, schemaDialect(doc))
	b := &apiBuilder{api: api, doc: doc, root: root}
	if err := b.build(); err != nil {
		return nil, err
	}
	return api, nil
}

type apiBuilder struct {
	api  *API
	doc  *load.Document
	root *source.Node
}

func (b *apiBuilder) build() error {
	if err := b.expect(b.root.Get("paths"), source.Object, "paths"); err != nil {
		return err
	}
	if b.api.swagger {
		b.api.SecuritySchemes = b.root.Get("securityDefinitions")
		b.api.Servers = swaggerServers(b.root)
	} else {
		b.api.SecuritySchemes = b.root.Get("components").Get("securitySchemes")
		b.api.Servers = servers(b.root.Get("servers"))
	}
	for _, pi := range children(b.root.Get("paths")) {
		if strings.HasPrefix(pi.Key, "x-") {
			continue
		}
		b.api.Operations = append(b.api.Operations, b.pathItem(HTTP, pi.Key, pi, "")...)
	}
	for _, wh := range children(b.root.Get("webhooks")) {
		b.api.Operations = append(b.api.Operations, b.pathItem(Webhook, wh.Key, wh, "")...)
	}
	return nil
}

// expect checks the shape of a structural node; absent nodes are fine.
func (b *apiBuilder) expect(n *source.Node, k source.Kind, what string) error {
	if n != nil && n.Kind != k {
		return source.Errorf(n.ValuePos(), "%s must be %s, not %s", what, article(k), article(n.Kind))
	}
	return nil
}

func article(k source.Kind) string {
	switch k {
	case source.Object, source.Array:
		return "an " + k.String()
	}
	return "a " + k.String()
}

func (b *apiBuilder) pathItem(kind OpKind, path string, raw *source.Node, parent string) []*Operation {
	item := b.doc.Deref(raw)
	if item.Kind != source.Object {
		return nil
	}
	shared := item.Get("parameters")
	var ops []*Operation
	count := 0
	for _, m := range methods {
		if item.Has(m) {
			count++
		}
	}
	for _, m := range methods {
		opNode := item.Get(m)
		if opNode == nil || opNode.Kind != source.Object {
			continue
		}
		op := &Operation{Kind: kind, Method: strings.ToUpper(m), Path: path, Node: opNode}
		op.Name, op.Key = opName(kind, op.Method, path, parent, count)
		b.operation(op, shared)
		ops = append(ops, op)
	}
	return ops
}

func opName(kind OpKind, method, path, parent string, methodsInItem int) (name, key string) {
	switch kind {
	case Webhook:
		name = "webhook " + path
		if methodsInItem > 1 || method != "POST" {
			name += " " + method
		}
		return name, "webhook " + path + " " + method
	case Callback:
		name = "callback " + parent
		return name, "callback " + parent
	}
	return method + " " + path, method + " " + NormalizePath(path)
}

func (b *apiBuilder) operation(op *Operation, shared *source.Node) {
	n := op.Node
	op.Deprecated, _ = n.Bool("deprecated")
	op.Sunset = n.Str("x-sunset")
	op.Params = b.params(op, shared)
	if b.api.swagger {
		op.Body = b.swaggerBody(op, shared)
	} else {
		op.Body = b.body(n.Get("requestBody"))
	}
	op.Responses = b.responses(n.Get("responses"))
	op.Security, op.SecuritySite = n.Get("security"), n
	if op.Security == nil && op.Kind == HTTP {
		op.Security, op.SecuritySite = b.root.Get("security"), b.root
	}
	for _, cb := range children(n.Get("callbacks")) {
		cbItem := b.doc.Deref(cb)
		for _, expr := range children(cbItem) {
			for _, c := range b.pathItem(Callback, expr.Key, expr, "") {
				c.Name = "callback " + cb.Key + " " + c.Method + " " + expr.Key + " (" + op.Name + ")"
				// The key is what goes on the wire, the method and the URL
				// expression, not the callback's name: pairOps tries names
				// first, so of two callbacks posting to one URL a renamed
				// one still pairs with its old self (issue 11).
				c.Key = "callback " + c.Method + " " + expr.Key + " (" + op.Key + ")"
				op.Callbacks = append(op.Callbacks, c)
			}
		}
	}
}

// params merges path-item and operation parameters; operation-level ones
// override path-level ones with the same location and name.
func (b *apiBuilder) params(op *Operation, shared *source.Node) []*Param {
	pathIdx := pathParamIndex(op.Path)
	byKey := map[string]*Param{}
	var order []string
	add := func(list *source.Node) {
		for _, raw := range children(list) {
			p := b.param(raw, pathIdx)
			if p == nil {
				continue
			}
			if _, seen := byKey[p.Key]; !seen {
				order = append(order, p.Key)
			}
			byKey[p.Key] = p
		}
	}
	add(shared)
	add(op.Node.Get("parameters"))
	out := make([]*Param, 0, len(order))
	for _, k := range order {
		out = append(out, byKey[k])
	}
	return out
}

func (b *apiBuilder) param(raw *source.Node, pathIdx map[string]int) *Param {
	n := b.doc.Deref(raw)
	in, name := n.Str("in"), n.Str("name")
	if n.Kind != source.Object || in == "" || (b.api.swagger && in == "body") {
		return nil
	}
	p := &Param{In: in, Name: name, Node: n}
	p.Required, _ = n.Bool("required")
	p.Deprecated, _ = n.Bool("deprecated")
	p.Key = paramKey(in, name, pathIdx)
	p.Ignored = !b.api.swagger && in == "header" && ignoredHeaders[strings.ToLower(name)]
	p.Schema = b.valueSchema(n)
	p.Text = b.api.swagger || n.Has("schema")
	return p
}

// valueSchema finds the schema of a parameter or header: the object itself
// in 2.0 (which carries its keywords inline), else its schema, else the
// schema of its single content entry.
func (b *apiBuilder) valueSchema(n *source.Node) *source.Node {
	switch {
	case b.api.swagger:
		return n
	case n.Has("schema"):
		return n.Get("schema")
	}
	if c := children(n.Get("content")); len(c) > 0 {
		return c[0].Get("schema")
	}
	return nil
}

func paramKey(in, name string, pathIdx map[string]int) string {
	switch in {
	case "header":
		return "header:" + strings.ToLower(name)
	case "path":
		if i, ok := pathIdx[name]; ok {
			return "path:#" + strconv.Itoa(i)
		}
	}
	return in + ":" + name
}

// pathParamIndex maps each {name} in a path template to its position.
func pathParamIndex(path string) map[string]int {
	idx := map[string]int{}
	for i, name := range templateParams(path) {
		idx[name] = i
	}
	return idx
}

func templateParams(path string) []string {
	var names []string
	for {
		open := strings.IndexByte(path, '{')
		if open < 0 {
			return names
		}
		end := strings.IndexByte(path[open:], '}')
		if end < 0 {
			return names
		}
		names = append(names, path[open+1:open+end])
		path = path[open+end+1:]
	}
}

// NormalizePath replaces every {param} with {} so renamed path parameters
// still match.
func NormalizePath(path string) string {
	if !strings.Contains(path, "{") {
		return path
	}
	var b strings.Builder
	depth := 0
	for _, r := range path {
		switch {
		case r == '{':
			depth++
			if depth == 1 {
				b.WriteString("{}")
			}
		case r == '}' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (b *apiBuilder) body(raw *source.Node) *Body {
	if raw == nil {
		return nil
	}
	n := b.doc.Deref(raw)
	body := &Body{Node: n}
	body.Required, _ = n.Bool("required")
	body.Content = b.content(n.Get("content"))
	return body
}

func (b *apiBuilder) content(n *source.Node) []*Media {
	var out []*Media
	for _, m := range children(n) {
		mt := b.doc.Deref(m)
		out = append(out, &Media{Type: strings.ToLower(m.Key), Node: m, Schema: mt.Get("schema")})
	}
	return out
}

func (b *apiBuilder) responses(n *source.Node) []*Response {
	var out []*Response
	for _, raw := range children(n) {
		if strings.HasPrefix(raw.Key, "x-") {
			continue
		}
		r := b.doc.Deref(raw)
		resp := &Response{Code: strings.ToUpper(raw.Key), Node: raw}
		for _, h := range children(r.Get("headers")) {
			resp.Headers = append(resp.Headers, b.header(h))
		}
		if b.api.swagger {
			resp.Content = b.swaggerMedia(r, "produces", r.Get("schema"))
		} else {
			resp.Content = b.content(r.Get("content"))
		}
		out = append(out, resp)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func (b *apiBuilder) header(raw *source.Node) *Header {
	n := b.doc.Deref(raw)
	h := &Header{Name: strings.ToLower(raw.Key), Node: raw}
	h.Required, _ = n.Bool("required")
	h.Deprecated, _ = n.Bool("deprecated")
	h.Schema = b.valueSchema(n)
	return h
}

func servers(n *source.Node) []*Server {
	var out []*Server
	for _, s := range children(n) {
		out = append(out, &Server{URL: s.Str("url"), Node: s})
	}
	return out
}

// children returns the members of an object or the items of an array.
func children(n *source.Node) []*source.Node {
	if n == nil {
		return nil
	}
	return n.Children
}
