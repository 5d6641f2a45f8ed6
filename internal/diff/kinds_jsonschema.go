package diff

import (
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// buildJSONSchema reads a bare JSON Schema document as one part named after
// its role, or, for a document that only holds definitions, one part per
// definition.
func buildJSONSchema(doc *load.Document, opts Options) (*API, error) {
	root := doc.Main.Root
	api := newKindAPI(doc)
	if !definitionsOnly(root) {
		api.Operations = []*Operation{schemaPart(doc, opts.SchemaRole)}
		return api, nil
	}
	side := roleSide(opts.SchemaRole)
	for _, key := range []string{"$defs", "definitions"} {
		for _, n := range children(root.Get(key)) {
			api.Operations = append(api.Operations, newPart(PartDefinition, key+"/"+n.Key, n, n, side))
		}
	}
	return api, nil
}

// alignJSONSchema reads both sides as one part when only one of them was
// read as definitions: the parts could not be matched otherwise.
func alignJSONSchema(b, r *API, opts Options) {
	if partsOf(b) != partsOf(r) {
		for _, api := range []*API{b, r} {
			api.Operations = []*Operation{schemaPart(api.Doc, opts.SchemaRole)}
		}
	}
}

// schemaPart is the whole document as one part, named after its role.
func schemaPart(doc *load.Document, role SchemaRole) *Operation {
	name := string(RoleInput)
	if role == RoleOutput {
		name = string(RoleOutput)
	}
	root := doc.Main.Root
	return newPart(PartSchema, name, root, root, roleSide(role))
}

func roleSide(role SchemaRole) Side {
	if role == RoleOutput {
		return ResponseSide
	}
	return RequestSide
}

// partsOf tells a document read as one part from one read as definitions.
func partsOf(api *API) string {
	if len(api.Operations) == 1 && api.Operations[0].Method == PartSchema {
		return PartSchema
	}
	return PartDefinition
}

// definitionsOnly reports a schema that validates nothing itself and only
// holds definitions for others to $ref: its definitions are its contract.
func definitionsOnly(root *source.Node) bool {
	if root.Kind != source.Object || (!root.Has("$defs") && !root.Has("definitions")) {
		return false
	}
	for _, c := range root.Children {
		switch c.Key {
		case "$schema", "$id", "id", "$comment", "title", "description", "$defs", "definitions", "examples", "$vocabulary":
		default:
			if len(c.Key) < 2 || c.Key[:2] != "x-" {
				return false
			}
		}
	}
	return true
}
