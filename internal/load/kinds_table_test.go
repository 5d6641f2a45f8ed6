package load

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKindTable audits the kinds table: one entry per kind, each with a
// title and a marker, no two markers of the same rank (detection order
// would then depend on the table's order), and a message for every version
// check.
func TestKindTable(t *testing.T) {
	seen, ranks := map[Kind]bool{}, map[int]Kind{}
	for _, s := range kinds {
		assert.False(t, seen[s.kind], "%s is in the table twice", s.kind)
		seen[s.kind] = true
		assert.True(t, strings.HasSuffix(s.title, " "+string(s.kind)), "%s: title %q names the kind", s.kind, s.title)
		m := s.marker
		assert.NotEmpty(t, m.field, s.kind)
		assert.NotEmpty(t, m.hint, s.kind)
		if prev, dup := ranks[m.rank]; dup {
			t.Errorf("%s and %s share marker rank %d", prev, s.kind, m.rank)
		}
		ranks[m.rank] = s.kind
		if m.accepts != nil {
			assert.True(t, m.spec && m.supported != "", "%s: a version check needs spec and supported", s.kind)
		}
		for _, k := range s.answersTo {
			assert.True(t, k.Known(), "%s answers to unknown kind %s", s.kind, k)
		}
	}
}

// TestConfigSchemaKinds: the kind enum of the checked-in
// contracts/config.schema.json is the kinds table.
func TestConfigSchemaKinds(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "contracts", "config.schema.json"))
	require.NoError(t, err)
	var schema struct {
		Properties struct {
			Contracts struct {
				Items struct {
					Properties struct {
						Kind struct {
							Enum []string `json:"enum"`
						} `json:"kind"`
					} `json:"properties"`
				} `json:"items"`
			} `json:"contracts"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))
	want, _ := json.Marshal(kindNames())
	assert.Equal(t, kindNames(), schema.Properties.Contracts.Items.Properties.Kind.Enum,
		"contracts/config.schema.json: write contracts.items.properties.kind as {\"enum\": %s}", want)
}

// TestKindPrecedence: a root with several markers is read by the one of
// lowest rank; $schema decides last, a function contract's companions only
// count beside "function".
func TestKindPrecedence(t *testing.T) {
	for src, want := range map[string]Kind{
		"openapi: 3.1.0\nswagger: '2.0'\n":                                                   OpenAPI,
		"swagger: '2.0'\nasyncapi: 3.0.0\n":                                                  Swagger,
		"asyncapi: 3.0.0\nfunction: t/f\ninput: {}\n":                                        AsyncAPI,
		"$schema: https://json-schema.org/draft/2020-12/schema\nfunction: t/f\noutput: {}\n": Function,
		"$schema: https://json-schema.org/draft/2020-12/schema\nfunction: t/f\n":             JSONSchema,
	} {
		f, e := parseYAML("a.yaml", []byte(src), Limits{}.withDefaults())
		require.Nil(t, e, src)
		det, e := detect(f.Root)
		require.Nil(t, e, src)
		assert.Equal(t, want, det.kind, src)
	}
}

// TestKindNames: what --kind and the manifest offer, and how messages name
// a kind the table does not know.
func TestKindNames(t *testing.T) {
	assert.Equal(t, []Kind{OpenAPI, Swagger, JSONSchema, Function, AsyncAPI}, Kinds())
	assert.Equal(t, "an openapi", OpenAPI.Title())
	assert.Equal(t, "a graphql", Kind("graphql").Title())
	assert.False(t, Kind("graphql").Known())
	assert.False(t, Kind("").Known())
}
