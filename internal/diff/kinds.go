package diff

import (
	"fmt"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// Every contract kind is read into the same API model, so one pair graph
// and one rule catalog serve them all. The non-HTTP kinds map onto it so:
//
//   - A function contract is a set of parts, each an Operation of kind Part
//     named as the report shows it: "input", "output",
//     "errors.card_declined", "events.charge.succeeded". Each carries its
//     schema as the single media type of its Body, and PartSide says which
//     side the schema is on: request for the input (callers produce it),
//     response for output, errors and events (the function produces them).
//   - A bare JSON Schema is one part, named after --schema-role ("input" by
//     default: the schema validates data others send, so it is judged on the
//     request side; "output" is the mirror). A document that is nothing but
//     a bag of definitions (Kubernetes' definitions file) has one part per
//     definition, "definitions/NAME" or "$defs/NAME".
//   - An AsyncAPI document has one Send or Receive operation per action on a
//     channel, named "send CHANNEL" / "receive CHANNEL", whose Body holds
//     each message's payload and headers as media. What the application
//     sends is response-like for its consumers and what it receives is
//     request-like, exactly as webhooks flip HTTP (see Operation.RequestSide).

// SchemaRole says which side a bare JSON Schema is judged on.
type SchemaRole string

// The roles.
const (
	// RoleInput: the schema validates data others send (the default); a
	// change breaks when a previously valid instance becomes invalid.
	RoleInput SchemaRole = "input"
	// RoleOutput: the schema describes data this side emits; a change breaks
	// when it may emit an instance readers did not expect.
	RoleOutput SchemaRole = "output"
)

// kindModels says how each contract kind is read into the comparison
// model; every kind of load.Kinds needs an entry (TestEveryKindHasAModel).
// Adding a kind here takes a builder (in kinds_KIND.go), its family, and
// an align step only if its elements pair by more than their keys.
var kindModels = map[load.Kind]kindModel{
	load.OpenAPI:    {family: "http", build: buildHTTP},
	load.Swagger:    {family: "http", build: buildHTTP},
	load.JSONSchema: {family: "jsonschema", build: buildJSONSchema, align: alignJSONSchema},
	load.Function:   {family: "function", build: buildFunction},
	load.AsyncAPI:   {family: "asyncapi", build: buildAsyncAPI, align: alignAsync},
}

// kindModel is how the differ reads one contract kind.
type kindModel struct {
	// family names the kinds that can be compared with each other.
	family string
	build  func(*load.Document, Options) (*API, error)
	// align prepares the two built models for the generic matcher; nil
	// when the matcher's pairing by key is all the kind needs.
	align func(b, r *API, opts Options)
}

// buildHTTP reads OpenAPI 3 and Swagger 2 alike: the model is HTTP's.
func buildHTTP(doc *load.Document, _ Options) (*API, error) { return BuildAPI(doc) }

// Family groups the kinds that can be compared with each other: OpenAPI 3
// and Swagger 2 are both HTTP descriptions; AsyncAPI 2 and 3 are one kind.
func Family(k load.Kind) string {
	if m, ok := kindModels[k]; ok {
		return m.family
	}
	return string(k)
}

// buildFor reads a document of any kind into the comparison model.
func buildFor(doc *load.Document, opts Options) (*API, error) {
	m, ok := kindModels[doc.Kind]
	if !ok {
		return nil, fmt.Errorf("%s: relay cannot diff %s contracts", doc.Main.Path, doc.Kind)
	}
	return m.build(doc, opts)
}

// alignKinds runs the kind's align step, if it has one: AsyncAPI pairs
// operations and messages by more than their keys (alignAsync), and a JSON
// Schema read as definitions on one side only is read whole on both
// (alignJSONSchema).
func alignKinds(b, r *API, opts Options) {
	if m := kindModels[b.Doc.Kind]; m.align != nil {
		m.align(b, r, opts)
	}
}

// Comparable rejects a pair of different kinds before anything is built.
// OpenAPI 3 and Swagger 2 are one family (HTTP), as are AsyncAPI 2 and 3,
// so a migration within a family is a diff like any other.
func Comparable(base, rev *load.Document) error {
	if Family(base.Kind) != Family(rev.Kind) {
		return fmt.Errorf("cannot compare %s contract (%s) with %s contract (%s): they are different kinds",
			base.Kind.Title(), base.Main.Path, rev.Kind.Title(), rev.Main.Path)
	}
	return nil
}

// newKindAPI starts the model of a non-HTTP document. Its schemas are read
// with JSON Schema semantics (type arrays, no `nullable`).
func newKindAPI(doc *load.Document) *API {
	return &API{Doc: doc, schemas: newSchemaCache(doc, DialectOAS31)}
}

// newPart builds one part: an operation whose body is schema, on side.
func newPart(family, name string, node, schema *source.Node, side Side) *Operation {
	return &Operation{
		Kind: Part, Method: family, Path: name, Name: name, Key: name, Node: node, PartSide: side,
		Body: &Body{Node: node, Required: true, Content: []*Media{{Type: partMedia, Node: node, Schema: schema}}},
	}
}

// partMedia is the media type a part's schema is filed under.
const partMedia = "application/json"

// The part families (Operation.Method of a Part).
const (
	PartInput      = "INPUT"
	PartOutput     = "OUTPUT"
	PartError      = "ERROR"
	PartEvent      = "EVENT"
	PartSchema     = "SCHEMA"
	PartDefinition = "DEFINITION"
)
