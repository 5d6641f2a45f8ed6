package drift

import (
	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

// The drift rules: what kind of disagreement a finding is.
const (
	RuleUndocumentedOperation = "undocumented-operation"
	RuleUndocumentedStatus    = "undocumented-status"
	RuleUndocumentedMediaType = "undocumented-media-type"
	RuleTypeMismatch          = "type-mismatch"
	RuleRequiredMissing       = "required-missing"
	RuleEnumMismatch          = "enum-mismatch"
	RuleAdditionalProperty    = "additional-property"
	RuleFormatMismatch        = "format-mismatch"
	RuleConstraintViolated    = "constraint-violated"
	RuleInvalidJSON           = "invalid-json"
	RuleParameterInvalid      = "parameter-invalid"
)

// Rule documents one drift rule.
type Rule struct {
	ID, Summary string
}

// Rules lists every drift rule, for help and documentation.
func Rules() []Rule {
	return []Rule{
		{RuleUndocumentedOperation, "traffic used a method and path the contract does not declare"},
		{RuleUndocumentedStatus, "a response carried a status the operation does not declare (and it has no default)"},
		{RuleUndocumentedMediaType, "a body's Content-Type is not one the contract declares for it"},
		{RuleTypeMismatch, "a value has another JSON type than its schema's"},
		{RuleRequiredMissing, "a required property is absent"},
		{RuleEnumMismatch, "a value is not one of its schema's enum (or const)"},
		{RuleAdditionalProperty, "an object carries a property its schema forbids"},
		{RuleFormatMismatch, "a string does not have its schema's format"},
		{RuleConstraintViolated, "a value breaks another keyword: bounds, lengths, pattern, oneOf…"},
		{RuleInvalidJSON, "a JSON body does not parse (or nests deeper than relay reads)"},
		{RuleParameterInvalid, "a path, query, header or cookie parameter is missing or malformed"},
	}
}

// findings gathers the events of one exchange.
type findings struct {
	opts *Options
	ex   *Exchange
	list []event.Event
}

// add records one drift; at is the contract node it is about (nil when
// there is none) and gives its file:line.
func (f *findings) add(e event.Event, at *source.Node) {
	e.Function, e.Version, e.Contract = f.opts.Function, f.opts.Version, f.opts.Contract
	e.Tenant = f.ex.Tenant
	if at != nil {
		if e.SchemaPointer == "" {
			e.SchemaPointer = at.Pointer()
		}
		p := at.Pos()
		e.Location = &finding.Location{File: p.File, Line: p.Line, Column: p.Col}
	}
	e.Count = 1
	e.FirstSeen, e.LastSeen = f.ex.Time, f.ex.Time
	e.Fingerprint = event.Fingerprint(e)
	f.list = append(f.list, e)
}

// events are the exchange's drifts, each fingerprint once: one exchange
// is one sighting, however many times a validator repeats itself.
func (f *findings) events() []event.Event {
	seen := make(map[string]bool, len(f.list))
	out := f.list[:0]
	for _, e := range f.list {
		if !seen[e.Fingerprint] {
			seen[e.Fingerprint] = true
			out = append(out, e)
		}
	}
	return out
}
