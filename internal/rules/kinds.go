package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// Function contracts and bare JSON Schemas are read as parts (see
// diff/kinds.go): their schemas are classified by the same schema rules as
// HTTP bodies, on the side of each part. These rules cover a part that
// appears or disappears, and the few document-level facts of those kinds.
var (
	fnInputAdded = def(Rule{
		ID: "function-input-added", Level: finding.Warning, Side: Request,
		Summary: "a function now declares an input schema",
		Message: "the function's input schema was added",
		Doc: `Callers' payloads were not checked against a schema before; the new one may
reject some of them.

  base:     {function: my-team/payments, output: {...}}
  revision: {function: my-team/payments, input: {type: object, ...}, output: {...}}`,
	})
	fnInputRemoved = def(Rule{
		ID: "function-input-removed", Level: finding.Warning, Side: Request,
		Summary: "a function no longer declares an input schema",
		Message: "the function's input schema was removed",
		Doc: `Callers that send a payload are not rejected, but what they send is no longer
described, and may be ignored.

  base:     {function: my-team/payments, input: {...}, output: {...}}
  revision: {function: my-team/payments, output: {...}}`,
	})
	fnOutputAdded = def(Rule{
		ID: "function-output-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a function now declares an output schema",
		Message: "the function's output schema was added",
		Doc: `Callers that ignored the result are unaffected.

  base:     {function: my-team/payments, input: {...}}
  revision: {function: my-team/payments, input: {...}, output: {...}}`,
	})
	fnOutputRemoved = def(Rule{
		ID: "function-output-removed", Level: finding.Breaking, Side: Response,
		Summary: "a function no longer declares an output schema",
		Message: "the function's output schema was removed",
		Doc: `Callers that read the result lose it.

  base:     {function: my-team/payments, input: {...}, output: {...}}
  revision: {function: my-team/payments, input: {...}}`,
	})
	fnErrorAdded = def(Rule{
		ID: "function-error-added", Level: finding.Warning, Side: Response,
		Summary: "a function declares a new error code",
		Message: "error code %s was added",
		Doc: `Callers may receive an error they do not handle, as with a new error status.

  base:     errors: {card_declined: {...}}
  revision: errors: {card_declined: {...}, insufficient_funds: {...}}`,
	})
	fnErrorRemoved = def(Rule{
		ID: "function-error-removed", Level: finding.Warning, Side: Response,
		Summary: "a function no longer declares an error code",
		Message: "error code %s was removed",
		Doc: `Callers that handle this error keep code that no longer runs, or the function
now reports the condition some other way.

  base:     errors: {card_declined: {...}, expired_card: {...}}
  revision: errors: {card_declined: {...}}`,
	})
	fnEventAdded = def(Rule{
		ID: "function-event-added", Level: finding.NonBreaking, Side: Response,
		Summary: "a function emits a new event",
		Message: "event %s was added",
		Doc: `Consumers that do not subscribe to it are unaffected.

  base:     events: {charge.succeeded: {...}}
  revision: events: {charge.succeeded: {...}, charge.refunded: {...}}`,
	})
	fnEventRemoved = def(Rule{
		ID: "function-event-removed", Level: finding.Breaking, Side: Response,
		Summary: "a function no longer emits an event",
		Message: "event %s was removed",
		Doc: `Consumers that subscribe to it stop receiving anything.

  base:     events: {charge.succeeded: {...}, charge.refunded: {...}}
  revision: events: {charge.succeeded: {...}}`,
	})
	fnRenamed = def(Rule{
		ID: "function-renamed", Level: finding.Breaking,
		Summary: "a function contract names another function",
		Message: "the function changed from %s to %s",
		Doc: `Callers invoke the function by name; under a new name the old one is gone.

  base:     function: my-team/payments
  revision: function: my-team/billing`,
	})
	fnDeprecated = def(Rule{
		ID: "function-deprecated", Level: finding.Info,
		Summary: "a function was marked deprecated",
		Message: "function %s is now deprecated",
		Doc: `A deprecation announces a future removal; nothing changes for callers yet.

  base:     {function: my-team/payments, input: ...}
  revision: {function: my-team/payments, deprecated: true, x-sunset: "2027-01-31", input: ...}`,
	})
	fnUndeprecated = def(Rule{
		ID: "function-deprecation-removed", Level: finding.Info,
		Summary: "a function is no longer deprecated",
		Message: "function %s is no longer deprecated",
		Doc: `  base:     {function: my-team/payments, deprecated: true, input: ...}
  revision: {function: my-team/payments, input: ...}`,
	})
	defAdded = def(Rule{
		ID: "schema-definition-added", Level: finding.NonBreaking,
		Summary: "a definitions-only JSON Schema gained a definition",
		Message: "definition %s was added",
		Doc: `A schema that only holds definitions (such as Kubernetes' definitions file) is
compared definition by definition; a new one is additive.

  base:     {definitions: {Pod: {...}}}
  revision: {definitions: {Pod: {...}, Service: {...}}}`,
	})
	defRemoved = def(Rule{
		ID: "schema-definition-removed", Level: finding.Breaking,
		Summary: "a definitions-only JSON Schema lost a definition",
		Message: "definition %s was removed",
		Doc: `Schemas that $ref it no longer resolve.

  base:     {definitions: {Pod: {...}, Service: {...}}}
  revision: {definitions: {Pod: {...}}}`,
	})
	dialectChanged = def(Rule{
		ID: "schema-dialect-changed", Level: finding.Info,
		Summary: "a JSON Schema moved to another draft",
		Message: "$schema changed from %s to %s",
		Doc: `The draft decides how keywords read; relay compares the schemas themselves, so
real differences in meaning are reported by the schema rules.

  base:     {$schema: "http://json-schema.org/draft-07/schema#", ...}
  revision: {$schema: "https://json-schema.org/draft/2020-12/schema", ...}`,
	})
	idChanged = def(Rule{
		ID: "schema-id-changed", Level: finding.Warning,
		Summary: "a JSON Schema's $id changed",
		Message: "$id changed from %s to %s",
		Doc: `Schemas and tools that reference it by its old $id no longer find it.

  base:     {$id: "https://example.com/person.json", ...}
  revision: {$id: "https://example.com/people/person.json", ...}`,
	})
)

