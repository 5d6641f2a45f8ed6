package validate

import (
	"context"
	"errors"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
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

// schemaRefs checks a JSON Schema document or a function contract. Each
// schema must be valid against its draft's meta-schema, which load checks
// (load.CheckContract, run here when the caller deferred it, and reporting
// the first violation); a meta-schema cannot say where a $ref points, so
// then a $ref must reach a schema: not a map of them (#/definitions), not
// a keyword's value (#/required).
func schemaRefs(ctx context.Context, doc *load.Document, p *problems) error {
	if !doc.ContractChecked {
		var se *source.Error
		if err := load.CheckContract(doc); errors.As(err, &se) {
			p.list = append(p.list, problemFromError(doc, se))
			return nil
		}
	}
	set := jsonSchemaSet
	if doc.Kind == load.Function {
		set = functionSet
	}
	return newWalker(ctx, doc, set, p).run()
}

// problemFromError places a loader error at the node it names by position
// (for its pointer), or only at the position.
func problemFromError(doc *load.Document, se *source.Error) finding.Problem {
	pr := finding.Problem{Message: se.Msg,
		Location: finding.Location{File: se.Pos.File, Line: se.Pos.Line, Column: se.Pos.Col}}
	for _, f := range doc.Files {
		if f.Path != se.Pos.File {
			continue
		}
		f.Root.Walk(func(n *source.Node) bool {
			if v := n.ValuePos(); v.Line == se.Pos.Line && v.Col == se.Pos.Col {
				pr.Pointer = n.Pointer()
			}
			return pr.Pointer == ""
		})
	}
	return pr
}
