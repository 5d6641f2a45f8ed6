package drift

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
	"github.com/relay-dev/relay/internal/validate"
)

// openAPI checks traffic against an OpenAPI 3 or Swagger 2.0 contract.
type openAPI struct {
	doc    *load.Document
	m      *validate.Model
	router *router
	// hosts are the servers' scheme and host, tried in turn when traffic
	// was recorded against another host (a staging box, localhost).
	hosts []*url.URL
	opts  Options
}

func newOpenAPI(ctx context.Context, doc *load.Document, opts Options) (backend, error) {
	m, err := validate.KinModel(ctx, doc)
	if err != nil {
		return nil, err
	}
	r, err := newRouter(m.T)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.Main.Path, err)
	}
	o := &openAPI{doc: doc, m: m, router: r, opts: opts}
	for _, s := range m.T.Servers {
		if u, err := url.Parse(serverURL(s)); err == nil && u.Host != "" {
			o.hosts = append(o.hosts, u)
		}
	}
	return o, nil
}

// serverURL is a server's URL with its variables at their defaults.
func serverURL(s *openapi3.Server) string {
	u := s.URL
	for name, v := range s.Variables {
		if v != nil {
			u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
		}
	}
	return u
}

func (o *openAPI) check(ctx context.Context, ex *Exchange, f *findings) {
	req, err := newRequest(ex)
	if err != nil {
		// The URL itself may carry secrets (?access_token=…): it is only
		// shown with --show-values.
		e := event.Event{Operation: strings.ToUpper(ex.Method) + " (unparsable URL)", Rule: RuleUndocumentedOperation,
			Direction: event.Request, Status: ex.Status, Message: "the request URL does not parse",
			Fix: "check the recording: relay reads absolute URLs and paths starting with /"}
		if f.opts.ShowValues {
			e.Message += ": " + source.Truncate(err.Error(), valueMax)
		}
		f.add(e, nil)
		return
	}
	route, params, err := o.find(req)
	if err != nil {
		o.undocumented(ex, req, f)
		return
	}
	c := &call{o: o, ex: ex, f: f, route: route, op: route.Method + " " + route.Path, params: params}
	c.opNode = o.operationNode(route)
	c.request(ctx, req, params)
	if ex.Status != 0 {
		c.response(ctx, req, params)
	}
}

// newRequest rebuilds the recorded request for kin-openapi.
func newRequest(ex *Exchange) (*http.Request, error) {
	u, err := url.Parse(ex.URL)
	if err != nil {
		return nil, err
	}
	if u.Path == "" {
		u.Path = "/"
	}
	req := &http.Request{Method: strings.ToUpper(ex.Method), URL: u, Host: u.Host, Header: ex.ReqHeader,
		Body: io.NopCloser(bytes.NewReader(ex.ReqBody)), ContentLength: int64(len(ex.ReqBody))}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	return req, nil
}

// find matches a request to an operation: as recorded first, then on each
// server's host (traffic recorded from a proxy or a test box carries its
// own host, or none).
func (o *openAPI) find(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := o.router.find(req)
	if err == nil {
		return route, params, nil
	}
	for _, h := range o.hosts {
		r2 := *req
		u := *req.URL
		u.Scheme, u.Host = h.Scheme, h.Host
		r2.URL = &u
		if route, params, err2 := o.router.find(&r2); err2 == nil {
			return route, params, nil
		}
	}
	return nil, nil, err
}

func (o *openAPI) undocumented(ex *Exchange, req *http.Request, f *findings) {
	op := strings.ToUpper(ex.Method) + " " + source.Truncate(genericPath(req.URL.Path), 200)
	e := event.Event{Operation: op, Rule: RuleUndocumentedOperation, Direction: event.Request, Status: ex.Status,
		Message: "the contract declares no operation " + op,
		Fix:     "document the operation in a new minor version of the contract, or stop serving it"}
	if f.opts.ShowValues {
		e.Observed = "path " + source.Truncate(req.URL.Path, valueMax)
	}
	f.add(e, nil)
}

// genericPath writes the segments of a path that look like identifiers
// (numbers, UUIDs, long hex or base64-ish tokens) as {id}: /owners/7 and
// /owners/8 are one undocumented operation, and an identifier, which may
// be personal, stays out of the report unless --show-values.
func genericPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if looksLikeID(s) {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

func looksLikeID(s string) bool {
	if s == "" {
		return false
	}
	digits, hex, other := 0, 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-':
			hex++
		default:
			other++
		}
	}
	switch {
	case other == 0 && hex == 0:
		return true // 7, 2026
	case other == 0 && len(s) >= 16:
		return true // a UUID, a hash
	}
	return digits > 0 && len(s) >= 20 // an opaque token: letters and digits, long
}

// operationNode is the operation's node in relay's tree, for positions.
func (o *openAPI) operationNode(route *routers.Route) *source.Node {
	item := o.doc.Deref(o.doc.Main.Root.Get("paths").Get(route.Path))
	return item.Get(strings.ToLower(route.Method))
}

// call is one matched exchange being checked.
type call struct {
	o      *openAPI
	ex     *Exchange
	f      *findings
	route  *routers.Route
	op     string
	opNode *source.Node
	params map[string]string // the path's parameters, as matched
}

func (c *call) filterOptions() *openapi3filter.Options {
	return &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		SkipSettingDefaults: true, IncludeResponseStatus: false,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.SetSchemaRegexCompiler(kinPattern)}}
}

