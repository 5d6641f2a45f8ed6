package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

// The JSON Schema keywords beyond the usual OpenAPI set: const, if/then/else,
// dependentRequired, dependentSchemas, prefixItems, contains (with
// minContains/maxContains), propertyNames, not, unevaluatedProperties and
// contentMediaType/contentEncoding. Changes inside the schema-valued ones
// (then, else, contains, propertyNames, dependentSchemas entries, tuple
// positions) are reported by the ordinary rules on their paired schemas;
// these rules cover a keyword appearing, disappearing or changing value.
var (
	constraintAdded = defSided(sidedSpec{
		id: "property-constraint-added", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "a validation keyword (const, if/then/else, dependentRequired, dependentSchemas, contains, propertyNames, not…) was added",
		message: "%s gained %s",
		why:     whyTight,
		doc: `A new validation keyword can only reject values that were valid. The message
names the keyword, e.g. dependentRequired.billing_address: postcode.

  base:     {type: object, properties: {billing_address: ..., postcode: ...}}
  revision: {..., dependentRequired: {billing_address: [postcode]}}`,
	})
	constraintRemoved = defSided(sidedSpec{
		id: "property-constraint-removed", req: finding.NonBreaking, resp: finding.Warning,
		summary: "a validation keyword (const, if/then/else, dependentRequired, dependentSchemas, contains, propertyNames, not…) was removed",
		message: "%s lost %s",
		why:     whyLoose,
		doc: `Dropping a validation keyword admits values that were invalid.

  base:     {type: array, contains: {const: admin}}
  revision: {type: array}`,
	})
	constraintChanged = defSided(sidedSpec{
		id: "property-constraint-changed", req: finding.Breaking, resp: finding.Warning,
		summary: "a validation keyword compared by value (if, not, minContains, maxContains) changed",
		message: "%s changed %s",
		why: "relay does not decide whether a new `if` or `not` admits more or fewer values, so it assumes both: " +
			"a request may now reject what clients send (breaking), a response may emit what clients did not expect (warning)",
		doc: `The keyword is present on both sides with different values. A stricter ` + "`if`" + `
applies its ` + "`then`" + ` less often and a stricter ` + "`not`" + ` admits less, so the direction
cannot be read off the keyword alone.

  base:     {if: {properties: {kind: {const: card}}}, then: {required: [pan]}}
  revision: {if: {properties: {kind: {enum: [card, wallet]}}}, then: {required: [pan]}}`,
	})
	constChanged = defSided(sidedSpec{
		id: "property-const-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "a const value changed",
		message: "const of %s changed from %s to %s",
		doc: `The only valid value is now another one: clients sending the old value are
rejected, and clients matching on the value they receive no longer match.

  base:     {const: v1}
  revision: {const: v2}`,
	})
	encodingChanged = defSided(sidedSpec{
		id: "property-content-encoding-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "contentEncoding was added, removed or changed",
		message: "contentEncoding of %s changed from %s to %s",
		doc: `The string's bytes are now encoded differently (base64 → base64url, or plain →
base64): both senders and readers must change how they encode or decode it.

  base:     {type: string, contentEncoding: base64}
  revision: {type: string, contentEncoding: base32}`,
	})
	mediaTypeChanged = defSided(sidedSpec{
		id: "property-content-media-type-changed", req: finding.Warning, resp: finding.Warning,
		summary: "contentMediaType was added, removed or changed",
		message: "contentMediaType of %s changed from %s to %s",
		doc: `The string now carries another embedded document type. JSON Schema treats
contentMediaType as an annotation, so validators do not reject anything, but the
clients that parse the content do.

  base:     {type: string, contentMediaType: application/json}
  revision: {type: string, contentMediaType: application/xml}`,
	})
)

