package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFunctionSchemaAgrees keeps contracts/function-contract.schema.json
// (the format's source of truth) and the loader's checks in step: every
// document one accepts, the other accepts, and the same for rejections.
// The bundled example contracts must be valid.
func TestFunctionSchemaAgrees(t *testing.T) {
	schema := compileFunctionSchema(t)
	docs := map[string]bool{
		validFunction:                                                                            true,
		"function: a/b\ninput: {}\n":                                                             true,
		"function: a/b\noutput: false\n":                                                         true,
		"function: a/b\nrelay: function/v1\nevents: {e: {}}\n":                                   true,
		"function: a/b\ninput: {}\nouptut: {}\n":                                                 false,
		"function: payments\ninput: {}\n":                                                        false,
		"function: A/b\ninput: {}\n":                                                             false,
		"function: a/b\nversion: 1.0\ninput: {}\n":                                               false,
		"function: a/b\nversion: '1.0.0-rc.1+build.5'\ninput: {}\n":                              true,
		"function: a/b\ninput: [1]\n":                                                            false,
		"function: a/b\ninput: {}\nerrors: [a]\n":                                                false,
		"function: a/b\ninput: {}\nerrors: {e1: 3}\n":                                            false,
		"function: a/b\ninput: {}\nerrors: {'has space': {}}\n":                                  false,
		"function: a/b\nrelay: function/v2\n":                                                    false,
		"function: a/b\ninput: {}\ndeprecated: 'yes'\n":                                          false,
		"function: a/b\ninput: {}\nx-sunset: 2027-01-31\n":                                       true,
		"function: a/b\ninput: {}\njsonSchemaDialect: http://json-schema.org/draft-07/schema#\n": true,
		"function: a/b\ninput: {}\njsonSchemaDialect: https://example.com/meta\n":                false,
	}
	for src, valid := range docs {
		_, err := loadString("f.yaml", src, withKind(Function))
		if valid {
			assert.NoError(t, err, "loader rejects a valid contract:\n%s", src)
		} else {
			assert.Error(t, err, "loader accepts an invalid contract:\n%s", src)
		}
		root, perr := ParseFile("f.yaml", []byte(src))
		require.NoError(t, perr)
		serr := schema.Validate(instance(root.Root))
		assert.Equal(t, valid, serr == nil, "function-contract.schema.json disagrees on:\n%s\n%v", src, serr)
	}
	examples, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "examples", "function", "*.yaml"))
	require.NotEmpty(t, examples, "the bundled function examples")
	for _, p := range examples {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		f, err := ParseFile(p, data)
		require.NoError(t, err)
		assert.NoError(t, schema.Validate(instance(f.Root)), p)
	}
}

func compileFunctionSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "contracts", "function-contract.schema.json"))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	require.NoError(t, c.AddResource("function-contract.schema.json", doc))
	s, err := c.Compile("function-contract.schema.json")
	require.NoError(t, err)
	return s
}
