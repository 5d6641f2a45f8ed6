package load

import (
	"github.com/relay-dev/relay/internal/source"
)

// CheckContract runs the checks of the document's kind that Load runs
// unless Options.DeferContractCheck: a JSON Schema document against its
// draft's meta-schema, a function contract against its shape. The error,
// a *source.Error, is the first problem found.
func CheckContract(d *Document) error {
	if e := checkContract(d); e != nil {
		return e
	}
	return nil
}

// checkContract runs the checks of the document's kind once every $ref has
// resolved: a JSON Schema document (and each sibling file it reaches) must
// be valid against its draft's meta-schema, and a function contract must
// have the shape of contracts/function-contract.schema.json with valid
// schemas in it.
func checkContract(d *Document) *source.Error {
	if s := specOf(d.Kind); s != nil && s.check != nil {
		return s.check(d)
	}
	return nil
}

// checkJSONSchema validates every file of a JSON Schema contract against
// the draft its own $schema names, else the main file's.
func checkJSONSchema(d *Document) *source.Error {
	draft, e := documentDraft(d.Main.Root, Draft2020)
	if e != nil {
		return e
	}
	for _, f := range d.Files {
		own, e := documentDraft(f.Root, draft)
		if e != nil {
			return e
		}
		if e := checkMeta(f.Root, own); e != nil {
			return e
		}
	}
	return nil
}

// documentDraft reads a schema's $schema, falling back to def when absent.
func documentDraft(root *source.Node, def string) (string, *source.Error) {
	n := root.Get("$schema")
	if n == nil {
		return def, nil
	}
	if n.Kind != source.String {
		return "", notString(n, "$schema")
	}
	draft, ok := SchemaDraft(n.Value)
	if !ok {
		return "", source.Errorf(n.ValuePos(), "unsupported $schema %s (relay reads JSON Schema draft-04, draft-06, "+
			"draft-07, 2019-09 and 2020-12)", quote(n.Value))
	}
	return draft, nil
}

// Draft is the canonical draft URL a loaded JSON Schema document or
// function contract is written in (2020-12 when it does not say).
func (d *Document) Draft() string {
	switch d.Kind {
	case JSONSchema:
		draft, _ := documentDraft(d.Main.Root, Draft2020)
		return draft
	case Function:
		draft, _ := functionDraft(d.Main.Root)
		return draft
	}
	return ""
}
