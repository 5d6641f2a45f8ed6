package rules

import (
	"fmt"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	formatAdded = defSided(sidedSpec{
		id: "property-format-added", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "format added", message: "format %[2]s was added to %[1]s",
		why: whyTight,
		doc: `  base:     {type: string}
  revision: {type: string, format: uuid}`,
	})
	formatRemoved = defSided(sidedSpec{
		id: "property-format-removed", req: finding.NonBreaking, resp: finding.Warning,
		summary: "format removed", message: "format %[2]s was removed from %[1]s",
		why: whyLoose,
		doc: `  base:     {type: string, format: uuid}
  revision: {type: string}`,
	})
	formatChanged = defSided(sidedSpec{
		id: "property-format-changed", req: finding.Breaking, resp: finding.Breaking,
		summary: "format changed", message: "format of %s changed from %s to %s",
		doc: `Values valid for the old format are not valid for the new one.

  base:     {type: string, format: date}
  revision: {type: string, format: date-time}`,
	})
	formatWidened = defSided(sidedSpec{
		id: "property-format-widened", req: finding.NonBreaking, resp: finding.Breaking,
		summary: "format widened (int32 → int64, uri → uri-reference, …)", message: "format of %s widened from %s to %s",
		why: "a request that accepts 64-bit values (or relative URI references) still accepts 32-bit ones (absolute URIs); a response that may emit them overflows clients that store 32 bits or parse absolute URIs",
		doc: `int32 → int64, uri → uri-reference.

  base:     {type: integer, format: int32}
  revision: {type: integer, format: int64}`,
	})
	formatNarrowed = defSided(sidedSpec{
		id: "property-format-narrowed", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "format narrowed (int64 → int32, uri-reference → uri, …)", message: "format of %s narrowed from %s to %s",
		why: "a request that accepts only 32-bit values (absolute URIs) rejects the 64-bit ones (relative references) clients send; a response that emits only the narrower form still fits clients that handle the wider one",
		doc: `int64 → int32, uri-reference → uri.

  base:     {type: integer, format: int64}
  revision: {type: integer, format: int32}`,
	})
	formatHint = defSided(sidedSpec{
		id: "property-format-hint-changed", req: finding.Warning, resp: finding.Warning,
		summary: "a format that does not narrow the value set was added, removed or changed (float ↔ double, vendor formats)",
		message: "format of %s changed from %s to %s",
		why:     "formats such as float, double, binary, password or vendor ones (unixtime, url, ip-address, uint64) do not narrow what JSON Schema validators accept, so no conforming client fails; generated clients may map them to another native type, which is worth a review on either side",
		doc: `Known formats that narrow the value set (int32/int64 on numbers, date,
date-time, uuid, email, uri, …) are judged by property-format-added, -removed,
-changed, -widened and -narrowed.

  base:     {type: number, format: float}
  revision: {type: number, format: double}`,
	})
	enumValueRemoved = defSided(sidedSpec{
		id: "property-enum-value-removed", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "enum value removed", message: "enum value %[2]s was removed from %[1]s",
		why: "clients that send the value are rejected; clients reading a response just never see it",
		doc: `One finding per value, up to three; when more values go from one enum, the
third finding stands for the rest ("x" (and 12 more: "y", "z", …)).

  base:     {enum: [open, closed, archived]}
  revision: {enum: [open, closed]}`,
	})
	enumValueAdded = defSided(sidedSpec{
		id: "property-enum-value-added", req: finding.NonBreaking, resp: finding.Warning,
		summary: "enum value added", message: "enum value %[2]s was added to %[1]s",
		why: "a request that accepts more is additive; a response that may carry a value clients do not know can break exhaustive switches",
		doc: `One finding per value, up to three; when more values join one enum, the third
finding stands for the rest ("x" (and 392 more: "y", "z", …)), so a catalogue
enum that doubles is one change to review.

  base:     {enum: [open, closed]}
  revision: {enum: [open, closed, archived]}`,
	})
	enumAdded = defSided(sidedSpec{
		id: "property-enum-added", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "enum restriction added", message: "%s is now restricted to an enum",
		why: whyTight,
		doc: `  base:     {type: string}
  revision: {type: string, enum: [open, closed]}`,
	})
	enumRemoved = defSided(sidedSpec{
		id: "property-enum-removed", req: finding.NonBreaking, resp: finding.Warning,
		summary: "enum restriction removed", message: "%s is no longer restricted to an enum",
		why: whyLoose,
		doc: `  base:     {type: string, enum: [open, closed]}
  revision: {type: string}`,
	})
	extensibleValueAdded = def(Rule{
		ID: "response-property-extensible-enum-value-added", Level: finding.NonBreaking, Side: Response,
		Summary: "value added to an x-extensible-enum in a response",
		Message: "response value %[2]s was added to the extensible enum %[1]s",
		Doc: `x-extensible-enum promises clients that new values will come, and they must
handle unknown ones, so a new value is additive. (Removing a value from it in
a request is still request-property-enum-value-removed: clients send it.)

  base:     {type: string, x-extensible-enum: [open, closed]}
  revision: {type: string, x-extensible-enum: [open, closed, archived]}`,
	})
	patternAdded = defSided(sidedSpec{
		id: "property-pattern-added", req: finding.Breaking, resp: finding.NonBreaking,
		summary: "pattern added", message: "pattern %[2]s was added to %[1]s",
		why: whyTight,
		doc: `  base:     {type: string}
  revision: {type: string, pattern: "^[a-z]+$"}`,
	})
	patternChanged = defSided(sidedSpec{
		id: "property-pattern-changed", req: finding.Warning, resp: finding.Warning,
		summary: "pattern changed", message: "pattern of %s changed from %s to %s",
		doc: `relay does not decide whether one regular expression accepts everything the
other did, so a changed pattern is a warning on both sides: review it.

  base:     {pattern: "^[a-z]+$"}
  revision: {pattern: "^[a-z0-9]+$"}`,
	})
	patternRemoved = defSided(sidedSpec{
		id: "property-pattern-removed", req: finding.NonBreaking, resp: finding.Warning,
		summary: "pattern removed", message: "pattern %[2]s was removed from %[1]s",
		why: whyLoose,
		doc: `  base:     {type: string, pattern: "^[a-z]+$"}
  revision: {type: string}`,
	})
	defaultChanged = def(Rule{
		ID: "request-property-default-changed", Level: finding.Warning, Side: Request,
		Summary: "request default value changed",
		Message: "default of %s changed from %s to %s",
		Doc: `Clients that omit the value silently get different behaviour.

  base:     {name: limit, schema: {default: 20}}
  revision: {name: limit, schema: {default: 50}}`,
	})
	respDefaultChanged = def(Rule{
		ID: "response-property-default-changed", Level: finding.Warning, Side: Response,
		Summary: "response default value changed",
		Message: "response default of %s changed from %s to %s",
		Why:     "a response default says what an omitted field means: clients that fill in the documented default now read absent fields wrongly; adding or dropping one only documents, so those stay silent",
		Doc: `Clients that read an omitted field as the documented default now get it wrong.

  base:     {properties: {page_size: {type: integer, default: 20}}}
  revision: {properties: {page_size: {type: integer, default: 50}}}`,
	})
	defaultRemoved = def(Rule{
		ID: "request-property-default-removed", Level: finding.Warning, Side: Request,
		Summary: "request default value removed",
		Message: "default %[2]s of %[1]s was removed",
		Doc: `Clients that omit the value no longer know what the provider assumes.

  base:     {schema: {default: 20}}
  revision: {schema: {}}`,
	})
	defaultAdded = def(Rule{
		ID: "request-property-default-added", Level: finding.Info, Side: Request,
		Summary: "request default value documented",
		Message: "default %[2]s was added to %[1]s",
		Doc: `Documents what the provider does when the value is omitted.

  base:     {schema: {type: integer}}
  revision: {schema: {type: integer, default: 20}}`,
	})
)