func (c *call) request(ctx context.Context, req *http.Request, params map[string]string) {
	opts := c.filterOptions()
	base := event.Event{Operation: c.op, Direction: event.Request, MediaType: mediaType(c.ex.ReqHeader.Get("Content-Type"))}
	if rb := c.route.Operation.RequestBody; rb != nil && rb.Value != nil && len(c.ex.ReqBody) > 0 {
		at := c.opNode.Get("requestBody")
		if !c.body(base, rb.Value.Content, c.ex.ReqHeader, c.ex.ReqBody, c.ex.ReqTruncated, at) {
			opts.ExcludeRequestBody = true
		}
	} else {
		opts.ExcludeRequestBody = true
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: c.route, Options: opts}
	err := openapi3filter.ValidateRequest(ctx, in)
	c.report(err, base, c.opNode, req)
}

func (c *call) response(ctx context.Context, req *http.Request, params map[string]string) {
	base := event.Event{Operation: c.op, Direction: event.Response, Status: c.ex.Status,
		MediaType: mediaType(c.ex.RespHeader.Get("Content-Type"))}
	rs := c.route.Operation.Responses
	if rs == nil || rs.Len() == 0 {
		return
	}
	code := strconv.Itoa(c.ex.Status)
	ref := rs.Status(c.ex.Status)
	respNode := c.opNode.Get("responses").Get(code)
	if ref == nil {
		ref = rs.Default()
		respNode = c.opNode.Get("responses").Get("default")
	}
	if ref == nil || ref.Value == nil {
		e := base
		e.Rule = RuleUndocumentedStatus
		e.Message = fmt.Sprintf("%s answered %d, a status the contract does not declare", c.op, c.ex.Status)
		e.Fix = fmt.Sprintf("fix the implementation, or declare %d for %s in the contract "+
			"(a new response status may break clients: a major version unless they handle it)", c.ex.Status, c.op)
		c.f.add(e, c.opNode.Get("responses"))
		return
	}
	respNode = c.o.doc.Deref(respNode)
	opts := c.filterOptions()
	if !c.body(base, ref.Value.Content, c.ex.RespHeader, c.ex.RespBody, c.ex.RespTruncated, respNode) {
		opts.ExcludeResponseBody = true
	}
	reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: c.route, Options: opts}
	in := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn, Status: c.ex.Status,
		Header: c.ex.RespHeader, Body: io.NopCloser(bytes.NewReader(c.ex.RespBody)), Options: opts}
	if in.Header == nil {
		in.Header = http.Header{}
	}
	c.report(openapi3filter.ValidateResponse(ctx, in), base, respNode, req)
}

// body checks what kin-openapi cannot judge well: the media type, the
// framing of a JSON body, and a truncated body's leading type. It says
// whether kin should go on and validate the body against its schema.
func (c *call) body(base event.Event, content openapi3.Content, h http.Header, b []byte, truncated bool, at *source.Node) bool {
	if len(content) == 0 {
		return false
	}
	ct := h.Get("Content-Type")
	mt := base.MediaType
	media := content.Get(ct)
	if media == nil {
		e := base
		e.Rule = RuleUndocumentedMediaType
		if mt == "" {
			e.Message = "the body has no Content-Type; the contract declares " + mediaList(content)
		} else {
			e.Message = fmt.Sprintf("the body is %s; the contract declares %s", mt, mediaList(content))
		}
		e.Observed = fmt.Sprintf("%s body (%d bytes)", orNone(mt), len(b))
		e.Fix = "fix the implementation, or declare " + orNone(mt) + " for it in a new minor version of the contract"
		c.f.add(e, at.Get("content"))
		return false
	}
	if !isJSON(mt) || media.Schema == nil || media.Schema.Value == nil {
		return !truncated
	}
	sn := c.o.m.SchemaNode(media.Schema.Value)
	if truncated {
		c.leading(base, media.Schema.Value, b, sn)
		return false
	}
	if err := checkFraming(b); err != nil {
		e := base
		e.Rule = RuleInvalidJSON
		e.Message = err.Error()
		e.Observed = fmt.Sprintf("%s body (%d bytes)", mt, len(b))
		e.Fix = "fix the implementation: it declares " + mt + " and must send one well-formed JSON value"
		c.f.add(e, at.Get("content").Get(mt))
		return false
	}
	return true
}

// leading checks a truncated body's type, the one thing its first bytes
// tell for sure.
func (c *call) leading(base event.Event, s *openapi3.Schema, b []byte, at *source.Node) {
	t := leadingType(b)
	if t == "" {
		e := base
		e.Rule, e.Message = RuleInvalidJSON, "the body (truncated at the capture cap) does not start a JSON value"
		e.Fix = "fix the implementation: it must send JSON"
		c.f.add(e, at)
		return
	}
	var types []string
	if s.Type != nil {
		types = s.Type.Slice()
	}
	if typeAllows(types, s.Nullable, t) {
		return
	}
	e := base
	e.Rule = RuleTypeMismatch
	e.Message = fmt.Sprintf("the contract says %s, traffic carries %s (the body was truncated at the capture cap)",
		strings.Join(types, " or "), t)
	e.Observed = fmt.Sprintf("%s (truncated, %d bytes captured)", t, len(b))
	e.Fix = typeFix(base.Direction, types, t)
	c.f.add(e, at.Get("type"))
}

// kinPattern is ecmaPattern for kin-openapi.
func kinPattern(expr string) (openapi3.RegexMatcher, error) {
	re, err := ecmaPattern(expr)
	if err != nil {
		return nil, err
	}
	return re, nil
}

func mediaList(content openapi3.Content) string {
	out := make([]string, 0, len(content))
	for k := range content {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func orNone(mt string) string {
	if mt == "" {
		return "(no Content-Type)"
	}
	return mt
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return source.Truncate(s, 200)
}
