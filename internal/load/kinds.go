package load

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// Kind is the family of a contract document.
type Kind string

// The contract kinds relay recognises.
const (
	OpenAPI    Kind = "openapi"    // OpenAPI 3.0.x / 3.1.x
	Swagger    Kind = "swagger"    // Swagger / OpenAPI 2.0
	JSONSchema Kind = "jsonschema" // a bare JSON Schema document
	Function   Kind = "function"   // relay function contract
	AsyncAPI   Kind = "asyncapi"   // AsyncAPI 2.x / 3.0
)

// kinds is the one list of contract kinds: --kind, its help and messages,
// the manifest's kind check and contracts/config.schema.json's kind enum
// all come from it, in this order.
//
// Adding a kind takes:
//   - a constant above and an entry here: its name, how messages name it,
//     its marker and accepted versions, where its own version is, and the
//     checks a document of the kind must pass once its $refs resolve;
//   - the name in the kind enum of contracts/config.schema.json
//     (TestConfigSchemaKinds fails until it is there);
//   - an entry in diff's kindModels, which reads the kind into the
//     comparison model, and one in rules' kindRules, which says what
//     classifies its operations and document (both in kinds.go; a test in
//     each package fails while one is missing);
//   - an edit to refs.go only if its $refs need more than the OpenAPI
//     reading: JSON Schema and function contracts index $id, AsyncAPI keeps
//     payloads in foreign schema formats opaque.
var kinds = []kindSpec{
	{kind: OpenAPI, title: "an openapi", apiVersion: infoVersion, marker: marker{
		field: "openapi", hint: "openapi", rank: 1, spec: true, supported: "3.0.x and 3.1.x",
		accepts: versionPrefix("3.0", "3.1"),
	}},
	{kind: Swagger, title: "a swagger", apiVersion: infoVersion, answersTo: []Kind{OpenAPI}, marker: marker{
		field: "swagger", hint: "swagger", rank: 2, spec: true, supported: "2.0",
		accepts: func(v string) bool { return v == "2.0" },
	}},
	{kind: JSONSchema, title: "a jsonschema", check: checkJSONSchema, marker: marker{
		// The draft is checked with the rest of the schema (contract.go).
		field: "$schema", hint: "$schema", rank: 5, spec: true,
	}},
	{kind: Function, title: "a function", apiVersion: []string{"version"}, check: checkFunction, marker: marker{
		// Its value is the function's name, not a version.
		field: "function", with: []string{"input", "output", "relay"}, hint: "function with input/output", rank: 4,
	}},
	{kind: AsyncAPI, title: "an asyncapi", apiVersion: infoVersion, marker: marker{
		// 3.1 only adds to 3.0, so it reads the same way.
		field: "asyncapi", hint: "asyncapi", rank: 3, spec: true, supported: "2.x, 3.0.x and 3.1.x",
		accepts: versionPrefix("2", "3.0", "3.1"),
	}},
}

// kindSpec is what the loader knows about one kind.
type kindSpec struct {
	kind Kind
	// title names a document of the kind in messages, with its article.
	title  string
	marker marker
	// answersTo lists the other --kind values that may name a document of
	// this kind: a Swagger 2.0 document is "OpenAPI 2.0" to most people.
	answersTo []Kind
	// apiVersion is the path to the contract's own version (nil: none).
	apiVersion []string
	// check runs once every $ref has resolved (nil: nothing beyond
	// parsing and the $refs).
	check func(*Document) *source.Error
}

var infoVersion = []string{"info", "version"}

// marker is the root field that tells a document's kind without --kind.
type marker struct {
	field string
	// with lists fields of which one must accompany field: a function
	// contract's "function" alone may be any document's property.
	with []string
	// hint is how the "no kind marker" message names the marker.
	hint string
	// rank orders detection when a root has several markers: lower wins.
	rank int
	// spec says field's value is the specification version: it must be a
	// string, and becomes Document.SpecVersion.
	spec bool
	// supported says in messages which versions accepts takes; accepts nil
	// takes every version.
	supported string
	accepts   func(string) bool
}

// Kinds lists every contract kind, in the order messages list them.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i := range kinds {
		out[i] = kinds[i].kind
	}
	return out
}

// KindList lists the kinds for flag help: "openapi, swagger, jsonschema,
// function, asyncapi".
func KindList() string { return strings.Join(kindNames(), ", ") }

// KindChoice offers the kinds in an error message: "openapi, swagger,
// jsonschema, function or asyncapi".
func KindChoice() string {
	names := kindNames()
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " or " + names[last]
}

func kindNames() []string {
	out := make([]string, len(kinds))
	for i := range kinds {
		out[i] = string(kinds[i].kind)
	}
	return out
}

// Known reports whether k is one of the contract kinds.
func (k Kind) Known() bool { return specOf(k) != nil }

// Title names a document of kind k in messages, with its article: "an
// openapi", "a jsonschema".
func (k Kind) Title() string {
	if s := specOf(k); s != nil {
		return s.title
	}
	return "a " + string(k)
}

func specOf(k Kind) *kindSpec {
	for i := range kinds {
		if kinds[i].kind == k {
			return &kinds[i]
		}
	}
	return nil
}

// versionPrefix accepts each prefix itself or followed by a dot (so "3.0"
// takes "3.0.3" but not "3.01").
func versionPrefix(prefixes ...string) func(string) bool {
	return func(v string) bool {
		for _, p := range prefixes {
			if v == p || strings.HasPrefix(v, p+".") {
				return true
			}
		}
		return false
	}
}
