package load

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

// at asserts a node's key and value positions (key 0:0 for none).
func at(t *testing.T, n *source.Node, keyLine, keyCol, line, col int) {
	t.Helper()
	require.NotNil(t, n)
	assert.Equal(t, [4]int{keyLine, keyCol, line, col},
		[4]int{int(n.KeyLine), int(n.KeyCol), int(n.Line), int(n.Col)}, "node %s", n.Pointer())
}

func lookup(t *testing.T, d *Document, ptr string) *source.Node {
	t.Helper()
	n, ok := d.Main.Root.Lookup(ptr)
	require.True(t, ok, "no node at %s", ptr)
	return n
}

const positionsJSON = `{
  "openapi": "3.1.0",
  "info": {"title": "café ☕ 東京", "version": "1.0"},
  "x-ü": {"ключ": [1, {"é": true}], "n": -2.5e3},
	"tab": null
}`

func TestJSONPositions(t *testing.T) {
	d, err := loadString("api.json", positionsJSON)
	require.NoError(t, err)
	at(t, d.Main.Root, 0, 0, 1, 1)
	at(t, lookup(t, d, "/openapi"), 2, 3, 2, 14)
	at(t, lookup(t, d, "/info"), 3, 3, 3, 11)
	at(t, lookup(t, d, "/info/title"), 3, 12, 3, 21)
	at(t, lookup(t, d, "/info/version"), 3, 34, 3, 45) // after three multibyte runes
	at(t, lookup(t, d, "/x-ü/ключ"), 4, 11, 4, 19)
	at(t, lookup(t, d, "/x-ü/ключ/0"), 0, 0, 4, 20)
	at(t, lookup(t, d, "/x-ü/ключ/1/é"), 4, 24, 4, 29)
	at(t, lookup(t, d, "/x-ü/n"), 4, 37, 4, 42)
	at(t, lookup(t, d, "/tab"), 5, 2, 5, 9) // a tab counts as one column
	assert.Equal(t, "-2.5e3", lookup(t, d, "/x-ü/n").Value, "numbers keep their literal")
	assert.Equal(t, "3.1.0", d.SpecVersion)
	assert.Equal(t, "1.0", d.APIVersion)
}

func TestJSONStrings(t *testing.T) {
	d, err := loadString("api.json", `{"openapi": "3.0.0", "s": "a\"b\\c\/d\b\f\n\r\tä\u00e9\ud83d\ude00\ud800x", "k\u00e9": 1}`)
	require.NoError(t, err)
	assert.Equal(t, "a\"b\\c/d\b\f\n\r\tä\u00e9😀\ufffdx", lookup(t, d, "/s").Value)
	assert.Equal(t, 1, len(lookup(t, d, "/ké").Value))
}

func TestJSONBOMAndValues(t *testing.T) {
	d, err := loadString("api.json", "\xef\xbb\xbf{\"openapi\": \"3.0.0\", \"a\": [true, false, null, 0, -0.5, 1E+2, {}, []]}")
	require.NoError(t, err)
	at(t, d.Main.Root, 0, 0, 1, 1)
	a := lookup(t, d, "/a")
	var got []string
	for _, c := range a.Children {
		got = append(got, c.Kind.String()+":"+c.Value)
	}
	assert.Equal(t, []string{"boolean:true", "boolean:false", "null:", "number:0", "number:-0.5", "number:1E+2", "object:", "array:"}, got)
}

const positionsYAML = `# leading comment
openapi: 3.1.0
info:
  title: "café ☕"
  version: 1.10
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: ok
        "default": {description: "ключ", x: [a, 'b']}
x-é: |
  text
a~b: ~
`

func TestYAMLPositions(t *testing.T) {
	d, err := loadString("api.yaml", positionsYAML)
	require.NoError(t, err)
	at(t, d.Main.Root, 0, 0, 2, 1)
	at(t, lookup(t, d, "/openapi"), 2, 1, 2, 10)
	at(t, lookup(t, d, "/info"), 3, 1, 4, 3)
	at(t, lookup(t, d, "/info/title"), 4, 3, 4, 10)
	at(t, lookup(t, d, "/info/version"), 5, 3, 5, 12)
	at(t, lookup(t, d, "/paths/~1pets~1{id}/get/responses/200"), 10, 9, 11, 11)
	at(t, lookup(t, d, "/paths/~1pets~1{id}/get/responses/200/description"), 11, 11, 11, 24)
	at(t, lookup(t, d, "/paths/~1pets~1{id}/get/responses/default"), 12, 9, 12, 20)
	at(t, lookup(t, d, "/paths/~1pets~1{id}/get/responses/default/x"), 12, 42, 12, 45)
	at(t, lookup(t, d, "/paths/~1pets~1{id}/get/responses/default/x/1"), 0, 0, 12, 49)
	at(t, lookup(t, d, "/x-é"), 13, 1, 13, 6)
	at(t, lookup(t, d, "/a~0b"), 15, 1, 15, 6)
	assert.Equal(t, "1.10", d.APIVersion, "a YAML number version keeps its literal")
	assert.Equal(t, source.Number, lookup(t, d, "/info/version").Kind)
	assert.Equal(t, "text\n", lookup(t, d, "/x-é").Value)
	assert.Equal(t, source.Null, lookup(t, d, "/a~0b").Kind)
}

// TestPointerRoundTrip checks every node's Pointer leads back to it,
// including keys holding '/' and '~'.
func TestPointerRoundTrip(t *testing.T) {
	for name, src := range map[string]string{
		"api.yaml": positionsYAML,
		"api.json": `{"openapi": "3.0.0", "paths": {"/a/{b}": {"~x~1": [0, {"": 1, "/": 2, "~": 3}]}}}`,
	} {
		d, err := loadString(name, src)
		require.NoError(t, err, name)
		count := 0
		d.Main.Root.Walk(func(n *source.Node) bool {
			count++
			got, ok := d.Main.Root.Lookup(n.Pointer())
			assert.True(t, ok, "%s: %s", name, n.Pointer())
			assert.Same(t, n, got, "%s: %s", name, n.Pointer())
			return true
		})
		assert.GreaterOrEqual(t, count, 10, name)
	}
}
