package drift

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSampleSchemaDocumentsTheReader checks contracts/drift-sample.schema.json
// against the reader it documents: the README's example lines and the
// fixture's lines are valid under the schema and read by ReadNDJSON; lines
// the reader refuses are invalid under the schema too.
func TestSampleSchemaDocumentsTheReader(t *testing.T) {
	schema := compileSampleSchema(t)
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	lines := fencedLines(string(readme), "```ndjson")
	require.NotEmpty(t, lines, "README.md has no ```ndjson example")
	fixture, err := os.ReadFile(filepath.Join("testdata", "samples.ndjson"))
	require.NoError(t, err)
	lines = append(lines, strings.Split(strings.TrimSpace(string(fixture)), "\n")...)
	for _, l := range lines {
		assert.NoError(t, validateLine(t, schema, l), l)
		assert.NoError(t, ReadNDJSON(strings.NewReader(l), func(Exchange) error { return nil }), l)
	}
	for _, bad := range []string{
		`{"path":"/x"}`,
		`{"method":"GET"}`,
		`{"method":"GET","path":"/x","status":1000}`,
		`{"method":"GET","path":"/x","response":{"body":{},"bodyText":"x"}}`,
		`{"method":"GET","path":"/x","request":{"headers":{"A":1}}}`,
	} {
		assert.Error(t, validateLine(t, schema, bad), bad)
		assert.Error(t, ReadNDJSON(strings.NewReader(bad), func(Exchange) error { return nil }), bad)
	}
}

func compileSampleSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "contracts", "drift-sample.schema.json"))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("drift-sample.schema.json", doc))
	s, err := c.Compile("drift-sample.schema.json")
	require.NoError(t, err)
	return s
}

func validateLine(t *testing.T, s *jsonschema.Schema, line string) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
	require.NoError(t, err)
	return s.Validate(v)
}

// fencedLines returns the lines of the first code block opened by fence.
func fencedLines(md, fence string) []string {
	_, rest, ok := strings.Cut(md, fence+"\n")
	if !ok {
		return nil
	}
	block, _, _ := strings.Cut(rest, "```")
	return strings.Split(strings.TrimSpace(block), "\n")
}
