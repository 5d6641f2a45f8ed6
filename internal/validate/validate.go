// Package validate checks that a loaded contract is a valid document of
// its kind: what `relay contract validate` reports, and what the diff
// checks before it compares.
//
// Every check runs on relay's own position-aware tree (package load), so
// each problem names the file, line and JSON pointer of the node it is
// about, also in files reached through $ref. Nothing here reads a file or
// touches the network: the loader has already read and confined every
// file.
//
// What is checked, by kind:
//
//   - OpenAPI 3.0 and 3.1: relay walks the document against tables of the
//     specification's objects (spec_oas.go): unknown fields, with a
//     suggestion for a likely typo (x- extensions are allowed; 3.0 Schema
//     Objects allow only their keywords, 3.1 ones any keyword), values of
//     the wrong kind, missing required fields, and $refs whose target is
//     not the kind of object the referring site expects (a response $ref to
//     #/info, a request body $ref to an operation, a parameter $ref into
//     components/schemas). Then kin-openapi validates the semantics: schema
//     types, path parameters declared for every template variable,
//     duplicate operationIds, server URL templates, security schemes and
//     flows, parameter styles, mutually exclusive fields, 3.1-only keywords
//     in a 3.0 document, defaults that do not match their schema (3.0 only:
//     in 3.1 a default is an annotation), patterns
//     that no regular-expression dialect accepts. kin's model is built by
//     decode.go straight from relay's tree (never from bytes, files or
//     URLs), and each schema is validated once on its own, its default
//     against the whole schema. Not checked: examples against their schemas
//     (the specification says SHOULD), runtime expressions in links and
//     callbacks, and path items under 3.1's components.pathItems that no
//     path references (kin-openapi's model has no place for them; relay's
//     walk still checks their structure).
//   - Swagger 2.0: the same walk against the 2.0 tables; then kin-openapi's
//     openapi2 model is converted with openapi2conv.ToV3 and validated, and
//     its errors are placed back in the 2.0 document.
//   - JSON Schema documents and function contracts: against their draft's
//     meta-schema (santhosh-tekuri/jsonschema) and, for function contracts,
//     contracts/function-contract.schema.json's shape. That is load's own
//     check (load.CheckContract), which Load runs unless the caller defers
//     it, and which is not run twice. A meta-schema cannot say where a $ref
//     points, so a $ref must also reach a schema, not a map of them or a
//     keyword's value.
//   - AsyncAPI 2.x and 3.x: no official meta-schema is available offline,
//     so relay checks the structure the specifications require: the
//     objects' fields (unknown, wrongly typed, required), an operation's
//     action (send or receive), $refs to the right kind of object (a 3.x
//     operation's channel must be a $ref into the root channels and its
//     messages must be messages of that channel), and the parameters of
//     channel names (2.x) and addresses (3.x). Not covered: bindings (protocol-specific objects,
//     looked at as data), payloads in formats other than JSON Schema
//     (Avro, Protobuf, RAML), runtime expressions, and the semantics of
//     schemas (a payload's schema is walked for $refs, not validated).
package validate

import (
	"context"
	"fmt"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
)

// InternalError is a failure of the validator rather than of the
// document (a panic inside kin-openapi): a bug to report.
type InternalError struct{ Msg string }

func (e *InternalError) Error() string { return "internal error while validating: " + e.Msg }

// Document checks a loaded contract against its kind's specification. The
// problems are sorted by file, line and column, without repeats; none
// means the document is valid. The error is only for failing to run: the
// context was cancelled, or the validator broke (*InternalError).
func Document(ctx context.Context, doc *load.Document) (probs []finding.Problem, err error) {
	if doc == nil || doc.Main == nil || doc.Main.Root == nil {
		return nil, &InternalError{Msg: "no document to validate"}
	}
	defer func() {
		if v := recover(); v != nil {
			probs, err = nil, &InternalError{Msg: "panic: " + oneLine(v)}
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p := newProblems()
	if err := byKind(ctx, doc, p); err != nil {
		return nil, err
	}
	return p.result(), nil
}

// kindValidators is validation's entry in the kinds table (load/kinds.go):
// one validator per contract kind; TestEveryKindIsValidated fails while a
// kind has none.
var kindValidators = map[load.Kind]func(context.Context, *load.Document, *problems) error{
	load.OpenAPI:    openAPI,
	load.Swagger:    swagger,
	load.JSONSchema: schemaRefs,
	load.Function:   schemaRefs,
	load.AsyncAPI:   asyncAPI,
}

func byKind(ctx context.Context, doc *load.Document, p *problems) error {
	v := kindValidators[doc.Kind]
	if v == nil {
		return &InternalError{Msg: fmt.Sprintf("unknown contract kind %q", doc.Kind)}
	}
	return v(ctx, doc, p)
}

// oneLine renders a panic value on one line.
func oneLine(v any) string {
	return strings.Join(strings.Fields(fmt.Sprint(v)), " ")
}
