package load

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

func TestYAMLScalarTyping(t *testing.T) {
	d, err := loadString("api.yaml", `openapi: 3.0.0
s:
  hex: 0x1F
  octal: 0o17
  sep: 1_000
  plus: +3
  dot: .5
  float: 2.50
  exp: 1e3
  big: 99999999999999999999
  yes: yes
  bool: True
  null1: ~
  null2:
  str: !!str 200
  int: !!int "5"
  flt: !!float 1
  bl: !!bool "false"
  nl: !!null ""
  custom: !thing value
  date: 2024-01-01
  quoted: "0x1F"
  folded: >-
    a
    b
`)
	require.NoError(t, err)
	want := map[string]string{
		"hex": "number:31", "octal": "number:15", "sep": "number:1000", "plus": "number:3",
		"dot": "number:0.5", "float": "number:2.50", "exp": "number:1e3",
		"big": "number:99999999999999999999", "yes": "string:yes", "bool": "boolean:true",
		"null1": "null:", "null2": "null:", "str": "string:200", "int": "number:5", "flt": "number:1",
		"bl": "boolean:false", "nl": "null:", "custom": "string:value", "date": "string:2024-01-01",
		"quoted": "string:0x1F", "folded": "string:a b",
	}
	s := lookup(t, d, "/s")
	for _, c := range s.Children {
		assert.Equal(t, want[c.Key], c.Kind.String()+":"+c.Value, c.Key)
		if c.Kind == source.Number {
			_, ok := c.Float()
			assert.True(t, ok, "%s: %q must parse as a number", c.Key, c.Value)
		}
	}
	assert.Len(t, s.Children, len(want))
}

func TestYAMLNonStringKeys(t *testing.T) {
	d, err := loadString("api.yaml", "openapi: 3.0.0\nr:\n  200: a\n  4XX: b\n  true: c\n  1.5: d\n  ? complex\n  : e\n  !!str 404: f\n")
	require.NoError(t, err)
	var keys []string
	for _, c := range lookup(t, d, "/r").Children {
		keys = append(keys, c.Key)
	}
	assert.Equal(t, []string{"200", "4XX", "true", "1.5", "complex", "404"}, keys)
}

func TestYAMLAliasesAndMerge(t *testing.T) {
	src := `openapi: 3.0.0
base: &base
  type: object
  required: [id]
named: &name id
copy: *base
merged:
  <<: *base
  type: string
multi:
  <<: [*base, {extra: 1, type: array}]
keys:
  *name : 1
inline:
  <<: {a: 1}
  b: 2
`
	d, err := loadString("api.yaml", src)
	require.NoError(t, err)
	cp := lookup(t, d, "/copy")
	assert.Equal(t, "object", cp.Str("type"))
	at(t, cp, 6, 1, 6, 7)             // the copy sits at the alias
	at(t, cp.Get("type"), 3, 3, 3, 9) // its content where the anchor wrote it
	assert.NotSame(t, lookup(t, d, "/base/type"), cp.Get("type"), "aliases are copied, not shared")
	assert.Equal(t, "/copy/required/0", lookup(t, d, "/copy/required/0").Pointer())

	merged := lookup(t, d, "/merged")
	assert.Equal(t, "string", merged.Str("type"), "explicit keys win over merged ones")
	assert.Equal(t, "id", merged.Get("required").Children[0].Value)
	assert.False(t, merged.Has("<<"))

	multi := lookup(t, d, "/multi")
	assert.Equal(t, "object", multi.Str("type"), "earlier merge sources win")
	assert.Equal(t, "1", multi.Get("extra").Value)
	assert.Equal(t, "1", lookup(t, d, "/keys/id").Value, "an alias may name a key")
	assert.Equal(t, "1", lookup(t, d, "/inline/a").Value)
	for _, n := range []*source.Node{merged, multi} {
		for i, c := range n.Children {
			assert.Same(t, n, c.Parent)
			assert.Equal(t, int32(i), c.Index)
		}
	}
}

func TestYAMLMergeErrors(t *testing.T) {
	_, err := loadString("api.yaml", "openapi: 3.0.0\ns: &s x\nm:\n  <<: *s\n")
	requireSourceError(t, err, "api.yaml", 4, 7, "merge key << needs a mapping or a sequence of mappings, got string")
	_, err = loadString("api.yaml", "openapi: 3.0.0\nk: &k {a: 1}\nm:\n  *k : 1\n")
	requireSourceError(t, err, "api.yaml", 4, 3, "mapping key must be a scalar, not an alias")
	_, err = loadString("api.yaml", "openapi: 3.0.0\nm:\n  ? [a, b]\n  : 1\n")
	requireSourceError(t, err, "api.yaml", 4, 3, "invalid YAML: found an invalid key for this map")
}

