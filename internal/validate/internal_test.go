package validate

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/load"
)

func TestSuggest(t *testing.T) {
	known := []string{"responses", "requestBody", "parameters", "summary", "description"}
	for got, want := range map[string]string{
		"reponses":    "responses",
		"Responses":   "responses",
		"summmary":    "summary",
		"parametrs":   "parameters",
		"requestbody": "requestBody",
		"descritpoin": "description", // two transpositions
		"foo":         "",
		"x":           "",
		"response":    "responses",
	} {
		assert.Equal(t, want, suggest(got, known), got)
	}
}

func TestEditDistanceBound(t *testing.T) {
	assert.Equal(t, 3, editDistance("kitten", "sitting", 5))
	assert.Equal(t, 3, editDistance("abc", "abcdefgh", 2), "gives up above the bound")
}

func TestECMARegexp(t *testing.T) {
	for _, ok := range []string{`^[a-z]+$`, `^(?!x)[a-z]+$`, `(a)\1`, `\u00e9`, `(?<year>\d{4})`} {
		_, err := ecmaRegexp(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{`[a-z`, `(ab`, `*a`} {
		_, err := ecmaRegexp(bad)
		assert.Error(t, err, bad)
	}
}

func TestWriteJSONNumbers(t *testing.T) {
	f, err := load.ParseFile("n.yaml", []byte("a: 0x1F\nb: .5\nc: +1\ne: 1e3\nf: 7\n"))
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":31,"b":0.5,"c":1,"e":1e3,"f":7}`, string(writeJSON(f.Root, nil)))
}

func TestGuardTurnsPanicsIntoInternalErrors(t *testing.T) {
	err := guard(func() error { panic("boom") })
	var ie *InternalError
	require.ErrorAs(t, internal(err), &ie)
	assert.Contains(t, ie.Error(), "boom")
	assert.NoError(t, internal(errors.New("an ordinary validation error")))
}

func TestCancelledContext(t *testing.T) {
	doc := loadYAML(t, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Document(ctx, doc)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestNoDocument(t *testing.T) {
	_, err := Document(context.Background(), nil)
	var ie *InternalError
	assert.ErrorAs(t, err, &ie)
}

func TestProblemsSortedAndUnique(t *testing.T) {
	doc := loadYAML(t, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
	p := newProblems()
	root := doc.Main.Root
	p.add(root.Get("paths"), "b")
	p.add(root.Get("info"), "a")
	p.add(root.Get("info"), "a")
	got := p.result()
	require.Len(t, got, 2)
	assert.Equal(t, "/info", got[0].Pointer)
	assert.Equal(t, "/paths", got[1].Pointer)
	assert.Equal(t, 2, got[0].Location.Line)
}

func TestSpecTablesLink(t *testing.T) {
	for name, set := range map[string]*specSet{"oas30": oas30, "oas31": oas31, "swagger20": swagger20,
		"async2": async2, "async3": async3, "jsonschema": jsonSchemaSet, "function": functionSet} {
		require.NotNil(t, set.root, name)
		for key, typ := range set.types {
			assert.NotEmpty(t, typ.name, "%s %s", name, key)
		}
	}
	assert.PanicsWithValue(t, `validate: unknown type "nope"`, func() {
		compile("a", map[string]typeDef{"a": {name: "a", fields: "x:nope"}})
	})
}

func loadYAML(t *testing.T, src string) *load.Document {
	t.Helper()
	doc, err := load.Load(load.Options{FS: fstest.MapFS{"api.yaml": {Data: []byte(src)}}, Path: "api.yaml"})
	require.NoError(t, err)
	return doc
}

// TestEveryKindIsValidated: a kind added to load's table without a
// validator here would be "valid" by default; this fails instead.
func TestEveryKindIsValidated(t *testing.T) {
	for _, k := range load.Kinds() {
		if kindValidators[k] == nil {
			t.Errorf("contract kind %s has no validator in kindValidators", k)
		}
	}
}
