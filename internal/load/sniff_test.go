package load

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name, file, src string
		forced          Kind
		kind            Kind
		spec, api       string
	}{
		{"openapi 3.0", "a.yaml", "openapi: 3.0.3\ninfo: {version: 1.4.0}\n", "", OpenAPI, "3.0.3", "1.4.0"},
		{"openapi 3.1", "a.json", `{"openapi": "3.1.0", "info": {"version": "2"}}`, "", OpenAPI, "3.1.0", "2"},
		{"swagger", "a.yaml", "swagger: '2.0'\ninfo: {version: 1.0}\n", "", Swagger, "2.0", "1.0"},
		{"swagger forced openapi", "a.yaml", "swagger: '2.0'\n", OpenAPI, Swagger, "2.0", ""},
		{"asyncapi 2", "a.yaml", "asyncapi: 2.6.0\ninfo: {version: v1}\n", "", AsyncAPI, "2.6.0", "v1"},
		{"asyncapi 3", "a.yaml", "asyncapi: 3.0.0\n", "", AsyncAPI, "3.0.0", ""},
		{"json schema", "a.json", `{"$schema": "http://json-schema.org/draft-07/schema#", "version": 3}`, "", JSONSchema,
			"http://json-schema.org/draft-07/schema#", ""},
		{"function", "a.yml", "function: my-team/payments\nversion: 1.0.0\ninput: {type: object}\n", "", Function, "", "1.0.0"},
		{"function output only", "a.yml", "function: t/f\noutput: {}\nversion: '2.0.1'\n", "", Function, "", "2.0.1"},
		{"function marker only", "a.yml", "function: t/f\nrelay: function/v1\nevents: {e: {}}\n", "", Function, "", ""},
		{"forced jsonschema", "a.yaml", "type: object\n", JSONSchema, JSONSchema, "", ""},
		{"forced function", "a.yaml", "function: t/f\nrelay: function/v1\n", Function, Function, "", ""},
		{"agreeing kind", "a.yaml", "openapi: 3.1.1\n", OpenAPI, OpenAPI, "3.1.1", ""},
		{"null version", "a.yaml", "openapi: 3.1.1\ninfo: {version: ~}\n", "", OpenAPI, "3.1.1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := loadString(tc.file, tc.src, withKind(tc.forced))
			require.NoError(t, err)
			assert.Equal(t, tc.kind, d.Kind)
			assert.Equal(t, tc.spec, d.SpecVersion)
			assert.Equal(t, tc.api, d.APIVersion)
		})
	}
}

func TestSniffErrors(t *testing.T) {
	_, err := loadString("a.yaml", "asyncapi: 1.2.0\n")
	requireSourceError(t, err, "a.yaml", 1, 11, `unsupported asyncapi version "1.2.0"`)
	_, err = loadString("a.yaml", "openapi: 3.01.0\n")
	requireSourceError(t, err, "a.yaml", 1, 10, `unsupported openapi version "3.01.0"`)
	_, err = loadString("a.yaml", "$schema: 7\n")
	requireSourceError(t, err, "a.yaml", 1, 10, `version field "$schema" must be a string, got number`)
	_, err = loadString("a.yaml", "function: f\ninput: {}\n", withKind(OpenAPI))
	requireSourceError(t, err, "a.yaml", 1, 1, `"function" field marks it as function, which contradicts --kind openapi`)
	_, err = loadString("a.yaml", "function: t/f\ninput: {}\nversion: [1]\n")
	requireSourceError(t, err, "a.yaml", 3, 10, `version field "version" must be a string, got array`)
	_, err = loadString("a.yaml", "type: object\n", withKind("graphql"))
	requireSourceError(t, err, "a.yaml", 1, 1, `unknown contract kind "graphql"`)
}

func TestLintSkipsData(t *testing.T) {
	d, err := loadString("a.yaml", `openapi: 3.0.0
components:
  schemas:
    A:
      type: object
      minLength: 0
      maxLength: 2.0
      multipleOf: 0.5
      properties:
        minLength: {type: integer, minimum: -1}
        multipleOf: {type: number}
      example: {minLength: -1, multipleOf: 0}
      default: {maxItems: 1.5}
      enum: [{minItems: -1}]
      const: {minProperties: -1}
      examples: [{maxProperties: -2}]
      x-extra: {minLength: -1}
  examples:
    E:
      value: {minLength: -1}
`)
	require.NoError(t, err)
	assert.Equal(t, OpenAPI, d.Kind)
}
