package rules

import (
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	typeChanged = defSided(sidedSpec{
		id: "property-type-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "schema type changed incompatibly", message: "type of %s changed from %s to %s",
		doc: `Values of the old type are no longer valid and values of the new type were not.

  base:     {type: string}
  revision: {type: boolean}`,
	})
	typeWidened = defSided(sidedSpec{
		id: "property-type-widened", req: finding.NonBreaking, resp: finding.Breaking,
		summary: "schema type admits more kinds of value", message: "type of %s widened from %s to %s",
		why: "a request that accepts more still accepts every old value; a response that may carry a new kind of value breaks clients that decode the old one",
		doc: `integer → number, or a type added to a type list. Query, path, header
and cookie parameters travel as text, so their types are judged by the text
they accept: integer → string widens (every integer is a string), string →
array widens (one ?id=7 is a one-element array in every style and 2.0
collectionFormat), [string, integer] → string is no change, and nullable or
x-nullable on a parameter means nothing.

  base:     {type: integer}
  revision: {type: number}`,
	})
	typeNarrowed = defSided(sidedSpec{
		id: "property-type-narrowed", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "schema type admits fewer kinds of value", message: "type of %s narrowed from %s to %s",
		why: "a request that accepts less rejects values clients send; a response that emits less is still readable by old clients",
		doc: `number → integer, or a type dropped from a type list.

  base:     {type: [string, integer]}
  revision: {type: string}`,
	})
	becameNullable = defSided(sidedSpec{
		id: "property-became-nullable", req: finding.NonBreaking, resp: finding.Breaking,
		summary: "schema now admits null", message: "%s now admits null",
		why: "accepting null in a request is additive; emitting null in a response breaks clients that dereference the value",
		doc: `3.0 nullable: true, 2.0 x-nullable: true and a 3.1 "null" in the type list mean the same.

  base:     {type: string}
  revision: {type: [string, "null"]}`,
	})
	becameNotNullable = defSided(sidedSpec{
		id: "property-became-not-nullable", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "schema no longer admits null", message: "%s no longer admits null",
		why: "clients that send null are now rejected; clients that read the response just never see null",
		doc: `  base:     {type: string, nullable: true}
  revision: {type: string}`,
	})
	propRemoved = defSided(sidedSpec{
		id: "property-removed", req: finding.Warning, resp: finding.Breaking,
		summary: "property removed", message: "property %s was removed",
		why: "undeclared request properties are ignored, so clients that still send it are not rejected (but lose its effect); clients that read a response property lose the data",
		doc: `  base:     properties: {id: ..., status: ...}
  revision: properties: {id: ...}`,
	})
	closedPropRemoved = def(Rule{
		ID: "request-property-removed-from-closed-object", Level: finding.Breaking, Side: Request,
		Summary: "request property removed from an object that rejects undeclared properties",
		Message: "request property %s was removed, and the object rejects undeclared properties",
		Doc: `With additionalProperties: false (or unevaluatedProperties: false) the provider
rejects properties it does not declare, so clients that still send the removed
one now fail. On an open object the removal is request-property-removed, a
warning.

  base:     {properties: {id: ..., note: ...}, additionalProperties: false}
  revision: {properties: {id: ...}, additionalProperties: false}`,
	})
	propAdded = defSided(sidedSpec{
		id: "property-added", req: finding.NonBreaking, resp: finding.NonBreaking,
		summary: "optional property added", message: "property %s was added",
		doc: `Undeclared properties are presumed unused, so adding one is additive on either
side even without additionalProperties: false.

  base:     properties: {id: ...}
  revision: properties: {id: ..., nickname: ...}`,
	})
	requiredPropAdded = def(Rule{
		ID: "request-required-property-added", Level: finding.Breaking, Side: Request,
		Summary: "required request property added",
		Message: "required request property %s was added",
		Doc: `Clients do not send it, so their requests are now rejected.

  base:     {properties: {id: ...}}
  revision: {properties: {id: ..., owner: ...}, required: [owner]}`,
	})
	becameRequired = defSided(sidedSpec{
		id: "property-became-required", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "property became required", message: "property %s became required",
		why: "clients that omit it are rejected; clients reading a response now always get it",
		doc: `  base:     {required: []}
  revision: {required: [name]}`,
	})
	becameOptional = defSided(sidedSpec{
		id: "property-became-optional", req: finding.NonBreaking, resp: finding.Breaking,
		summary: "property became optional", message: "property %s became optional",
		why: "clients may keep sending it; clients reading a response can no longer rely on it",
		doc: `  base:     {required: [name]}
  revision: {required: []}`,
	})
	becameReadOnly = def(Rule{
		ID: "request-property-became-read-only", Level: finding.Warning, Side: Request,
		Summary: "request property became read-only",
		Message: "request property %s became read-only",
		Doc: `Clients still send it, but the provider now ignores it in requests.

  base:     {status: {type: string}}
  revision: {status: {type: string, readOnly: true}}`,
	})
	becameWriteOnly = def(Rule{
		ID: "response-property-became-write-only", Level: finding.Breaking, Side: Response,
		Summary: "response property became write-only",
		Message: "response property %s became write-only",
		Doc: `The provider stops returning it, and clients read it.

  base:     {password_hint: {type: string}}
  revision: {password_hint: {type: string, writeOnly: true}}`,
	})
	propDeprecated = defSided(sidedSpec{
		id: "property-deprecated", req: finding.Info, resp: finding.Info,
		summary: "property marked deprecated", message: "property %s is now deprecated",
		doc: `  base:     {legacy_id: {type: string}}
  revision: {legacy_id: {type: string, deprecated: true}}`,
	})
	schemaDocs = def(Rule{
		ID: "schema-documentation-changed", Level: finding.Info,
		Summary: "a schema's title or description changed",
		Message: "%s of %s changed",
		Doc: `Documentation edits do not change what is valid.

  base:     {type: string, description: The name}
  revision: {type: string, description: The pet's name}`,
	})
)

