package rules

import (
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

// How values travel on the wire, beside what they are: parameter style,
// explode and allowReserved (2.0 collectionFormat), the encoding of
// multipart and form bodies, and response links.
var (
	paramStyleChanged = def(Rule{
		ID: "request-parameter-style-changed", Level: finding.Breaking, Side: Request,
		Summary: "how an array or object parameter is serialised (style, explode, collectionFormat) changed",
		Message: "%s parameter %s is now serialised as %s instead of %s",
		Doc: `Clients build the query string or path from style and explode: ids=1,2 (form,
explode false) and ids=1&ids=2 (form, explode true) are different requests.
Only reported for parameters whose schema admits arrays or objects; for a
primitive value every style produces the same text.

  base:     {name: ids, in: query, schema: {type: array}, explode: false}
  revision: {name: ids, in: query, schema: {type: array}}`,
	})
	allowReservedRemoved = def(Rule{
		ID: "request-parameter-allow-reserved-removed", Level: finding.Breaking, Side: Request,
		Summary: "a query parameter no longer allows reserved characters unencoded",
		Message: "query parameter %s no longer sets allowReserved",
		Doc: `Clients that send :/?#[]@!$&'()*+,;= unencoded now send a different value.

  base:     {name: redirect, in: query, allowReserved: true}
  revision: {name: redirect, in: query}`,
	})
	allowReservedAdded = def(Rule{
		ID: "request-parameter-allow-reserved-added", Level: finding.NonBreaking, Side: Request,
		Summary: "a query parameter now allows reserved characters unencoded",
		Message: "query parameter %s now sets allowReserved",
		Doc: `Percent-encoded values are still accepted; clients may now skip the encoding.

  base:     {name: redirect, in: query}
  revision: {name: redirect, in: query, allowReserved: true}`,
	})
	encodingChangedBody = defSided(sidedSpec{
		id: "body-encoding-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "the encoding of a multipart or form body part changed",
		message: "encoding of part %s of %s changed from %s to %s",
		doc: `The encoding object says how each part of a multipart/* or
application/x-www-form-urlencoded body is written: its content type, style,
explode and allowReserved. Senders and parsers of the old encoding disagree
with the new one.

  base:     encoding: {avatar: {contentType: image/png}}
  revision: encoding: {avatar: {contentType: image/webp}}`,
	})
	linkRemoved = def(Rule{
		ID: "response-link-removed", Level: finding.Warning, Side: Response,
		Summary: "a response link was removed",
		Message: "link %s was removed from response %s of %s",
		Doc: `Links tell clients (and generated SDKs) how to follow up on a response, such as
which operation fetches the created resource. Nothing on the wire changes, but
code that follows the link loses its way (hence a warning).

  base:     responses: {"201": {links: {GetPet: {operationId: getPet}}}}
  revision: responses: {"201": {}}`,
	})
	linkAdded = def(Rule{
		ID: "response-link-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a response link was added",
		Message: "link %s was added to response %s of %s",
		Doc: `A new link is additive.

  base:     responses: {"201": {}}
  revision: responses: {"201": {links: {GetPet: {operationId: getPet}}}}`,
	})
)

// wireStyle is a parameter's effective serialisation.
type wireStyle struct {
	style   string
	explode bool
}

func (w wireStyle) String() string {
	if w.explode {
		return w.style + " with explode"
	}
	return w.style + " without explode"
}

// paramStyle resolves the defaults: form for query and cookie, simple for
// path and header; explode defaults to true only for form. A 2.0
// collectionFormat maps onto the same pair.
func paramStyle(n *source.Node, in string) wireStyle {
	if cf := n.Str("collectionFormat"); cf != "" || n.Has("type") && !n.Has("schema") {
		return swaggerStyle(cf, in)
	}
	w := wireStyle{style: n.Str("style")}
	if w.style == "" {
		w.style = "simple"
		if in == "query" || in == "cookie" {
			w.style = "form"
		}
	}
	w.explode = w.style == "form"
	if v, ok := n.Bool("explode"); ok {
		w.explode = v
	}
	return w
}

func swaggerStyle(cf, in string) wireStyle {
	switch cf {
	case "multi":
		return wireStyle{style: "form", explode: true}
	case "ssv":
		return wireStyle{style: "spaceDelimited"}
	case "pipes":
		return wireStyle{style: "pipeDelimited"}
	case "tsv":
		return wireStyle{style: "tabDelimited"}
	}
	if in == "query" || in == "formData" {
		return wireStyle{style: "form"}
	}
	return wireStyle{style: "simple"}
}

func checkParamWire(e *emitter, op *diff.OpPair, pp *diff.ParamPair) {
	b, r := pp.Base, pp.Rev
	if pp.Schema != nil && structured(pp.Schema.Base) && structured(pp.Schema.Rev) {
		bw, rw := paramStyle(b.Node, b.In), paramStyle(r.Node, r.In)
		if bw != rw {
			e.onOp(op, paramStyleChanged, changed(styleNode(b.Node), styleNode(r.Node)), r.In, quote(r.Name), rw.String(), bw.String())
		}
	}
	if r.In != "query" {
		return
	}
	ba, _ := b.Node.Bool("allowReserved")
	ra, _ := r.Node.Bool("allowReserved")
	switch {
	case ba && !ra:
		e.onOp(op, allowReservedRemoved, removed(b.Node.Get("allowReserved"), r.Node), quote(r.Name))
	case !ba && ra:
		e.onOp(op, allowReservedAdded, changed(b.Node, r.Node.Get("allowReserved")), quote(r.Name))
	}
}

// structured reports whether a parameter's values may be arrays or objects,
// the only ones whose serialisation depends on style.
func structured(s *diff.Schema) bool {
	return classes(s, 8)&(diff.TArray|diff.TObject) != 0
}

// classes is what a schema admits, looking through untyped oneOf/anyOf
// (depth-bounded: variants may refer back to their union).
func classes(s *diff.Schema, depth int) diff.TypeSet {
	if s == nil || depth == 0 {
		return diff.TAll
	}
	if s.Typed() || !s.HasUnion() {
		return s.Admits()
	}
	var t diff.TypeSet
	for _, v := range append(append([]*diff.Schema(nil), s.OneOf...), s.AnyOf...) {
		t |= classes(v, depth-1)
	}
	return t
}

// scalars are the value classes written as plain text in a parameter.
const scalars = diff.TBoolean | diff.TString | diff.TInteger | diff.TFraction

// wireTypes is what a parameter value (or a part of one) admits as text.
// A string admits the text of every scalar, so integer → string widens and
// [string, integer] ≡ string; an array admits one value of its items (a
// single ?id=7 is a one-element array in every style and collectionFormat)
// and keeps its own bit for several values; null has no text form.
func wireTypes(s *diff.Schema) diff.TypeSet {
	t := classes(s, 8) &^ diff.TNull
	if t&diff.TArray != 0 {
		var items *diff.Schema
		if s != nil {
			items = s.Items
		}
		t |= classes(items, 8) & scalars
	}
	if t&diff.TString != 0 {
		t |= scalars
	}
	return t
}

// checkWireTypes compares the types of a parameter value by the text each
// side accepts, naming the declared types.
func checkWireTypes(e *emitter, sp *diff.SchemaPair) {
	bt, rt := classes(sp.Base, 8)&^diff.TNull, classes(sp.Rev, 8)&^diff.TNull
	if bj, rj := wireTypes(sp.Base), wireTypes(sp.Rev); bj != rj {
		typeFinding(e, sp, at(sp.Base.TypeNode, sp.Rev.TypeNode, sp.Base, sp.Rev), bj, rj, bt, rt)
	}
}

// styleNode is the keyword that set the style, else the parameter.
func styleNode(n *source.Node) *source.Node {
	for _, k := range []string{"explode", "style", "collectionFormat"} {
		if v := n.Get(k); v != nil {
			return v
		}
	}
	return n
}

// checkEncoding compares the encoding objects of a media type present on
// both sides, part by part.
func checkEncoding(e *emitter, op *diff.OpPair, mp *diff.MediaPair, side diff.Side) {
	if mp.Base == nil || mp.Rev == nil {
		return
	}
	be := e.baseDoc.Deref(mp.Base.Node).Get("encoding")
	re := e.revDoc.Deref(mp.Rev.Node).Get("encoding")
	seen := map[string]bool{}
	for _, list := range []*source.Node{be, re} {
		for _, part := range children(list) {
			if seen[part.Key] {
				continue
			}
			seen[part.Key] = true
			if !onBothSides(mp, part.Key) {
				continue // a part added or removed with its property: the property rules say it
			}
			bp, rp := be.Get(part.Key), re.Get(part.Key)
			styled := structured(mp.Schema.Base.Prop(part.Key).Schema) || structured(mp.Schema.Rev.Prop(part.Key).Schema)
			if bt, rt := partEncoding(bp, styled), partEncoding(rp, styled); bt != rt {
				at := changed(bp, rp)
				if rp == nil {
					at = removed(bp, re)
				}
				e.onOp(op, encodingChangedBody.on(side), at, quote(part.Key), quote(mp.Type), bt, rt)
			}
		}
	}
}

// onBothSides reports whether both schemas of a media pair declare the
// property an encoding entry is about.
func onBothSides(mp *diff.MediaPair, name string) bool {
	return mp.Schema != nil && mp.Schema.Base.Prop(name) != nil && mp.Schema.Rev.Prop(name) != nil
}

// partEncoding summarises one encoding entry; an absent entry is the
// default. Style and explode only shape arrays and objects, so for a
// primitive part only the content type and allowReserved count.
func partEncoding(n *source.Node, styled bool) string {
	if n == nil {
		return "the default"
	}
	var parts []string
	for _, k := range []string{"contentType", "style", "explode", "allowReserved"} {
		if !styled && (k == "style" || k == "explode") {
			continue
		}
		if v := n.Get(k); v != nil {
			parts = append(parts, k+" "+v.Value)
		}
	}
	if len(parts) == 0 {
		return "the default"
	}
	return strings.Join(parts, ", ")
}

// checkLinks compares the links of a response present on both sides.
func checkLinks(e *emitter, op *diff.OpPair, rp *diff.ResponsePair) {
	bl := e.baseDoc.Deref(rp.Base.Node).Get("links")
	rn := e.revDoc.Deref(rp.Rev.Node)
	rl := rn.Get("links")
	for _, l := range children(bl) {
		if rl.Get(l.Key) == nil {
			parent := rl
			if parent == nil {
				parent = rp.Rev.Node
			}
			e.onOp(op, linkRemoved, removed(l, parent), quote(l.Key), rp.Code, op.Name())
		}
	}
	for _, l := range children(rl) {
		if bl.Get(l.Key) == nil {
			e.onOp(op, linkAdded, added(l), quote(l.Key), rp.Code, op.Name())
		}
	}
}
