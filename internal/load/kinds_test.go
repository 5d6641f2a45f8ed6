package load

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSchemaDraft: $schema decides the draft; http/https and '#' do not
// matter; the default is 2020-12.
func TestSchemaDraft(t *testing.T) {
	for uri, want := range map[string]string{
		"": Draft2020,
		"http://json-schema.org/draft-04/schema#":       Draft04,
		"https://json-schema.org/draft-06/schema":       Draft06,
		"http://json-schema.org/draft-07/schema":        Draft07,
		"https://json-schema.org/draft/2019-09/schema":  Draft2019,
		"https://json-schema.org/draft/2020-12/schema#": Draft2020,
	} {
		got, ok := SchemaDraft(uri)
		assert.True(t, ok, uri)
		assert.Equal(t, want, got, uri)
	}
	_, ok := SchemaDraft("https://spec.openapis.org/oas/3.1/dialect/base")
	assert.False(t, ok)
}

// TestMetaSchemaErrors: an invalid schema is one error at the node the
// meta-schema rejects, naming its pointer and the draft.
func TestMetaSchemaErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		phrase    string
		forced    Kind
	}{
		{"bad type name", `{"$schema": "http://json-schema.org/draft-07/schema#",
 "properties": {"a": {"type": "strin"}}}`, 2, 31, `(draft-07): at "/properties/a/type"`, ""},
		{"required not an array", `{"$schema": "https://json-schema.org/draft/2020-12/schema",
 "required": "name"}`, 2, 14, `(2020-12): at "/required"`, ""},
		{"draft-04 boolean exclusiveMinimum", `{"$schema": "http://json-schema.org/draft-04/schema#",
 "minimum": 1, "exclusiveMinimum": 5}`, 2, 36, `(draft-04): at "/exclusiveMinimum"`, ""},
		{"2020-12 numeric exclusiveMinimum is fine, a boolean is not", `{"$schema": "https://json-schema.org/draft/2020-12/schema",
 "exclusiveMinimum": true}`, 2, 22, `(2020-12): at "/exclusiveMinimum"`, ""},
		{"no $schema with --kind reads 2020-12", `{"items": [{"type": "string"}]}`, 1, 11, `(2020-12): at "/items"`, JSONSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadString("s.json", tc.src, withKind(tc.forced))
			requireSourceError(t, err, "s.json", tc.line, tc.col, "not a valid JSON Schema "+tc.phrase)
		})
	}
	_, err := loadString("s.json", `{"$schema": "https://example.com/my-meta"}`)
	requireSourceError(t, err, "s.json", 1, 13, `unsupported $schema "https://example.com/my-meta"`)
}

// TestMetaSchemaValidCorners: what is valid must load — ECMA regexes RE2
// cannot compile, boolean schemas, YAML.
func TestMetaSchemaValidCorners(t *testing.T) {
	for _, src := range []string{
		`{"$schema": "http://json-schema.org/draft-07/schema#", "pattern": "^(?!internal)[a-z]+$"}`,
		`{"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"a": true, "b": false}}`,
		`{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/a", "definitions": {"a": {"$id": "#a"}}}`,
	} {
		_, err := loadString("s.json", src)
		assert.NoError(t, err, src)
	}
	d, err := loadString("s.yaml", "$schema: 'http://json-schema.org/draft-06/schema#'\ntype: object\nminProperties: 1\n")
	require.NoError(t, err)
	assert.Equal(t, JSONSchema, d.Kind)
	assert.Equal(t, Draft06, d.Draft())
}