// partRules maps a part family to its (added, removed) rules.
var partRules = map[string][2]*Rule{
	diff.PartInput:      {fnInputAdded, fnInputRemoved},
	diff.PartOutput:     {fnOutputAdded, fnOutputRemoved},
	diff.PartError:      {fnErrorAdded, fnErrorRemoved},
	diff.PartEvent:      {fnEventAdded, fnEventRemoved},
	diff.PartDefinition: {defAdded, defRemoved},
}

// kindRules says what classifies each contract kind besides the rules all
// kinds share (schemas, bodies, security schemes, servers, info); every
// kind of load.Kinds needs an entry, even an empty one
// (TestEveryKindHasRules). Adding a kind here takes its operation and
// document checks, if the shared rules are not all it needs.
var kindRules = map[load.Kind]kindCheck{
	load.OpenAPI:    {},
	load.Swagger:    {},
	load.JSONSchema: {operation: checkPart, document: checkSchemaDoc},
	load.Function:   {operation: checkPart, document: checkFunctionDoc},
	load.AsyncAPI:   {operation: checkAsyncOp},
}

// kindCheck is how the rules classify one contract kind.
type kindCheck struct {
	// operation checks an operation pair; nil means the HTTP operation
	// rules (operations.go).
	operation func(e *emitter, op *diff.OpPair)
	// document runs the kind's own document-level rules; nil when it has
	// none.
	document func(e *emitter, b, r *source.Node)
}

// kindOperation is the operation check of the revision's kind, nil for
// the HTTP operation rules. Both sides are of one family (diff.Comparable).
func (e *emitter) kindOperation() func(*emitter, *diff.OpPair) {
	return kindRules[e.revDoc.Kind].operation
}