// widenings lists format pairs where the second admits every value of the
// first and more: wider integers, and the reference and internationalised
// forms of the string formats (JSON Schema's uri → uri-reference admits
// relative references too).
var widenings = map[[2]string]bool{
	{"int32", "int64"}:       true,
	{"uri", "uri-reference"}: true, {"uri", "iri"}: true, {"uri", "iri-reference"}: true,
	{"iri", "iri-reference"}: true, {"uri-reference", "iri-reference"}: true,
	{"email", "idn-email"}: true, {"hostname", "idn-hostname"}: true,
}

// narrowingFormats are the formats whose meaning narrows the value set of
// the type they apply to: validators and generated clients enforce them.
// Every other format (float and double, binary, password, and vendor ones
// such as unixtime, url, ip-address or uint64) is an annotation relay
// cannot judge.
var narrowingFormats = map[string]diff.TypeSet{
	"int32": diff.TInteger | diff.TFraction, "int64": diff.TInteger | diff.TFraction,
	"date": diff.TString, "date-time": diff.TString, "time": diff.TString, "duration": diff.TString,
	"uuid": diff.TString, "email": diff.TString, "idn-email": diff.TString,
	"hostname": diff.TString, "idn-hostname": diff.TString, "ipv4": diff.TString, "ipv6": diff.TString,
	"uri": diff.TString, "uri-reference": diff.TString, "iri": diff.TString, "iri-reference": diff.TString,
	"uri-template": diff.TString, "json-pointer": diff.TString, "relative-json-pointer": diff.TString,
	"regex": diff.TString, "byte": diff.TString,
}