func checkSchema(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if b == r {
		return
	}
	if sp.Wrapped {
		checkTypes(e, sp)
		if b.ValueUnion() || r.ValueUnion() {
			checkValueUnion(e, sp) // an enum on the plain side is compared inside its variant pair
		}
		checkVariants(e, sp)
		checkExclusive(e, sp)
		checkDiscriminator(e, sp)
		return
	}
	checkTypes(e, sp)
	checkFormat(e, sp)
	checkEnum(e, sp)
	checkProps(e, sp)
	checkRequiredOnly(e, sp)
	checkAddl(e, sp)
	checkPatternProps(e, sp)
	checkConstraints(e, sp)
	checkApplicators(e, sp)
	checkPattern(e, sp)
	checkDefault(e, sp)
	checkVariants(e, sp)
	checkExclusive(e, sp)
	checkDiscriminator(e, sp)
	checkSchemaDocs(e, sp)
}

// what names the schema in messages: the property it describes, the
// component it is, or where it sits (see describe).
func what(s *diff.Schema) string {
	if s.Node == nil {
		return "schema"
	}
	if s.Node.Parent != nil && s.Node.Parent.Key == "properties" {
		return quote(s.Node.Key)
	}
	if s.Node.Parent != nil && s.Node.Parent.Key == "patternProperties" {
		return "properties matching " + quote(s.Node.Key)
	}
	if s.RefName != "" {
		return quote(s.RefName)
	}
	return describe(s.Node)
}

// at locates a keyword change: the revision's keyword (else its schema) and
// the base's keyword (else its schema).
func at(bKw, rKw *source.Node, b, r *diff.Schema) loc {
	if bKw == nil {
		bKw = b.Node
	}
	if rKw == nil {
		return removed(bKw, r.Node)
	}
	return changed(bKw, rKw)
}

func typeText(t diff.TypeSet) string {
	names := t.Names()
	if len(names) == 0 {
		return "nothing"
	}
	if t == diff.TAll&^diff.TNull {
		return "any"
	}
	return strings.Join(names, "|")
}