// TestJSONSchemaIDRefs: $id sets the base URI; references reach embedded
// resources, anchors and sibling files, and never the network.
func TestJSONSchemaIDRefs(t *testing.T) {
	fsys := fstest.MapFS{
		"schemas/address.json": {Data: []byte(`{"$id": "https://example.com/schemas/address.json", "$defs": {"zip": {"$anchor": "zip", "type": "string"}}}`)},
		"schemas/person.json": {Data: []byte(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.com/schemas/person.json",
  "properties": {
    "home": {"$ref": "address.json"},
    "zip": {"$ref": "address.json#zip"},
    "work": {"$ref": "https://example.com/schemas/address.json#/$defs/zip"},
    "pet": {"$ref": "urn:example:pet"},
    "tag": {"$ref": "tag"}
  },
  "$defs": {
    "pet": {"$id": "urn:example:pet", "type": "object", "properties": {"owner": {"$ref": "#/properties/name"}, "name": {}}},
    "tag": {"$id": "tag", "type": "string"}
  }
}`)},
	}
	d, err := Load(Options{FS: fsys, Path: "schemas/person.json"})
	require.NoError(t, err)
	props := d.Main.Root.Get("properties")
	addr := d.Files[1]
	assert.Same(t, addr.Root, d.Target(props.Get("home")))
	zip, _ := addr.Root.Lookup("/$defs/zip")
	assert.Same(t, zip, d.Target(props.Get("zip")), "anchor in a sibling resource")
	assert.Same(t, zip, d.Target(props.Get("work")), "absolute URL under the $id's directory is the sibling file")
	pet, _ := d.Main.Root.Lookup("/$defs/pet")
	assert.Same(t, pet, d.Target(props.Get("pet")), "urn: $id of an embedded resource")
	name, _ := pet.Lookup("/properties/name")
	assert.Same(t, name, d.Target(pet.Get("properties").Get("owner")), "a fragment resolves inside its own resource")
	tag, _ := d.Main.Root.Lookup("/$defs/tag")
	assert.Same(t, tag, d.Target(props.Get("tag")), "relative $id resolved against the parent's base")
}

func TestJSONSchemaIDRefsRefused(t *testing.T) {
	for _, tc := range []struct {
		name, ref string
		phrase    string
	}{
		{"another host", "https://other.example/x.json", `remote $ref "https://other.example/x.json" is refused`},
		{"above the $id's directory", "../x.json", `remote $ref "../x.json" is refused`},
		{"missing sibling written as a URL", "https://example.com/schemas/gone.json", `remote $ref "https://example.com/schemas/gone.json" is refused`},
		{"missing sibling written relative", "gone.json", `unresolvable $ref "gone.json"`},
		{"unknown urn", "urn:example:nothing", `no loaded schema has the $id "urn:example:nothing"`},
		{"dot segments in a URL", "https://example.com/schemas/../../x.json", `remote $ref "https://example.com/schemas/../../x.json" is refused`},
		{"encoded dot segments", "https://example.com/schemas/a/%2e%2e/%2e%2e/%2e%2e/x.json", `points outside the contract's directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := `{"$id": "https://example.com/schemas/a.json",
"$schema": "https://json-schema.org/draft/2020-12/schema",
"properties": {"x": {"$ref": "` + tc.ref + `"}}}`
			_, err := Load(Options{FS: fstest.MapFS{"a.json": {Data: []byte(src)}}, Path: "a.json"})
			requireSourceError(t, err, "a.json", 3, 30, tc.phrase)
		})
	}
}

// TestJSONSchemaDraft04ID: draft-04 names its identifier `id`.
func TestJSONSchemaDraft04ID(t *testing.T) {
	fsys := fstest.MapFS{
		"a.json": {Data: []byte(`{"$schema": "http://json-schema.org/draft-04/schema#", "id": "https://example.com/s/a.json",
"properties": {"b": {"$ref": "b.json#/definitions/x"}, "id": {"type": "string"}}}`)},
		"b.json": {Data: []byte(`{"definitions": {"x": {"type": "integer"}}}`)},
	}
	d, err := Load(Options{FS: fsys, Path: "a.json"})
	require.NoError(t, err)
	x, _ := d.Files[1].Root.Lookup("/definitions/x")
	assert.Same(t, x, d.Target(d.Main.Root.Get("properties").Get("b")))
}

const validFunction = `function: my-team/payments
relay: function/v1
version: 1.4.0
description: Charges a card.
jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema
input:
  type: object
  properties:
    amount: {$ref: "#/$defs/Money"}
output: {type: object}
errors:
  card_declined: {type: object}
events:
  charge.succeeded: true
$defs:
  Money: {type: integer, minimum: 1}
deprecated: false
x-sunset: "2027-01-31"
x-owner: payments@example.com
`

func TestFunctionContract(t *testing.T) {
	d, err := loadString("f.yaml", validFunction)
	require.NoError(t, err)
	assert.Equal(t, Function, d.Kind)
	assert.Equal(t, "1.4.0", d.APIVersion)
	money, _ := d.Main.Root.Lookup("/$defs/Money")
	assert.Same(t, money, d.Deref(d.Main.Root.Get("input").Get("properties").Get("amount")))
}

func TestFunctionContractErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line, col int
		phrase    string
	}{
		{"unknown field", "function: a/b\ninput: {}\nouptut: {}\n", 3, 1, `unknown field "ouptut" in a function contract`},
		{"name without team", "function: payments\ninput: {}\n", 1, 11, `function must be team/name`},
		{"name not a string", "function: [a]\ninput: {}\n", 1, 11, `function must be team/name`},
		{"version not semver", "function: a/b\nversion: 1.0\ninput: {}\n", 2, 10, `version must be a semantic version`},
		{"input not a schema", "function: a/b\ninput: [1]\n", 2, 8, `input must be a JSON Schema`},
		{"errors not a map", "function: a/b\ninput: {}\nerrors: [a]\n", 3, 9, `errors must map names to schemas`},
		{"error not a schema", "function: a/b\ninput: {}\nerrors:\n  e1: 3\n", 4, 7, `errors.e1 must be a JSON Schema`},
		{"bad error code", "function: a/b\ninput: {}\nerrors:\n  'has space': {}\n", 4, 3, `errors name "has space"`},
		{"marker", "function: a/b\nrelay: function/v2\n", 2, 8, `relay must be "function/v1"`},
		{"deprecated not a bool", "function: a/b\ninput: {}\ndeprecated: 'yes'\n", 3, 13, `deprecated must be a boolean`},
		{"invalid schema inside", "function: a/b\ninput: {}\noutput:\n  properties:\n    x: {type: strin}\n", 5, 15,
			`not a valid JSON Schema (2020-12): at "/output/properties/x/type"`},
		{"draft of the schemas", "function: a/b\njsonSchemaDialect: http://json-schema.org/draft-04/schema#\ninput: {minimum: 1, exclusiveMinimum: 2}\n", 3, 39,
			`(draft-04): at "/input/exclusiveMinimum"`},
		{"unknown dialect", "function: a/b\njsonSchemaDialect: x\ninput: {}\n", 2, 20, `unsupported jsonSchemaDialect "x"`},
		{"forced kind without a name", "input: {}\n", 1, 1, `needs a function field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadString("f.yaml", tc.src, withKind(Function))
			requireSourceError(t, err, "f.yaml", tc.line, tc.col, tc.phrase)
		})
	}
}

