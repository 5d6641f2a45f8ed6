package diff_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two schemas that allOf the same base and each constrain one of its
// properties must not see each other's constraint, whichever is built
// first; and a self-referencing allOf pair must end.
const sharedBase = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/A"}}}}
      responses: {"200": {description: ok}}
  /b:
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/B"}}}}
      responses: {"200": {description: ok}}
  /c:
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/C"}}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    A: {allOf: [{$ref: "#/components/schemas/Base"}, {properties: {kind: {enum: [a]}}}]}
    B: {allOf: [{$ref: "#/components/schemas/Base"}, {properties: {kind: {enum: [b]}}}]}
    C: {allOf: [{$ref: "#/components/schemas/Node"}, {$ref: "#/components/schemas/Node2"}]}
    Base: {type: object, properties: {kind: {type: string}}}
    Node: {type: object, properties: {next: {$ref: "#/components/schemas/C"}}}
    Node2: {type: object, properties: {next: {$ref: "#/components/schemas/C"}}}
`

func TestAllOfSharedBaseDoesNotLeak(t *testing.T) {
	res := compare(t, sharedBase, sharedBase)
	enums := map[string]string{}
	for _, sp := range res.Schemas {
		for _, pp := range sp.Props {
			if pp.Name == "kind" && pp.Base.Schema.Enum != nil {
				enums[sp.Base.Node.Pointer()] = pp.Base.Schema.Enum.Children[0].Value
			}
		}
	}
	assert.Equal(t, "a", enums["/components/schemas/A"])
	assert.Equal(t, "b", enums["/components/schemas/B"])
	assert.NotContains(t, enums, "/components/schemas/Base")
}