// typeAnchor is the keyword that decides a schema's type: its type, else
// the oneOf/anyOf whose variants do.
func typeAnchor(s *diff.Schema) *source.Node {
	switch {
	case s.TypeNode != nil:
		return s.TypeNode
	case s.OneOfNode != nil:
		return s.OneOfNode
	}
	return s.AnyOfNode
}

func checkTypes(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if sp.Wire {
		checkWireTypes(e, sp)
		return // null has no text form: nullable means nothing on the wire
	}
	bt, rt := b.UnionAdmits()&^diff.TNull, r.UnionAdmits()&^diff.TNull
	if b.Typed() != r.Typed() && !fromVariants(b) && !fromVariants(r) {
		// A type written beside an enum or const that already implied it
		// (`{enum: [POST, PUT]}` gaining `type: string`) admits nothing new.
		// Only then: with both typed, the enum rules judge value changes.
		bt, rt = b.ValueTypes()&^diff.TNull, r.ValueTypes()&^diff.TNull
	}
	l := at(typeAnchor(b), typeAnchor(r), b, r)
	switch {
	case bt == rt:
	case fromVariants(b) || fromVariants(r):
		if variantTypesMoved(sp, bt, rt) { // else a paired variant's own type changed: its pair says so
			typeFinding(e, sp, l, bt, rt, bt, rt)
		}
	default:
		typeFinding(e, sp, l, bt, rt, bt, rt)
	}
	checkNull(e, sp)
}

// fromVariants: the schema's type is what its oneOf/anyOf variants admit.
func fromVariants(s *diff.Schema) bool { return !s.Typed() && s.HasUnion() }

// variantTypesMoved reports whether a variant added or removed brought or
// took a type, as opposed to a variant present on both sides changing its
// own (reported once, at that variant).
func variantTypesMoved(sp *diff.SchemaPair, bt, rt diff.TypeSet) bool {
	for _, vp := range append(append([]*diff.VariantPair{}, sp.OneOf...), sp.AnyOf...) {
		switch {
		case vp.Base == nil && !sp.Rev.Expansion(vp.Rev) && vp.Rev.UnionAdmits()&^bt&^diff.TNull != 0,
			vp.Rev == nil && !sp.Base.Expansion(vp.Base) && vp.Base.UnionAdmits()&^rt&^diff.TNull != 0:
			return true
		}
	}
	return len(sp.OneOf)+len(sp.AnyOf) == 0 // no variant lists paired: the union is judged whole
}

// typeFinding files a type change judged on the sets bj and rj (what a
// value may be; for a parameter, the text it may be) and shown as the
// types bt and rt.
func typeFinding(e *emitter, sp *diff.SchemaPair, l loc, bj, rj, bt, rt diff.TypeSet) {
	r := sp.Rev
	switch rj & bj {
	case bj:
		e.onSchema(sp, typeWidened.on(sp.Side), l, what(r), typeText(bt), typeText(rt))
	case rj:
		e.onSchema(sp, typeNarrowed.on(sp.Side), l, what(r), typeText(bt), typeText(rt))
	default:
		e.onSchema(sp, typeChanged.on(sp.Side), l, what(r), typeText(bt), typeText(rt))
	}
}

func checkNull(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if !b.Typed() || !r.Typed() {
		return // an untyped side admits null implicitly; the type rules said it
	}
	switch bn, rn := b.Admits()&diff.TNull != 0, r.Admits()&diff.TNull != 0; {
	case !bn && rn:
		e.onSchema(sp, becameNullable.on(sp.Side), at(nil, r.NullNode, b, r), what(r))
	case bn && !rn:
		// A removed nullable/x-nullable keyword points at the schema that
		// lost it; a "null" dropped from a type array at the new type.
		rKw := r.TypeNode
		if b.NullNode != nil && (b.NullNode.Key == "nullable" || b.NullNode.Key == "x-nullable") {
			rKw = nil
		}
		e.onSchema(sp, becameNotNullable.on(sp.Side), at(b.NullNode, rKw, b, r), what(r))
	}
}
