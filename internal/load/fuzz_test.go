package load

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/relay-dev/relay/internal/source"
)

// fuzzLimits keep a single fuzz input cheap.
var fuzzLimits = Limits{MaxFileBytes: 1 << 20, MaxNodes: 200_000, MaxDepth: 64, MaxAliases: 500, MaxFiles: 8}

// fuzzFS gives $refs something to find.
var fuzzFS = fstest.MapFS{
	"other.yaml":   {Data: []byte("A:\n  type: string\nB: {$ref: '#/A'}\n")},
	"other.json":   {Data: []byte(`{"A": {"$ref": "other.yaml#/B"}}`)},
	"loop.yaml":    {Data: []byte("A: {$ref: '#/A'}\n")},
	"sub/api.yaml": {Data: []byte("openapi: 3.0.0\nx: {$ref: '../other.yaml#/A'}\n")},
}

var fuzzSeeds = []string{
	`{"openapi": "3.0.0", "info": {"version": "1"}, "x": {"$ref": "other.json#/A"}}`,
	`{"openapi": "3.1.0", "a": [1, -2.5e3, true, null, "\u00e9\ud83d\ude00"], "b": {}}`,
	`{"swagger": "2.0", "definitions": {"A": {"$ref": "#/definitions/A"}}}`,
	`{"$schema": "x", "minLength": -1}`,
	`{"a": 1, "a": 2}`,
	`[[[[[[[[[[]]]]]]]]]]`,
	`{"x": 1e400}`,
	"{\"a\": \"\x01\"}",
	"openapi: 3.0.0\ninfo: {version: 1.0}\npaths:\n  /p:\n    get:\n      responses:\n        200: {$ref: 'other.yaml#/A'}\n",
	"a: &a [1, 2]\nb: &b [*a, *a]\nc: [*b, *b]\nopenapi: 3.0.0\n",
	"a: &x [*x]\n",
	"m:\n  <<: [{a: 1}, {b: 2}]\n  c: !!str 3\nasyncapi: 2.6.0\n",
	"function: f\ninput:\n  type: object\n  properties:\n    minLength: {type: integer}\n",
	"function: a/b\nrelay: function/v1\njsonSchemaDialect: http://json-schema.org/draft-04/schema#\ninput: {$ref: '#/$defs/A'}\n$defs: {A: {type: [string, 7]}}\n",
	`{"$schema": "http://json-schema.org/draft-04/schema#", "id": "https://x.example/a/b.json", "properties": {"a": {"$ref": "other.json#/A"}, "b": {"$ref": "urn:x"}, "c": {"id": "urn:x"}}}`,
	`{"$id": "https://x.example/s.json", "$defs": {"n": {"$anchor": "n", "items": {"$ref": "#n"}}}, "$ref": "https://x.example/loop.yaml#/A"}`,
	"asyncapi: 3.0.0\nchannels: {c: {bindings: {kafka: {key: {$ref: 'https://r.example/k'}}}, messages: {m: {payload: {schemaFormat: application/vnd.apache.avro, schema: {$ref: 'https://r.example/v'}}}}}}\n",
	"---\na: 1\n---\nb: 2\n",
	"# only a comment\n",
	"x: |+\n\ny: >-\n  folded\n  text\nopenapi: 3.1.0\n",
	"- - - [ { a: 'b' } ]\n",
	"a: \"multi\n  line\"\nb: 'it''s'\nc: plain\n  continued\n",
	"? complex\n: value\n0x1F: 1_000\n",
}

func FuzzLoadJSON(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoad(t, "api.json", data)
		checkJSONAgainstStdlib(t, data)
	})
}

func FuzzLoadYAML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLoad(t, "sub/api.yaml", data)
	})
}

// checkLoad loads data and checks the invariants every result must keep.
func checkLoad(t *testing.T, name string, data []byte) {
	d, err := Load(Options{FS: fuzzFS, Path: name, Display: name, Data: data, Limits: fuzzLimits})
	if err != nil {
		checkError(t, err)
		return
	}
	for _, f := range d.Files {
		checkTree(t, d, f)
	}
}

func checkError(t *testing.T, err error) {
	var se *source.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T is not a *source.Error: %v", err, err)
	}
	if strings.ContainsAny(se.Msg, "\n\r") || se.Msg == "" {
		t.Fatalf("message is not one line: %q", se.Msg)
	}
	if se.Pos.File == "" || se.Pos.Line < 1 || se.Pos.Col < 1 {
		t.Fatalf("error without a position: %v", se)
	}
	if len(se.Msg) > 1200 {
		t.Fatalf("message of %d bytes echoes too much input", len(se.Msg))
	}
}

// checkTree checks positions, parent links, pointer round trips and that
// every $ref chain ends.
func checkTree(t *testing.T, d *Document, f *source.File) {
	f.Root.Walk(func(n *source.Node) bool {
		if n.Line < 1 || n.Col < 1 || n.File != f {
			t.Fatalf("node %s has position %d:%d", n.Pointer(), n.Line, n.Col)
		}
		if n.Parent != nil && n.Parent.Children[n.Index] != n {
			t.Fatalf("node %s is not its parent's child %d", n.Pointer(), n.Index)
		}
		if got, ok := f.Root.Lookup(n.Pointer()); !ok || got != n {
			t.Fatalf("pointer %q does not lead back to its node", n.Pointer())
		}
		d.Deref(n)
		return true
	})
}

// checkJSONAgainstStdlib compares the JSON parser's verdict with
// encoding/json's: they must agree except where relay is deliberately
// stricter (duplicates, depth, range, size, control characters, UTF-8).
func checkJSONAgainstStdlib(t *testing.T, data []byte) {
	_, e := parseJSON("api.json", data, fuzzLimits)
	if e == nil {
		if !json.Valid(data) && !json.Valid(stripBOM(data)) {
			t.Fatalf("relay accepts JSON that encoding/json rejects: %q", data)
		}
		return
	}
	if !json.Valid(data) {
		return
	}
	for _, stricter := range []string{"duplicate key", "nesting is deeper", "out of range", "more than", "longer than"} {
		if strings.Contains(e.Msg, stricter) {
			return
		}
	}
	if checkCommon("api.json", data, fuzzLimits) != nil {
		return
	}
	t.Fatalf("relay rejects valid JSON %q: %v", data, e)
}