// narrowing reports whether format narrows what s admits: a known format
// on a type it applies to (date-time on an integer is a vendor's note).
func narrowing(s *diff.Schema, format string) bool {
	t, ok := narrowingFormats[format]
	return ok && s.Admits()&t != 0
}

// int32 bounds: a value bounded inside them gains nothing from int32.
const minInt32, maxInt32 = -1 << 31, 1<<31 - 1

// implied reports whether a format adds nothing to its schema: none at
// all; int64 on integers and double on numbers (every JSON integer a client
// sends fits int64 and every number a double: twilio's spec adds int64 to
// dozens of parameters at once); int32 on a value whose bounds already fit.
func implied(s *diff.Schema, format string) bool {
	t := s.Admits() &^ diff.TNull
	switch format {
	case "":
		return true
	case "int64":
		return t == diff.TInteger
	case "double":
		return t == diff.TInteger|diff.TFraction
	case "int32":
		return t&diff.TInteger != 0 && s.Min.Set && s.Max.Set && s.Min.V >= minInt32 && s.Max.V <= maxInt32
	}
	return false
}

func checkFormat(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	known := narrowing(b, b.Format) && narrowing(r, r.Format)
	// A format the type already implies (int64 on an integer) narrows
	// nothing on its own; against a narrower known one it still widens.
	bn := narrowing(b, b.Format) && !implied(b, b.Format)
	rn := narrowing(r, r.Format) && !implied(r, r.Format)
	switch {
	case b.Format == r.Format, implied(b, b.Format) && implied(r, r.Format):
	case known && widenings[[2]string{b.Format, r.Format}]:
		e.onSchema(sp, formatWidened.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), quote(b.Format), quote(r.Format))
	case known && widenings[[2]string{r.Format, b.Format}]:
		e.onSchema(sp, formatNarrowed.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), quote(b.Format), quote(r.Format))
	case !bn && !rn:
		e.onSchema(sp, formatHint.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), formatText(b.Format), formatText(r.Format))
	case !bn:
		e.onSchema(sp, formatAdded.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), quote(r.Format))
	case !rn:
		e.onSchema(sp, formatRemoved.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), quote(b.Format))
	default:
		e.onSchema(sp, formatChanged.on(sp.Side), at(b.FormatNode, r.FormatNode, b, r), what(r), quote(b.Format), quote(r.Format))
	}
}

func formatText(f string) string {
	if f == "" {
		return "(none)"
	}
	return quote(f)
}

func enumKey(n *source.Node) string {
	if n.Kind == source.Number {
		if f, ok := n.Float(); ok {
			return "n" + boundText(diff.Bound{Set: true, V: f})
		}
	}
	return n.Kind.String() + ":" + n.Value
}

func checkEnum(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if b.ValueUnion() || r.ValueUnion() {
		checkValueUnion(e, sp)
		return
	}
	switch {
	case b.Enum == nil && r.Enum == nil, constAsEnum(b, r), constAsEnum(r, b):
	case b.Enum == nil:
		e.onSchema(sp, enumAdded.on(sp.Side), at(nil, r.Enum, b, r), what(r))
	case r.Enum == nil:
		e.onSchema(sp, enumRemoved.on(sp.Side), at(b.Enum, nil, b, r), what(r))
	default:
		diffEnumValues(e, sp)
	}
}

// constAsEnum reports whether x's const and y's one-value enum say the same
// thing (3.1 upgrades turn enum: [v] into const: v).
func constAsEnum(x, y *diff.Schema) bool {
	return x.Const != nil && x.Enum == nil && y.Const == nil && y.Enum != nil &&
		len(y.Enum.Children) == 1 && sameValue(x.Const, y.Enum.Children[0])
}

// enumGroup is how many value findings one enum gets before the rest are
// folded into the last: an enum of 395 usage categories that gains 395
// values is one change to review, not 395.
const enumGroup = 3

// checkValueUnion compares value sets where one side spells its enum as a
// union of consts (`oneOf: [{const: web}, {const: phone}]`): the union
// restricts a free value exactly as an enum does, and its consts are values
// added or removed, whatever their order or titles.
func checkValueUnion(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	bv, bn := b.Values()
	rv, rn := r.Values()
	switch {
	case bv == nil && rv == nil:
	case bv == nil:
		e.onSchema(sp, enumAdded.on(sp.Side), at(nil, rn, b, r), what(r))
	case rv == nil:
		e.onSchema(sp, enumRemoved.on(sp.Side), at(bn, nil, b, r), what(r))
	default:
		diffValues(e, sp, bv, rv, rn)
	}
}

