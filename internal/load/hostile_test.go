package load

import (
	"fmt"
	"strings"
	"testing"
)

// aliasBomb is the billion-laughs document: ten aliases per level, nine
// levels, 10^9 nodes if expanded naively.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.0\n")
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*%c, ", c-1), 10), ", "))
	}
	return b.String()
}

type hostileCase struct {
	name, file, src string
	opts            []func(*Options)
	line, col       int
	phrase          string
}

func hostileCases() []hostileCase {
	deepJSON := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	return []hostileCase{
		{name: "empty json", file: "api.json", src: "", line: 1, col: 1, phrase: "file is empty"},
		{name: "blank json", file: "api.json", src: " \n\t\n", line: 1, col: 1, phrase: "file is empty"},
		{name: "empty yaml", file: "api.yaml", src: "\n  \n", line: 1, col: 1, phrase: "file is empty"},
		{name: "comment-only yaml", file: "api.yaml", src: "# nothing\n# here\n", line: 1, col: 1, phrase: "only comments"},
		{name: "tag-only yaml", file: "api.yaml", src: "!!seq", line: 1, col: 1, phrase: "file is empty: it holds no YAML value"},
		{name: "null root yaml", file: "api.yaml", src: "--- !!map\n", line: 1, col: 5, phrase: "root must be a mapping, got null"},
		{name: "multi-document yaml", file: "api.yaml", src: "openapi: 3.0.0\n---\nb: 2\n", line: 2, col: 1,
			phrase: "contains 2 YAML documents; relay reads one per file"},
		{name: "duplicate key json", file: "api.json", src: "{\"openapi\": \"3.0.0\",\n \"a\": 1,\n \"a\": 2}", line: 3, col: 2,
			phrase: `duplicate key "a" (first at line 2)`},
		{name: "duplicate key json big object", file: "api.json",
			src: "{\"openapi\": \"3.0.0\"" + bigObjectMembers(40) + ",\n \"k7\": 2}", line: 42, col: 2,
			phrase: `duplicate key "k7" (first at line 9)`},
		{name: "duplicate key yaml", file: "api.yaml", src: "openapi: 3.0.0\ninfo:\n  a: 1\n  a: 2\n", line: 4, col: 3,
			phrase: `duplicate key "a" (first at line 3)`},
		{name: "duplicate integer key yaml", file: "api.yaml", src: "openapi: 3.0.0\nr:\n  200: a\n  '200': b\n", line: 4, col: 3,
			phrase: `duplicate key "200" (first at line 3)`},
		{name: "invalid utf-8 json", file: "api.json", src: "{\"openapi\": \"3.0.0\",\n \"é\": \"\xff\"}", line: 2, col: 8,
			phrase: "not valid UTF-8"},
		{name: "invalid utf-8 yaml", file: "api.yaml", src: "openapi: 3.0.0\né: a\xc3(\n", line: 2, col: 5,
			phrase: "not valid UTF-8"},
		{name: "nul json", file: "api.json", src: "{\"openapi\": \"3.0.0\",\n \"a\": \"x\x00\"}", line: 2, col: 9,
			phrase: "NUL byte"},
		{name: "nul yaml", file: "api.yaml", src: "openapi: 3.0.0\na: x\x00\n", line: 2, col: 5, phrase: "NUL byte"},
		{name: "control character yaml", file: "api.yaml", src: "openapi: 3.0.0\nä: \x1b[31m\n", line: 2, col: 4,
			phrase: "control character U+001B"},
		{name: "control character in json string", file: "api.json", src: "{\"openapi\": \"3.0\x01\"}", line: 1, col: 17,
			phrase: "control character U+0001 in a string must be escaped"},
		{name: "alias bomb", file: "api.yaml", src: aliasBomb(), line: 7, col: 8 + 7*4,
			phrase: "YAML aliases expand beyond the limit of 1000000 nodes"},
		{name: "alias inside its own anchor", file: "api.yaml", src: "openapi: 3.0.0\na: &x [1, *x]\n", line: 2, col: 11,
			phrase: `alias "*x" is used inside its own anchor`},
		{name: "alias to nothing", file: "api.yaml", src: "openapi: 3.0.0\na: *nope\n", line: 2, col: 4,
			phrase: `alias "*nope" refers to no anchor`},
		{name: "too many aliases", file: "api.yaml", src: "openapi: 3.0.0\na: &a 1\nb: [*a, *a, *a]\n",
			opts: []func(*Options){withLimits(Limits{MaxAliases: 2})}, line: 3, col: 13, phrase: "more than 2 YAML aliases"},
		{name: "depth bomb json", file: "api.json", src: deepJSON, line: 1, col: 257,
			phrase: "nesting is deeper than the limit of 256 levels"},
		{name: "depth bomb yaml flow", file: "api.yaml", src: "a: " + deepJSON, line: 1, col: 259,
			phrase: "nesting is deeper than the limit of 256 levels"},
		{name: "depth bomb yaml block", file: "api.yaml", src: "a:\n" + strings.Repeat("- ", 100_000) + "x\n", line: 2, col: 511,
			phrase: "nesting is deeper than the limit of 256 levels"},
		{name: "depth beyond limit after estimate", file: "api.yaml", src: "openapi: 3.0.0\na:\n- - - x\n",
			opts: []func(*Options){withLimits(Limits{MaxDepth: 3})}, line: 3, col: 5, phrase: "deeper than the limit of 3 levels"},
		{name: "oversized file", file: "api.yaml", src: "openapi: 3.0.0\n",
			opts: []func(*Options){withLimits(Limits{MaxFileBytes: 10})}, line: 1, col: 1, phrase: "larger than the limit of 10 bytes"},
		{name: "long key json", file: "api.json", src: "{\"openapi\": \"3.0.0\", \"abcdefghij\": 1}",
			opts: []func(*Options){withLimits(Limits{MaxKeyBytes: 8})}, line: 1, col: 22, phrase: `key "abcdefghij" is longer than the limit of 8 bytes`},
		{name: "long key yaml", file: "api.yaml", src: "openapi: 3.0.0\nabcdefghij: 1\n",
			opts: []func(*Options){withLimits(Limits{MaxKeyBytes: 8})}, line: 2, col: 1, phrase: "longer than the limit of 8 bytes"},
		{name: "too many nodes", file: "api.json", src: `{"openapi": "3.0.0", "a": [1, 2, 3]}`,
			opts: []func(*Options){withLimits(Limits{MaxNodes: 4})}, line: 1, col: 31, phrase: "more than 4 nodes"},
		{name: "root array json", file: "api.json", src: "[1, 2]", line: 1, col: 1, phrase: "root must be a mapping, got array"},
		{name: "root sequence yaml", file: "api.yaml", src: "\n- a\n- b\n", line: 2, col: 1, phrase: "root must be a mapping, got array"},
		{name: "root scalar yaml", file: "api.yaml", src: "just text\n", line: 1, col: 1, phrase: "root must be a mapping, got string"},
		{name: "trailing data json", file: "api.json", src: "{\"openapi\": \"3.0.0\"}\n {}", line: 2, col: 2,
			phrase: "unexpected data after the JSON value"},
		{name: "missing comma json", file: "api.json", src: "{\"openapi\": \"3.0.0\"\n \"b\": 1}", line: 2, col: 2,
			phrase: "expected ',' or '}' after object member"},
		{name: "missing colon json", file: "api.json", src: `{"openapi" "3.0.0"}`, line: 1, col: 12,
			phrase: "expected ':' after object key"},
		{name: "bad array json", file: "api.json", src: `{"openapi": "3.0.0", "a": [1 2]}`, line: 1, col: 30,
			phrase: "expected ',' or ']' after array element"},
		{name: "truncated json", file: "api.json", src: `{"openapi": "3.0.0", "a": `, line: 1, col: 27,
			phrase: "expected a value, found end of file"},
		{name: "unterminated string json", file: "api.json", src: "{\"openapi\": \"3.0.0\n}", line: 1, col: 13,
			phrase: "string is not terminated"},
		{name: "bad escape json", file: "api.json", src: `{"openapi": "3.0\q"}`, line: 1, col: 17,
			phrase: `invalid escape "\\q"`},
		{name: "leading zero json", file: "api.json", src: `{"openapi": "3.0.0", "a": 01}`, line: 1, col: 28,
			phrase: "expected ',' or '}' after object member"},
		{name: "invalid yaml", file: "api.yaml", src: "openapi: 3.0.0\na: [1, 2\nb: 3\n", line: 3, col: 1,
			phrase: "invalid YAML: ',' or ']' must be specified"},
		{name: "no kind marker", file: "api.yaml", src: "title: x\n", line: 1, col: 1,
			phrase: "has no kind marker (openapi, swagger, asyncapi, $schema, or function with input/output); pass --kind"},
		{name: "function without input", file: "api.yaml", src: "function: a/b\n", line: 1, col: 1, phrase: "has no kind marker"},
		{name: "openapi 4", file: "api.yaml", src: "openapi: 4.0.0\n", line: 1, col: 10,
			phrase: `unsupported openapi version "4.0.0" (relay reads 3.0.x and 3.1.x)`},
		{name: "openapi number", file: "api.yaml", src: "openapi: 3.0\n", line: 1, col: 10,
			phrase: `version field "openapi" must be a string, got number`},
		{name: "swagger number", file: "api.yaml", src: "swagger: 2.0\n", line: 1, col: 10,
			phrase: `version field "swagger" must be a string, got number`},
		{name: "swagger 3", file: "api.json", src: `{"swagger": "3.0"}`, line: 1, col: 13, phrase: `unsupported swagger version "3.0"`},
		{name: "info.version object", file: "api.yaml", src: "openapi: 3.0.0\ninfo:\n  version: {a: 1}\n", line: 3, col: 12,
			phrase: `version field "info.version" must be a string, got object`},
		{name: "kind contradiction", file: "api.yaml", src: "openapi: 3.0.0\n", opts: []func(*Options){withKind(JSONSchema)},
			line: 1, col: 1, phrase: `"openapi" field marks it as openapi, which contradicts --kind jsonschema`},
		{name: "multipleOf zero", file: "api.yaml", src: "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      multipleOf: 0\n",
			line: 5, col: 19, phrase: "multipleOf must be greater than 0, got 0"},
		{name: "minLength negative", file: "api.json", src: "{\"$schema\": \"x\",\n \"minLength\": -1}", line: 2, col: 15,
			phrase: "minLength must not be negative, got -1"},
		{name: "maxItems fractional", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  items:\n    maxItems: 1.5\n", line: 4, col: 15,
			phrase: "maxItems must be an integer, got 1.5"},
		{name: "number out of range json", file: "api.json", src: `{"openapi": "3.0.0", "x": 1e400}`, line: 1, col: 27,
			phrase: "number 1e400 is out of range"},
		{name: "number out of range yaml", file: "api.yaml", src: "openapi: 3.0.0\nx: [1, -1e400]\n", line: 2, col: 8,
			phrase: "number -1e400 is out of range"},
		{name: "infinity yaml", file: "api.yaml", src: "openapi: 3.0.0\nx: .inf\n", line: 2, col: 4,
			phrase: "number .inf cannot be represented in JSON"},
		{name: "ref outside the tree", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  $ref: '../x.yaml'\n", line: 3, col: 9,
			phrase: `$ref "../x.yaml" points outside the contract's directory`},
		{name: "absolute ref", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  $ref: /etc/passwd\n", line: 3, col: 9,
			phrase: `$ref "/etc/passwd" points outside the contract's directory`},
		{name: "file url ref", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  $ref: file:///etc/passwd\n", line: 3, col: 9,
			phrase: "points outside the contract's directory"},
		{name: "remote ref refused", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  $ref: https://example.com/a.yaml#/A\n", line: 3, col: 9,
			phrase: `remote $ref "https://example.com/a.yaml#/A" is refused; pass --allow-remote-refs to fetch it`},
		{name: "unresolvable ref", file: "api.yaml", src: "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/Nope'\n",
			line: 5, col: 13, phrase: `unresolvable $ref "#/components/schemas/Nope": no such node`},
		{name: "missing ref file", file: "api.yaml", src: "openapi: 3.0.0\nx:\n  $ref: other.yaml\n", line: 3, col: 9,
			phrase: `unresolvable $ref "other.yaml"`},
		{name: "ref cycle", file: "api.yaml",
			src:  "openapi: 3.0.0\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n",
			line: 5, col: 13, phrase: "$ref cycle: #/components/schemas/A → #/components/schemas/B → #/components/schemas/A"},
		{name: "self ref", file: "api.json", src: "{\"openapi\": \"3.0.0\",\n \"A\": {\"$ref\": \"#/A\"}}", line: 2, col: 16,
			phrase: "$ref cycle: #/A → #/A"},
	}
}

// bigObjectMembers returns n members "k0".."k(n-1)", one per line, so the
// duplicate check takes its map path.
func bigObjectMembers(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ",\n \"k%d\": %d", i, i)
	}
	return b.String()
}

func TestHostileInput(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadString(tc.file, tc.src, tc.opts...)
			requireSourceError(t, err, tc.file, tc.line, tc.col, tc.phrase)
		})
	}
}

// TestEchoIsTruncated checks a hostile document cannot flood the terminal
// through an error message.
func TestEchoIsTruncated(t *testing.T) {
	long := strings.Repeat("é", 5000)
	_, err := loadString("api.yaml", "openapi: '"+long+"'\n")
	se := requireSourceError(t, err, "api.yaml", 1, 10, "unsupported openapi version")
	if len(se.Msg) > 400 {
		t.Fatalf("message is %d bytes long", len(se.Msg))
	}
	long = long[:2000]
	_, err = loadString("api.json", `{"openapi": "3.0.0", "`+long+`": 1, "`+long+`": 2}`)
	se = requireSourceError(t, err, "api.json", 1, 1029, "duplicate key")
	if len(se.Msg) > 400 {
		t.Fatalf("message is %d bytes long", len(se.Msg))
	}
}
