package drift

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/load"
)

func loadContract(t testing.TB, name string) *load.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	doc, err := load.Load(load.Options{FS: fstest.MapFS{name: {Data: data}}, Path: name, Display: "testdata/" + name})
	require.NoError(t, err)
	return doc
}

func runFile(t *testing.T, v *Validator, name string, read func(r *os.File, fn func(Exchange) error) error) *Aggregate {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	agg := NewAggregate()
	require.NoError(t, read(f, func(ex Exchange) error {
		agg.Add(v.Check(context.Background(), ex)...)
		return nil
	}))
	return agg
}

// line renders an event as the tests compare it.
func line(e event.Event) string {
	loc := ""
	if e.Location != nil {
		loc = e.Location.File + ":" + itoa(e.Location.Line)
	}
	return strings.Join([]string{e.Operation, e.Direction, itoa(e.Status), e.Rule, e.InstancePath, e.SchemaPointer, loc, e.Observed, itoa(int(e.Count))}, " | ")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestNDJSONAgainstPetstore(t *testing.T) {
	v, err := NewValidator(context.Background(), loadContract(t, "petstore.yaml"), Options{Contract: "testdata/petstore.yaml"})
	require.NoError(t, err)
	agg := runFile(t, v, "samples.ndjson", func(r *os.File, fn func(Exchange) error) error { return ReadNDJSON(r, fn) })
	var got []string
	for _, e := range agg.Events() {
		got = append(got, line(e))
	}
	assert.Equal(t, []string{
		"GET /pets | response | 500 | undocumented-media-type |  | /components/responses/Error/content | testdata/petstore.yaml:98 | text/html body (47 bytes) | 1",
		"GET /pets/{id} | response | 200 | required-missing | /category | /components/schemas/Pet/required | testdata/petstore.yaml:105 | absent | 1",
		"GET /pets/{id} | response | 200 | type-mismatch | /id | /components/schemas/Pet/properties/id/type | testdata/petstore.yaml:108 | string (6 chars) | 2",
		"GET /v1/owners/{id} | request | 200 | undocumented-operation |  |  |  |  | 1",
	}, got)
	st := v.Stats()
	assert.Equal(t, Stats{Exchanges: 6}, st)
}

func TestHARFromABrowserExport(t *testing.T) {
	v, err := NewValidator(context.Background(), loadContract(t, "petstore.yaml"), Options{Contract: "testdata/petstore.yaml"})
	require.NoError(t, err)
	agg := runFile(t, v, "petstore.har", func(r *os.File, fn func(Exchange) error) error { return ReadHAR(r, fn) })
	var got []string
	for _, e := range agg.Events() {
		got = append(got, line(e))
	}
	assert.Equal(t, []string{
		"GET /pets/{id} | response | 200 | type-mismatch | /id | /components/schemas/Pet/properties/id/type | testdata/petstore.yaml:108 | string (5 chars) | 1",
		"POST /pets | request | 0 | required-missing | /name | /components/schemas/NewPet/required | testdata/petstore.yaml:123 | absent | 1",
	}, got)
}
