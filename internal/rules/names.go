package rules

import (
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// Messages name what a reviewer reads — the parameter, status, media type
// and property path — never a raw JSON pointer: the pointer already travels
// in the change's own field, and '/paths/~1pets/get/parameters/0/schema'
// asks the reader to decode what relay already knows.

// describe names a schema node by where it sits: "query parameter 'limit'",
// "200 application/json body", "'point[1]' in application/json body",
// "'Pet.tags[]'". The operation is not repeated: the report carries it.
func describe(n *source.Node) string {
	var d describer
	chain := nodeChain(n)
	for i := 0; i < len(chain); i++ {
		i += d.step(chain, i)
	}
	trail := d.trailText()
	switch {
	case trail == "" && d.anchor == "":
		return "the root schema"
	case trail == "":
		return d.anchor
	case d.anchor == "":
		return quote(trail)
	}
	return quote(trail) + " in " + d.anchor
}

// where names the operation part a schema sits inline in ("200
// application/json body", "query parameter 'limit'"), or "" for a shared
// component, a file's root or a function's input/output, whose name the
// message or the operation already gives.
func where(n *source.Node) string {
	if n == nil {
		return ""
	}
	var d describer
	chain := nodeChain(n)
	for i := 0; i < len(chain); i++ {
		i += d.step(chain, i)
	}
	switch d.anchor {
	case "input", "output":
		return ""
	}
	return d.anchor
}

// nodeChain lists the nodes from just below the file root down to n.
func nodeChain(n *source.Node) []*source.Node {
	var out []*source.Node
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		out = append(out, c)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

func token(n *source.Node) string {
	if n.Parent != nil && n.Parent.Kind == source.Array {
		return strconv.Itoa(int(n.Index))
	}
	return n.Key
}

// describer walks a pointer from the root: anchor is the last structural
// place reached (a parameter, a body, a header, a component), trail the
// schema path below it.
type describer struct {
	anchor string
	trail  []string
}

func (d *describer) at(anchor string) { d.anchor, d.trail = anchor, nil }

// step reads chain[i] and returns how many further nodes it consumed.
func (d *describer) step(chain []*source.Node, i int) int {
	tok := token(chain[i])
	next := func(k int) string {
		if i+k < len(chain) {
			return token(chain[i+k])
		}
		return ""
	}
	has := func(k int) bool { return i+k < len(chain) }
	inSchema := len(d.trail) > 0 || d.anchor != ""
	if inSchema {
		if n, ok := d.schemaStep(tok, next(1), has(1)); ok {
			return n
		}
	}
	switch tok {
	case "paths", "webhooks":
		// the path or webhook name and the method: the operation names them
		if next(2) == "parameters" || !has(2) {
			return skipN(has, 1)
		}
		return 2
	case "channels", "components", "callbacks":
		if tok == "components" {
			return 0
		}
		return skipN(has, 1)
	case "parameters":
		if has(1) {
			return d.parameter(chain[i+1], next(2))
		}
	case "requestBody", "requestBodies":
		return d.body(chain, i)
	case "responses":
		return d.response(chain, i)
	case "headers":
		if has(1) {
			d.at("header " + quote(next(1)))
			return 1 + skipIf(next(2) == "schema")
		}
	case "schemas", "definitions", "$defs", "messages":
		if has(1) {
			if tok == "messages" {
				d.at("message " + quote(next(1)))
			} else {
				d.at("")
				d.trail = []string{next(1)}
			}
			return 1
		}
	case "payload":
		if d.anchor == "" {
			d.at("message payload")
		} else {
			d.at(d.anchor + " payload")
		}
		return 0
	case "input", "output":
		if i == 0 {
			d.at(tok)
			return 0
		}
	case "errors", "events":
		if i == 0 && has(1) {
			d.at(strings.TrimSuffix(tok, "s") + " " + quote(next(1)))
			return 1
		}
	}
	if n, ok := d.schemaStep(tok, next(1), has(1)); ok {
		return n
	}
	d.trail = append(d.trail, tok)
	return 0
}

func skipN(has func(int) bool, n int) int {
	for n > 0 && !has(n) {
		n--
	}
	return n
}

func skipIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// schemaStep renders the schema keywords that make a property path.
func (d *describer) schemaStep(tok, next string, hasNext bool) (int, bool) {
	switch tok {
	case "properties", "patternProperties", "dependentSchemas":
		if hasNext {
			d.trail = append(d.trail, next)
			return 1, true
		}
	case "items", "prefixItems":
		if _, err := strconv.Atoi(next); err == nil && hasNext {
			d.trail = append(d.trail, "["+next+"]")
			return 1, true
		}
		d.trail = append(d.trail, "[]")
		return 0, true
	case "additionalProperties":
		d.trail = append(d.trail, "*")
		return 0, true
	case "allOf":
		return skipIf(hasNext), true // allOf parts merge into the schema they sit in
	case "oneOf", "anyOf":
		if hasNext {
			d.trail = append(d.trail, tok+"["+next+"]")
			return 1, true
		}
	case "schema", "content":
		return 0, false
	}
	if d.anchor == "" && len(d.trail) == 0 {
		return 0, false
	}
	if !hasNext && (tok == "contains" || tok == "not" || tok == "if" || tok == "then" || tok == "else" || tok == "propertyNames" || tok == "unevaluatedProperties" || tok == "unevaluatedItems" || tok == "additionalItems") {
		d.trail = append(d.trail, tok)
		return 0, true
	}
	return 0, false
}

func (d *describer) trailText() string {
	var b strings.Builder
	for _, s := range d.trail {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// parameter anchors at a parameter object; a Swagger 2.0 body parameter's
// schema is the request body.
func (d *describer) parameter(p *source.Node, after string) int {
	in, name := p.Str("in"), p.Str("name")
	if name == "" {
		name = p.Key
	}
	if in == "body" {
		d.at("body")
		if name != "" && name != "body" {
			d.at("body " + quote(name))
		}
		return 1 + skipIf(after == "schema")
	}
	if in != "" {
		in += " "
	}
	d.at(in + "parameter " + quote(name))
	return 1 + skipIf(after == "schema")
}

// body anchors at a request body: "application/json body", or a shared
// one "'PetBody' application/json body".
func (d *describer) body(chain []*source.Node, i int) int {
	name, used := "", 0
	if token(chain[i]) == "requestBodies" && i+1 < len(chain) {
		name, used = quote(token(chain[i+1]))+" ", 1
	}
	return used + d.content(chain, i+used, name, "body")
}

// content reads content/MEDIA/schema after chain[i].
func (d *describer) content(chain []*source.Node, i int, prefix, what string) int {
	if i+2 < len(chain) && token(chain[i+1]) == "content" {
		d.at(prefix + token(chain[i+2]) + " " + what)
		return 2 + skipIf(i+3 < len(chain) && token(chain[i+3]) == "schema")
	}
	d.at(strings.TrimSpace(prefix + what))
	return skipIf(i+1 < len(chain) && token(chain[i+1]) == "schema")
}

// response anchors at a response: "200 application/json body",
// "header 'X-Rate-Limit' of 200", or a 2.0 "200 body".
func (d *describer) response(chain []*source.Node, i int) int {
	if i+1 >= len(chain) {
		return 0
	}
	status := token(chain[i+1])
	if chain[i].Parent != nil && chain[i].Parent.Parent == nil || i > 0 && token(chain[i-1]) == "components" {
		status = quote(status) // a shared response is named, not numbered
	}
	if i+3 < len(chain) && token(chain[i+2]) == "headers" {
		d.at("header " + quote(token(chain[i+3])) + " of " + status)
		return 3 + skipIf(i+4 < len(chain) && token(chain[i+4]) == "schema")
	}
	return 1 + d.content(chain, i+1, status+" ", "body")
}
