package diff

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// Swagger 2.0 is read into the same model as OpenAPI 3: the body parameter
// becomes a request body with one media type per `consumes` entry, response
// schemas get the `produces` media types, and host/basePath/schemes become
// servers. Nodes still point into the 2.0 file.

const defaultSwaggerMedia = "application/json"

func (b *apiBuilder) swaggerBody(op *Operation, shared *source.Node) *Body {
	var bodyParam *source.Node
	for _, list := range []*source.Node{shared, op.Node.Get("parameters")} {
		for _, raw := range children(list) {
			if p := b.doc.Deref(raw); p.Str("in") == "body" {
				bodyParam = p
			}
		}
	}
	if bodyParam == nil {
		return nil
	}
	body := &Body{Node: bodyParam}
	body.Required, _ = bodyParam.Bool("required")
	body.Content = b.swaggerMedia(op.Node, "consumes", bodyParam.Get("schema"))
	return body
}

// swaggerMedia expands a 2.0 schema into one Media per declared media type
// (operation-level list, else the document's, else application/json).
func (b *apiBuilder) swaggerMedia(site *source.Node, listKey string, schema *source.Node) []*Media {
	if schema == nil {
		return nil
	}
	list := site.Get(listKey)
	if list == nil || list.Kind != source.Array {
		list = b.root.Get(listKey)
	}
	var out []*Media
	for _, t := range children(list) {
		if t.Kind == source.String {
			out = append(out, &Media{Type: strings.ToLower(t.Value), Node: schema, Schema: schema})
		}
	}
	if len(out) == 0 {
		out = append(out, &Media{Type: defaultSwaggerMedia, Node: schema, Schema: schema})
	}
	return out
}

func swaggerServers(root *source.Node) []*Server {
	host := root.Get("host")
	if host == nil {
		return nil
	}
	base := root.Str("basePath")
	schemes := children(root.Get("schemes"))
	if len(schemes) == 0 {
		return []*Server{{URL: "//" + host.Value + base, Node: host}}
	}
	var out []*Server
	for _, s := range schemes {
		out = append(out, &Server{URL: s.Value + "://" + host.Value + base, Node: s})
	}
	return out
}