func checkApplicators(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	presence(e, sp, "contains", b.ContainsNode, r.ContainsNode)
	presence(e, sp, "propertyNames", b.PropNamesNode, r.PropNamesNode)
	checkConditionals(e, sp)
	for _, m := range children(b.DepSchemasNode) {
		presence(e, sp, "dependentSchemas."+m.Key, m, r.DepSchemasNode.Get(m.Key))
	}
	for _, m := range children(r.DepSchemasNode) {
		if b.DepSchemasNode.Get(m.Key) == nil {
			presence(e, sp, "dependentSchemas."+m.Key, nil, m)
		}
	}
	for _, k := range []string{"not", "minContains", "maxContains"} {
		bv, rv := b.ByValue[k], r.ByValue[k]
		if bv != nil && rv != nil && !sameValue(bv, rv) {
			e.onSchema(sp, constraintChanged.on(sp.Side), at(bv, rv, b, r), what(r), k)
		} else {
			presence(e, sp, k, bv, rv)
		}
	}
	checkDependentRequired(e, sp)
	checkConst(e, sp)
	checkContentKeyword(e, sp, encodingChanged, b.ContentEncoding, r.ContentEncoding)
	checkContentKeyword(e, sp, mediaTypeChanged, b.ContentMediaType, r.ContentMediaType)
}

// checkConditionals compares the if/then/else conditionals of the two sides
// as units (paired by diff.PairConds): a conditional that appears is one
// tightening whatever its three keywords, one that goes is one relaxation,
// and one whose `if` was edited is one change. Changes inside paired
// branches are the ordinary rules' business.
func checkConditionals(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	for _, cp := range sp.Conds {
		switch {
		case cp.Base == nil:
			if !restated(*cp.Rev, b.Conds) {
				e.onSchema(sp, constraintAdded.on(sp.Side), at(nil, cp.Rev.If, b, r), what(r), condName(*cp.Rev))
			}
		case cp.Rev == nil:
			e.onSchema(sp, constraintRemoved.on(sp.Side), at(cp.Base.If, nil, b, r), what(r), condName(*cp.Base))
		default:
			if !sameValue(cp.Base.If, cp.Rev.If) && !typeGuardOnly(cp) {
				e.onSchema(sp, constraintChanged.on(sp.Side), at(cp.Base.If, cp.Rev.If, b, r), what(r), "if")
			}
			presence(e, sp, "then", cp.Base.Then, cp.Rev.Then)
			presence(e, sp, "else", cp.Base.Else, cp.Rev.Else)
		}
	}
}

// restated reports a new if/then that only spells out what a base
// conditional's else already required of the same values: base
// `if type=boolean then A else B`, revision adds `if type=string then B`.
// Every value the new `if` admits has a required discriminator the base
// `if` rejects, so the base sent it to its else, which asked for exactly
// this `then`.
func restated(c diff.Cond, base []diff.Cond) bool {
	if c.Else != nil || c.Then == nil {
		return false
	}
	for _, bc := range base {
		if bc.Else != nil && sameValue(c.Then, bc.Else) && ifExcludes(c.If, bc.If) {
			return true
		}
	}
	return false
}

// ifExcludes reports that no value satisfying schema a satisfies schema b:
// a requires a property whose const differs from the const b asks of it.
func ifExcludes(a, b *source.Node) bool {
	for _, req := range children(a.Get("required")) {
		k := req.Value
		av := a.Get("properties").Get(k).Get("const")
		bv := b.Get("properties").Get(k).Get("const")
		if av != nil && bv != nil && !sameValue(av, bv) {
			return true
		}
	}
	return false
}

func condName(c diff.Cond) string {
	switch {
	case c.Then != nil && c.Else != nil:
		return "if/then/else"
	case c.Then != nil:
		return "if/then"
	}
	return "if/else"
}

