package drift

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// schemaBackend checks the bodies of traffic to a JSON Schema document or
// a function contract with compiled schemas: a function's input is the
// request body and its output the body of a 2xx response; a bare JSON
// Schema describes the request body (role input) or the response body
// (role output). There are no operations to match, so every exchange is
// the function's, and statuses and paths are not judged.
type schemaBackend struct {
	files    map[string]*source.File // by resource URL
	request  *jsonschema.Schema
	response *jsonschema.Schema
	reqName  string // "input", or the schema role
	respName string
}

const resourceBase = "file:///relay-contract/"

func newSchemaBackend(doc *load.Document, opts Options) (backend, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(refuseLoader{}) // every file is already loaded and confined
	c.UseRegexpEngine(ecmaPattern)
	if d := doc.Draft(); d != "" {
		c.DefaultDraft(draftOf(d))
	}
	b := &schemaBackend{files: map[string]*source.File{}}
	for _, f := range doc.Files {
		u := resourceBase + doc.Paths[f]
		b.files[u] = f
		if err := c.AddResource(u, f.Root.Data(jsonNumber)); err != nil {
			return nil, fmt.Errorf("%s: cannot compile the contract's schemas: %w", f.Path, err)
		}
	}
	main := resourceBase + doc.Paths[doc.Main]
	compile := func(ptr string) (*jsonschema.Schema, error) {
		s, err := c.Compile(main + "#" + ptr)
		if err != nil {
			return nil, fmt.Errorf("%s: cannot compile the schema at %s: %s", doc.Main.Path, orRoot(ptr), firstLine(err.Error()))
		}
		return s, nil
	}
	var err error
	switch {
	case doc.Kind == load.Function:
		b.reqName, b.respName = "input", "output"
		if doc.Main.Root.Has("input") {
			if b.request, err = compile("/input"); err != nil {
				return nil, err
			}
		}
		if doc.Main.Root.Has("output") {
			if b.response, err = compile("/output"); err != nil {
				return nil, err
			}
		}
	case opts.SchemaRole == "output":
		b.respName = "output"
		b.response, err = compile("")
	default:
		b.reqName = "input"
		b.request, err = compile("")
	}
	return b, err
}

func orRoot(ptr string) string {
	if ptr == "" {
		return "the root"
	}
	return ptr
}

func draftOf(u string) *jsonschema.Draft {
	for _, d := range []*jsonschema.Draft{jsonschema.Draft4, jsonschema.Draft6, jsonschema.Draft7, jsonschema.Draft2019} {
		if strings.TrimSuffix(d.String(), "#") == strings.TrimSuffix(u, "#") {
			return d
		}
	}
	return jsonschema.Draft2020
}

func jsonNumber(n *source.Node) any { return json.Number(n.Value) }

// ecmaPattern compiles a pattern with RE2 when it can. A pattern written
// for ECMA-262 (lookahead, backreferences) that RE2 cannot compile is not
// checked, rather than making the whole contract unusable: contract
// validation already judged the pattern.
func ecmaPattern(s string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(s); err == nil {
		return re, nil
	}
	return uncheckedPattern(s), nil
}

type uncheckedPattern string

func (uncheckedPattern) MatchString(string) bool { return true }
func (p uncheckedPattern) String() string        { return string(p) }

type refuseLoader struct{}

func (refuseLoader) Load(u string) (any, error) {
	return nil, fmt.Errorf("relay loaded no file %s", u)
}

func (b *schemaBackend) check(_ context.Context, ex *Exchange, f *findings) {
	if b.request != nil && len(ex.ReqBody) > 0 {
		base := event.Event{Operation: b.reqName, Direction: event.Request, MediaType: mediaType(ex.ReqHeader.Get("Content-Type"))}
		b.body(base, b.request, ex.ReqBody, ex.ReqTruncated, f)
	}
	if b.response != nil && ex.Status >= 200 && ex.Status < 300 && len(ex.RespBody) > 0 {
		base := event.Event{Operation: b.respName, Direction: event.Response, Status: ex.Status,
			MediaType: mediaType(ex.RespHeader.Get("Content-Type"))}
		b.body(base, b.response, ex.RespBody, ex.RespTruncated, f)
	}
}

func (b *schemaBackend) body(base event.Event, s *jsonschema.Schema, body []byte, truncated bool, f *findings) {
	at := b.node(s.Location)
	if truncated {
		return // framing only: nothing here says which types the root takes cheaply
	}
	if err := checkFraming(body); err != nil {
		e := base
		e.Rule, e.Message = RuleInvalidJSON, err.Error()
		e.Observed = fmt.Sprintf("body (%d bytes)", len(body))
		e.Fix = "fix the implementation: it must send one well-formed JSON value"
		f.add(e, at)
		return
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return // checkFraming accepted it; nothing to report twice
	}
	var ve *jsonschema.ValidationError
	if err := s.Validate(v); errors.As(err, &ve) {
		for _, leaf := range leavesOf(ve) {
			b.leaf(base, leaf, v, f)
		}
	}
}

func leavesOf(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leavesOf(c)...)
	}
	return out
}

// node finds a compiled schema's location in relay's tree.
func (b *schemaBackend) node(loc string) *source.Node {
	u, frag, _ := strings.Cut(loc, "#")
	f := b.files[u]
	if f == nil {
		return nil
	}
	frag, _ = url.PathUnescape(frag)
	n, ok := f.Root.Lookup(frag)
	if !ok {
		return nil
	}
	return n
}

func (b *schemaBackend) leaf(base event.Event, ve *jsonschema.ValidationError, root any, f *findings) {
	e := base
	e.InstancePath = instancePath(ve.InstanceLocation)
	kw := ve.ErrorKind.KeywordPath()
	at := b.node(ve.SchemaURL)
	if at != nil && len(kw) > 0 {
		if k := at.Get(kw[0]); k != nil {
			at = k
		}
	}
	value := valueAt(root, ve.InstanceLocation)
	show := showAt(e.InstancePath, f.opts.ShowValues)
	e.Observed = describe(value, show)
	switch k := ve.ErrorKind.(type) {
	case *kind.Type:
		e.Rule = RuleTypeMismatch
		e.Message = fmt.Sprintf("the contract says %s, traffic carries %s", strings.Join(k.Want, " or "), k.Got)
		e.Fix = typeFix(base.Direction, k.Want, k.Got)
	case *kind.Required:
		e.Rule, e.Observed = RuleRequiredMissing, "absent"
		if len(k.Missing) == 1 { // where it is missing, as for OpenAPI
			e.InstancePath += "/" + source.EscapeToken(k.Missing[0])
		}
		e.Message = fmt.Sprintf("missing properties %s", strings.Join(quoteEach(k.Missing), ", "))
		e.Fix = requiredFix(base.Direction)
	case *kind.AdditionalProperties:
		e.Rule = RuleAdditionalProperty
		e.Message = fmt.Sprintf("properties %s are not allowed", strings.Join(quoteEach(k.Properties), ", "))
		e.Fix = "fix the implementation, or declare the properties in a new minor version of the contract"
	default:
		e.Rule = ruleOf(strings.Join(kw, "/"))
		e.Message = "the value breaks " + strings.Join(kw, "/")
		if show {
			e.Message += ": " + firstLine(ve.Error())
		}
		e.Fix = "fix the implementation, or change the schema in a new version of the contract"
	}
	f.add(e, at)
}

func quoteEach(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// valueAt follows an instance location into a decoded value.
func valueAt(v any, loc []string) any {
	for _, t := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[t]
		case []any:
			var i int
			if _, err := fmt.Sscan(t, &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