// TestYAMLKeepChompedEmptyBlock covers the goccy workaround: an empty
// `|+` block followed by a sibling is valid YAML (the OpenAI spec has one).
func TestYAMLKeepChompedEmptyBlock(t *testing.T) {
	src := "openapi: 3.0.0\nx:\n  - a: 1\n    example: |+\n\n    b: >+\n    c: |+\n      kept\n\n    d: 2\n"
	d, err := loadString("api.yaml", src)
	require.NoError(t, err)
	assert.Equal(t, "\n", lookup(t, d, "/x/0/example").Value)
	assert.Equal(t, "", lookup(t, d, "/x/0/b").Value)
	assert.Equal(t, "kept\n\n", lookup(t, d, "/x/0/c").Value)
	assert.Equal(t, "2", lookup(t, d, "/x/0/d").Value)
	at(t, lookup(t, d, "/x/0/example"), 4, 5, 4, 14)
	assert.Equal(t, "|+", src[len("openapi: 3.0.0\nx:\n  - a: 1\n    example: "):][:2], "caller's bytes stay untouched")
}

func TestYAMLAnchorLimit(t *testing.T) {
	_, err := loadString("api.yaml", "openapi: 3.0.0\na: &a 1\nb: &b 2\nc: &c 3\n", withLimits(Limits{MaxAliases: 2}))
	requireSourceError(t, err, "api.yaml", 4, 4, "more than 2 YAML anchors")
}

func TestYAMLCopyRespectsDepth(t *testing.T) {
	_, err := loadString("api.yaml", "openapi: 3.0.0\na: &a [[1]]\nb: [[*a]]\n", withLimits(Limits{MaxDepth: 4}))
	requireSourceError(t, err, "api.yaml", 3, 6, "deeper than the limit of 4 levels")
}

func TestParserChoice(t *testing.T) {
	// Unknown extensions (stdin) sniff the first byte; JSON is valid YAML,
	// but the JSON parser reports JSON's own errors.
	_, err := loadString("-", `{"openapi": "3.0.0", "a": 1, "a": 2}`)
	requireSourceError(t, err, "-", 1, 30, `duplicate key "a"`)
	d, err := loadString("-", "openapi: 3.0.0\n")
	require.NoError(t, err)
	assert.Equal(t, OpenAPI, d.Kind)
	d, err = loadString("api.YML", `{"openapi": "3.0.0"}`)
	require.NoError(t, err, "a .yml file holding JSON is read as YAML")
	assert.Equal(t, "3.0.0", d.SpecVersion)
	_, err = loadString("api.json", "openapi: 3.0.0\n")
	requireSourceError(t, err, "api.json", 1, 1, "expected a value")
}

func TestYAMLKeepChompedFixLeavesScalarsAlone(t *testing.T) {
	// The scan takes the plain scalar's second line for a block header;
	// goccy reads it as text, which must stay intact.
	d, err := loadString("api.yaml", "openapi: 3.0.0\na:\n  text\n  |+\nb: 1\n")
	require.NoError(t, err)
	assert.Equal(t, "text |+", lookup(t, d, "/a").Value)
	_, err = loadString("api.yaml", "openapi: 3.0.0\na: 1\na: 2\nb: |+\n\nc: 1\n")
	requireSourceError(t, err, "api.yaml", 3, 1, `duplicate key "a"`)
}

// A CRLF file (a Windows checkout, or a spec published that way) must
// report the same lines as its LF form. goccy counted each CRLF inside a
// multi-line quoted or plain scalar as two lines, so every key after the
// first such scalar pointed further and further down the file (seen on a
// public 29,000-line spec: findings at line 38,905).
func TestYAMLCRLFLines(t *testing.T) {
	lf := "openapi: 3.0.0\n" +
		"single: '{\n  \"a\": 1,\n  \"b\": 2\n}'\n" +
		"double: \"one\n  two\n  three\"\n" +
		"plain: one\n  two\n  three\n" +
		"block: |\n  x\n  y\n" +
		"after: here\n"
	for name, text := range map[string]string{"lf": lf, "crlf": strings.ReplaceAll(lf, "\n", "\r\n")} {
		t.Run(name, func(t *testing.T) {
			d, err := loadString("api.yaml", text)
			require.NoError(t, err)
			assert.Equal(t, 15, int(lookup(t, d, "/after").KeyLine), "line of the key after the multi-line scalars")
			assert.Equal(t, 9, int(lookup(t, d, "/plain").KeyLine))
			assert.Equal(t, "{ \"a\": 1, \"b\": 2 }", lookup(t, d, "/single").Value)
			assert.Equal(t, "one two three", lookup(t, d, "/double").Value)
			assert.Equal(t, "x\ny\n", lookup(t, d, "/block").Value, "block scalar line breaks are normalised to LF")
		})
	}
}
