package validate

import (
	"context"

	"github.com/relay-dev/relay/internal/load"
)

// schemaKeywords are the JSON Schema keywords that hold subschemas, in
// every draft relay reads (04 to 2020-12), with the kinds load's
// meta-schema check has already enforced. A schema allows any other
// keyword; these are listed so the walk reaches every nested schema and
// can judge where its $refs point.
const schemaKeywords = "$ref:string $defs:map:schema definitions:map:schema properties:map:schema " +
	"patternProperties:map:schema dependentSchemas:map:schema dependencies:map:schema|[]string " +
	"additionalProperties:schema items:schema|[]schema prefixItems:[]schema additionalItems:schema " +
	"contains:schema propertyNames:schema unevaluatedItems:schema unevaluatedProperties:schema " +
	"allOf:[]schema anyOf:[]schema oneOf:[]schema not:schema if:schema then:schema else:schema " +
	"contentSchema:schema"

var (
	jsonSchemaSet = compile("schema", map[string]typeDef{
		"schema": {name: "schema", ext: true, ref: refSiblings, open: true, boolean: true, fields: schemaKeywords},
	})
	functionSet = compile("function", map[string]typeDef{
		"function": {name: "function contract", ext: true,
			fields: "function:string relay:string version:string description:string jsonSchemaDialect:string " +
				"input:schema output:schema errors:map:schema events:map:schema $defs:map:schema deprecated:bool"},
		"schema": {name: "schema", ext: true, ref: refSiblings, open: true, boolean: true, fields: schemaKeywords},
	})
)

// schemaRefs checks a JSON Schema document or a function contract: load
// has validated each schema against its draft's meta-schema (a document
// that fails does not load), which cannot say where a $ref points. Here a
// $ref must reach a schema: not a map of them (#/definitions), not a
// keyword's value (#/required).
func schemaRefs(ctx context.Context, doc *load.Document, p *problems) error {
	set := jsonSchemaSet
	if doc.Kind == load.Function {
		set = functionSet
	}
	return newWalker(ctx, doc, set, p).run()
}