// checkPart reports a part that appeared or disappeared; a part on both
// sides is compared by the schema rules through its body.
func checkPart(e *emitter, op *diff.OpPair) {
	switch {
	case op.Rev == nil:
		if r, ok := partRules[op.Base.Method]; ok {
			e.onOp(op, r[1], removed(op.Base.Node, nearestRev(e, op.Base.Node)), partArgs(op.Base)...)
		}
	case op.Base == nil:
		if r, ok := partRules[op.Rev.Method]; ok {
			e.onOp(op, r[0], added(op.Rev.Node), partArgs(op.Rev)...)
		}
	}
}

// partArgs names a part in messages: an error code, event or definition by
// its key; the input and output need no name.
func partArgs(o *diff.Operation) []any {
	if o.Method == diff.PartInput || o.Method == diff.PartOutput {
		return nil
	}
	return []any{quote(o.Node.Key)}
}

// checkKindDocument runs the document-level rules of the revision's kind.
func checkKindDocument(e *emitter, res *diff.Result) {
	if check := kindRules[res.Revision.Kind].document; check != nil {
		check(e, res.Base.Main.Root, res.Revision.Main.Root)
	}
}

func checkFunctionDoc(e *emitter, b, r *source.Node) {
	bn, rn := b.Get("function"), r.Get("function")
	if bn != nil && rn != nil && bn.Value != rn.Value {
		e.onDoc(fnRenamed, changed(bn, rn), quote(bn.Value), quote(rn.Value))
	}
	name := quote(rn.Value)
	bd, _ := b.Bool("deprecated")
	rd, _ := r.Bool("deprecated")
	switch {
	case !bd && rd:
		e.onDoc(fnDeprecated, changed(b.Get("deprecated"), r.Get("deprecated")), name)
	case bd && !rd:
		e.onDoc(fnUndeprecated, removed(b.Get("deprecated"), r), name)
	}
	if rd {
		checkFunctionSunset(e, b, r, bd, "function "+rn.Value)
	}
}

// checkFunctionSunset holds a function's x-sunset to the deprecation
// policy operations follow (see deprecation.go).
func checkFunctionSunset(e *emitter, b, r *source.Node, wasDeprecated bool, name string) {
	bs, rs := b.Get("x-sunset"), r.Get("x-sunset")
	if wasDeprecated && sameValue(bs, rs) {
		return // nothing new was promised
	}
	if rs == nil {
		if least := e.opts.MinDeprecationDays; least > 0 {
			e.onDoc(opSunsetMissing, changed(b, r.Get("deprecated")), name, least)
		}
		return
	}
	t, ok := parseSunset(rs.Value)
	if !ok {
		e.onDoc(opSunsetInvalid, changed(bs, rs), name, quote(rs.Value))
		return
	}
	if least := e.opts.MinDeprecationDays; least > 0 {
		if days := daysUntil(e.opts.Now, t); days < least {
			e.onDoc(opSunsetTooSoon, changed(bs, rs), name, rs.Value, days, least)
		}
	}
}

func checkSchemaDoc(e *emitter, b, r *source.Node) {
	bs, rs := b.Get("$schema"), r.Get("$schema")
	bd, _ := load.SchemaDraft(strOf(bs))
	rd, _ := load.SchemaDraft(strOf(rs))
	if bd != rd {
		e.onDoc(dialectChanged, changedOrGone(bs, rs, r), quote(orDefault(bs)), quote(orDefault(rs)))
	}
	for _, key := range []string{"$id", "id"} {
		bi, ri := b.Get(key), r.Get(key)
		if bi != nil && bi.Kind == source.String && !sameValue(bi, ri) {
			e.onDoc(idChanged, changedOrGone(bi, ri, r), quote(bi.Value), quote(orDefault(ri)))
		}
	}
}

func strOf(n *source.Node) string {
	if n != nil && n.Kind == source.String {
		return n.Value
	}
	return ""
}

// orDefault names an absent $schema or $id.
func orDefault(n *source.Node) string {
	if s := strOf(n); s != "" {
		return s
	}
	return "(none)"
}

// orNode is n, else the fallback node (where an absent keyword would be).
func orNode(n, fallback *source.Node) *source.Node {
	if n != nil {
		return n
	}
	return fallback
}