// TestAsyncAPIOpaquePayloads: payloads in formats relay does not compare,
// and bindings, are not loaded — a registry URL there neither fails the
// load nor is fetched. A JSON Schema payload's remote $ref still is refused.
func TestAsyncAPIOpaquePayloads(t *testing.T) {
	src := `asyncapi: 3.0.0
info: {title: t, version: 1.0.0}
channels:
  c:
    address: c
    bindings:
      kafka: {key: {$ref: "https://registry.example/key.avsc"}}
    messages:
      m:
        payload:
          schemaFormat: application/vnd.apache.avro;version=1.9.0
          schema: {$ref: "https://registry.example/value.avsc"}
      m2:
        schemaFormat: application/vnd.google.protobuf
        payload: {$ref: "https://registry.example/value.proto"}
`
	_, err := loadString("a.yaml", src)
	require.NoError(t, err)
	_, err = loadString("a.yaml", src+`      m3:
        payload: {$ref: "https://registry.example/schema.json"}
`)
	requireSourceError(t, err, "a.yaml", 17, 25, `remote $ref "https://registry.example/schema.json" is refused`)
	for f, want := range map[string]bool{
		"": true, "application/vnd.aai.asyncapi+json;version=2.6.0": true, "application/schema+yaml;version=draft-07": true,
		"application/vnd.oai.openapi;version=3.0.0": true, "application/vnd.apache.avro+json;version=1.9.0": false,
		"application/raml+yaml;version=1.0": false,
	} {
		assert.Equal(t, want, JSONSchemaFormat(f), f)
	}
}

// TestMetaSchemaPointerLookup: the error names the deepest node that
// exists, even through arrays.
func TestMetaSchemaPointerLookup(t *testing.T) {
	_, err := loadString("s.yaml", "$schema: http://json-schema.org/draft-07/schema#\nallOf:\n  - type: object\n  - {type: [string, 7]}\n")
	requireSourceError(t, err, "s.yaml", 4, 21, `at "/allOf/1/type/1"`)
}

// TestMetaSchemaConcurrent: --all loads contracts concurrently, and the
// compiled meta-schemas are shared (run under -race).
func TestMetaSchemaConcurrent(t *testing.T) {
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func() {
			_, err := loadString("f.yaml", validFunction)
			done <- err
		}()
	}
	for i := 0; i < 8; i++ {
		assert.NoError(t, <-done)
	}
}