func diffEnumValues(e *emitter, sp *diff.SchemaPair) {
	diffValues(e, sp, sp.Base.Enum.Children, sp.Rev.Enum.Children, sp.Rev.Enum)
}

func diffValues(e *emitter, sp *diff.SchemaPair, bVals, rVals []*source.Node, rNode *source.Node) {
	r := sp.Rev
	inB, inR := map[string]bool{}, map[string]bool{}
	for _, v := range bVals {
		inB[enumKey(v)] = true
	}
	for _, v := range rVals {
		inR[enumKey(v)] = true
	}
	var gone, fresh []*source.Node
	for _, v := range bVals {
		if !inR[enumKey(v)] && !e.acceptedElsewhere(sp, v) {
			gone = append(gone, v)
		}
	}
	for _, v := range rVals {
		if !inB[enumKey(v)] {
			fresh = append(fresh, v)
		}
	}
	eachGrouped(gone, func(v *source.Node, text string) {
		e.onSchema(sp, enumValueRemoved.on(sp.Side), removed(v, rNode), what(r), text)
	})
	rule := enumValueAdded.on(sp.Side)
	if sp.Side == diff.ResponseSide && r.Extensible {
		rule = extensibleValueAdded
	}
	eachGrouped(fresh, func(v *source.Node, text string) {
		e.onSchema(sp, rule, added(v), what(r), text)
	})
}

// eachGrouped calls fn per value, up to enumGroup; past that, the last
// call stands for the rest: "x" (and 392 more: "y", "z", …).
func eachGrouped(values []*source.Node, fn func(v *source.Node, text string)) {
	for i, v := range values {
		if i < enumGroup-1 || len(values) <= enumGroup {
			fn(v, valueText(v))
			continue
		}
		rest := values[i+1:]
		text := valueText(v) + fmt.Sprintf(" (and %d more: ", len(rest))
		for j, w := range rest[:min(2, len(rest))] {
			if j > 0 {
				text += ", "
			}
			text += valueText(w)
		}
		if len(rest) > 2 {
			text += ", …"
		}
		fn(v, text+")")
		return
	}
}

func checkPattern(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	switch {
	case b.Pattern == r.Pattern:
	case b.Pattern == "":
		e.onSchema(sp, patternAdded.on(sp.Side), at(nil, r.PatternNode, b, r), what(r), quote(r.Pattern))
	case r.Pattern == "":
		e.onSchema(sp, patternRemoved.on(sp.Side), at(b.PatternNode, nil, b, r), what(r), quote(b.Pattern))
	default:
		e.onSchema(sp, patternChanged.on(sp.Side), at(b.PatternNode, r.PatternNode, b, r), what(r), quote(b.Pattern), quote(r.Pattern))
	}
}

// checkDefault: a default changes behaviour where the provider fills in what
// clients omit (the request side) and where clients fill in what the
// provider omits (a changed value in a response).
func checkDefault(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if sp.Side != diff.RequestSide {
		if b.Default != nil && r.Default != nil && !sameValue(b.Default, r.Default) {
			e.onSchema(sp, respDefaultChanged, changed(b.Default, r.Default), what(r), valueText(b.Default), valueText(r.Default))
		}
		return
	}
	switch {
	case sameValue(b.Default, r.Default):
	case b.Default == nil:
		e.onSchema(sp, defaultAdded, at(nil, r.Default, b, r), what(r), valueText(r.Default))
	case r.Default == nil:
		e.onSchema(sp, defaultRemoved, at(b.Default, nil, b, r), what(r), valueText(b.Default))
	default:
		e.onSchema(sp, defaultChanged, at(b.Default, r.Default, b, r), what(r), valueText(b.Default), valueText(r.Default))
	}
}

func checkSchemaDocs(e *emitter, sp *diff.SchemaPair) {
	b, r := sp.Base, sp.Rev
	if isParamObject(b.Node) || isParamObject(r.Node) {
		return // a 2.0 parameter is its own schema: its description documents the parameter
	}
	for _, k := range [...]struct {
		name string
		b, r *source.Node
	}{{"description", b.Description, r.Description}, {"title", b.TitleNode, r.TitleNode}} {
		if !sameValue(k.b, k.r) && r.Node != nil {
			l := changedOrGone(k.b, k.r, r.Node)
			if k.b == nil && k.r == nil {
				continue
			}
			e.onSchema(sp, schemaDocs, l, k.name, what(r))
		}
	}
}

// isParamObject recognises a Swagger 2.0 parameter or header object used
// as a schema (3.x headers keep their schema one level down, under schema).
func isParamObject(n *source.Node) bool {
	if n == nil {
		return false
	}
	return n.Has("in") && n.Has("name") || n.Parent != nil && n.Parent.Key == "headers" && !n.Has("schema") && !n.Has("content")
}