// typeGuardOnly reports an `if` edit that only adds, drops or changes its
// own `type` where every value the guard newly sends to the other branch
// was rejected by both branches anyway: `if: {required: [$ref]}` →
// `if: {type: object, required: [$ref]}` beside then and else that both
// require objects (the usual fix for `required` holding vacuously on
// non-objects) admits exactly the same values before and after.
func typeGuardOnly(cp *diff.CondPair) bool {
	bIf, rIf := cp.Base.If, cp.Rev.If
	if bIf == nil || rIf == nil || bIf.Kind != source.Object || rIf.Kind != source.Object {
		return false
	}
	if len(withoutKey(bIf, "type")) != len(withoutKey(rIf, "type")) {
		return false
	}
	for _, m := range withoutKey(bIf, "type") {
		if !sameValue(m, rIf.Get(m.Key)) {
			return false
		}
	}
	guard := diff.TAll
	for _, t := range []*source.Node{bIf.Get("type"), rIf.Get("type")} {
		if t != nil {
			guard &= diff.TypesOf(t)
		}
	}
	// Values outside the guard's types are the only ones whose branch
	// changes; both branches must reject them on both sides.
	within := func(s *diff.Schema) bool { return s != nil && s.Admits()&^guard == 0 }
	return within(cp.Base.ThenS) && within(cp.Base.ElseS) && within(cp.Rev.ThenS) && within(cp.Rev.ElseS)
}

func withoutKey(n *source.Node, key string) []*source.Node {
	var out []*source.Node
	for _, m := range n.Children {
		if m.Key != key {
			out = append(out, m)
		}
	}
	return out
}

// presence reports a keyword that appeared or disappeared.
func presence(e *emitter, sp *diff.SchemaPair, keyword string, bn, rn *source.Node) {
	b, r := sp.Base, sp.Rev
	switch {
	case bn == nil && rn != nil:
		e.onSchema(sp, constraintAdded.on(sp.Side), at(nil, rn, b, r), what(r), keyword)
	case bn != nil && rn == nil:
		e.onSchema(sp, constraintRemoved.on(sp.Side), at(bn, nil, b, r), what(r), keyword)
	}
}

// checkDependentRequired compares, per trigger property, the names it makes
// required: a new name tightens, a dropped one relaxes.
func checkDependentRequired(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	bd, rd := b.ByValue["dependentRequired"], r.ByValue["dependentRequired"]
	for _, bm := range children(bd) {
		rm := rd.Get(bm.Key)
		for _, name := range children(bm) {
			if !hasString(rm, name.Value) {
				e.onSchema(sp, constraintRemoved.on(sp.Side), at(name, nil, b, r), what(r), "dependentRequired."+bm.Key+": "+name.Value)
			}
		}
	}
	for _, rm := range children(rd) {
		bm := bd.Get(rm.Key)
		for _, name := range children(rm) {
			if !hasString(bm, name.Value) {
				e.onSchema(sp, constraintAdded.on(sp.Side), at(nil, name, b, r), what(r), "dependentRequired."+rm.Key+": "+name.Value)
			}
		}
	}
}

func hasString(list *source.Node, s string) bool {
	for _, c := range children(list) {
		if c.Value == s {
			return true
		}
	}
	return false
}

func checkConst(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if b.Const != nil && r.Const != nil {
		if !sameValue(b.Const, r.Const) {
			e.onSchema(sp, constChanged.on(sp.Side), at(b.Const, r.Const, b, r), what(r), valueText(b.Const), valueText(r.Const))
		}
		return
	}
	if constAsEnum(b, r) || constAsEnum(r, b) {
		return // enum: [v] ↔ const: v
	}
	presence(e, sp, "const", b.Const, r.Const)
}

// checkContentKeyword compares a string-valued content keyword; absence
// reads as "none".
func checkContentKeyword(e *emitter, sp *diff.SchemaPair, rule sided, bn, rn *source.Node) {
	b, r := sp.Base, sp.Rev
	var bv, rv string
	if bn != nil {
		bv = bn.Value
	}
	if rn != nil {
		rv = rn.Value
	}
	if bv == rv {
		return
	}
	e.onSchema(sp, rule.on(sp.Side), at(bn, rn, b, r), what(r), orNone(bv), orNone(rv))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return quote(s)
}
