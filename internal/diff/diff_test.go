package diff_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/load"
)

func mustLoad(t testing.TB, name, text string) *load.Document {
	t.Helper()
	doc, err := load.Load(load.Options{FS: fstest.MapFS{name: {Data: []byte(text)}}, Path: name, Display: name})
	require.NoError(t, err)
	return doc
}

func compare(t testing.TB, base, rev string) *diff.Result {
	t.Helper()
	res, err := diff.Compare(mustLoad(t, "base.yaml", base), mustLoad(t, "revision.yaml", rev), diff.Options{})
	require.NoError(t, err)
	return res
}

// fanOut builds a schema chain L0…Ln where every level has two properties
// referencing the next: 2^n paths through the document, n+1 schemas.
func fanOut(n int, leafType string) string {
	var b strings.Builder
	b.WriteString(`{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/L0"}}}}}}}}, "components": {"schemas": {`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"L%d": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/L%d"}, "b": {"$ref": "#/components/schemas/L%d"}}},`, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `"L%d": {"type": %q}}}}`, n, leafType)
	return b.String()
}

func TestFanOutIsLinear(t *testing.T) {
	res := compare(t, fanOut(40, "string"), fanOut(40, "integer"))
	// one pair per level (and side), not 2^40
	assert.LessOrEqual(t, len(res.Schemas), 45)
	assert.GreaterOrEqual(t, len(res.Schemas), 41)
}

func BenchmarkFanOut40(b *testing.B) {
	base, rev := mustLoad(b, "base.json", fanOut(40, "string")), mustLoad(b, "rev.json", fanOut(40, "integer"))
	for b.Loop() {
		if _, err := diff.Compare(base, rev, diff.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

const recursive = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /nodes:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        parent: {$ref: "#/components/schemas/Node"}
        name: {type: %s}
`

func TestRecursiveSchemasTerminate(t *testing.T) {
	res := compare(t, fmt.Sprintf(recursive, "string"), fmt.Sprintf(recursive, "integer"))
	require.Len(t, res.Operations, 1)
	assert.Less(t, len(res.Schemas), 10)
}

const petPath = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{%s}:
    get:
      parameters:
        - {name: %s, in: path, required: true, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses:
        "200": {description: ok}
`

func TestPathParamRenameMatches(t *testing.T) {
	res := compare(t, fmt.Sprintf(petPath, "id", "id"), strings.Replace(fmt.Sprintf(petPath, "petId", "petId"), "X-Trace", "x-trace", 1))
	require.Len(t, res.Operations, 1)
	op := res.Operations[0]
	require.NotNil(t, op.Base)
	require.NotNil(t, op.Rev)
	assert.Equal(t, "GET /pets/{petId}", op.Name())
	for _, p := range op.Params {
		assert.NotNil(t, p.Base, "parameter %v unmatched", p.Rev)
		assert.NotNil(t, p.Rev, "parameter %v unmatched", p.Base)
	}
}

const swagger = `swagger: "2.0"
info: {title: t, version: "1"}
consumes: [application/json]
produces: [application/json, application/xml]
paths:
  /pets:
    post:
      parameters:
        - {name: body, in: body, required: true, schema: {$ref: "#/definitions/Pet"}}
        - {name: limit, in: query, type: integer, maximum: 10}
      responses:
        "201": {description: ok, schema: {$ref: "#/definitions/Pet"}, headers: {X-Id: {type: string}}}
definitions:
  Pet: {type: object, properties: {name: {type: string, x-nullable: true}}}
`

func TestSwaggerModel(t *testing.T) {
	api, err := diff.BuildAPI(mustLoad(t, "swagger.yaml", swagger))
	require.NoError(t, err)
	require.Len(t, api.Operations, 1)
	op := api.Operations[0]
	assert.Equal(t, "POST /pets", op.Name)
	require.NotNil(t, op.Body)
	assert.True(t, op.Body.Required)
	require.Len(t, op.Body.Content, 1)
	assert.Equal(t, "application/json", op.Body.Content[0].Type)
	require.Len(t, op.Params, 1, "the body parameter becomes the request body")
	assert.Equal(t, "limit", op.Params[0].Name)
	assert.Equal(t, "integer", op.Params[0].Schema.Str("type"), "2.0 parameters carry their schema inline")
	require.Len(t, op.Responses, 1)
	assert.Len(t, op.Responses[0].Content, 2, "one media per produces entry")
	assert.Equal(t, 12, op.Responses[0].Content[0].Schema.Pos().Line, "positions point into the 2.0 file")
}

func TestNormalizePath(t *testing.T) {
	assert.Equal(t, "/a/{}/b/{}", diff.NormalizePath("/a/{id}/b/{name}"))
	assert.Equal(t, "/plain", diff.NormalizePath("/plain"))
}

// TestVariantsMatchByDiscriminatorMapping: both components are renamed and
// reordered, and their properties are equally (dis)similar, so only the
// discriminator mapping values can pair Card with CardPayment.
func TestVariantsMatchByDiscriminatorMapping(t *testing.T) {
	doc := func(first, second, cardName, bankName, cardProp, bankProp string) string {
		return `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /m:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/` + first + `"
                  - $ref: "#/components/schemas/` + second + `"
                discriminator:
                  propertyName: kind
                  mapping:
                    card: "#/components/schemas/` + cardName + `"
                    bank: "#/components/schemas/` + bankName + `"
components:
  schemas:
    ` + cardName + `: {type: object, properties: {kind: {type: string}, ` + cardProp + `: {type: string}}}
    ` + bankName + `: {type: object, properties: {kind: {type: string}, ` + bankProp + `: {type: string}}}
`
	}
	res := compare(t, doc("Card", "Bank", "Card", "Bank", "pan", "iban"),
		doc("BankAccount", "CardPayment", "CardPayment", "BankAccount", "token", "account"))
	var pairs []string
	for _, sp := range res.Schemas {
		for _, v := range sp.OneOf {
			if v.Base != nil && v.Rev != nil {
				pairs = append(pairs, v.Base.RefName+"→"+v.Rev.RefName)
			}
		}
	}
	assert.ElementsMatch(t, []string{"Card→CardPayment", "Bank→BankAccount"}, pairs)
}

// A 3.1 definition that is itself a $ref with siblings (Parameter: $ref
// Extensions plus its own keywords) is named after the definition when a
// $ref reaches it, not after the target of its own $ref: findings on it
// said 'Extensions gained if/then' for a change to Parameter.
func TestSiblingRefDefinitionKeepsItsName(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /p:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Parameter"}
      responses:
        "204": {description: ok}
components:
  schemas:
    Extensions: {patternProperties: {"^x-": true}}
    Parameter:
      $ref: "#/components/schemas/Extensions"
      type: object
      properties: {in: {type: string}}
`
	res := compare(t, doc, doc)
	var names []string
	for _, sp := range res.Schemas {
		if sp.Base.Node != nil && sp.Base.Node.Get("properties") != nil {
			names = append(names, sp.Base.RefName)
		}
	}
	require.Contains(t, names, "Parameter")
	require.NotContains(t, names, "Extensions")
}
