package load

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/source"
)

// bundle is a contract spread over three files under docs/.
func bundle() fstest.MapFS {
	return fstest.MapFS{
		"docs/api.yaml": {Data: []byte(`openapi: 3.0.0
info: {title: t, version: "2.1"}
paths:
  /pets:
    get:
      responses:
        default:
          $ref: '#/components/responses/Pets'
components:
  responses:
    Pets:
      description: pets
      content:
        application/json:
          schema:
            $ref: 'schemas/pet.yaml#/Pet'
          examples:
            one:
              $ref: '#/components/examples/One'
  examples:
    One:
      value: {$ref: 'not/a/ref.yaml'}
`)},
		"docs/schemas/pet.yaml": {Data: []byte(`Pet:
  type: object
  properties:
    id: {$ref: '../common.yaml#/Id'}
    default: {$ref: '#/Pet'}
    tag:
      $ref: './pet.yaml#/Tag'
Tag:
  type: string
  enum: [{$ref: nowhere}]
  x-note: {$ref: nowhere}
  example: {$ref: nowhere}
`)},
		"docs/common.yaml": {Data: []byte("Id:\n  type: integer\n  minimum: 1\n")},
	}
}

func TestMultiFileBundle(t *testing.T) {
	d, err := Load(Options{FS: bundle(), Path: "docs/api.yaml", Display: "docs/api.yaml"})
	require.NoError(t, err)
	require.Len(t, d.Files, 3)
	assert.Equal(t, []string{"docs/api.yaml", "docs/schemas/pet.yaml", "docs/common.yaml"},
		[]string{d.Files[0].Path, d.Files[1].Path, d.Files[2].Path})
	assert.Equal(t, "docs/schemas/pet.yaml", d.Paths[d.Files[1]])
	assert.Equal(t, "2.1", d.APIVersion)

	schema := lookup(t, d, "/components/responses/Pets/content/application~1json/schema")
	pet := d.Target(schema)
	require.NotNil(t, pet)
	assert.Equal(t, "/Pet", pet.Pointer())
	assert.Equal(t, "docs/schemas/pet.yaml", pet.Pos().File)

	id := pet.Get("properties").Get("id")
	idSchema := d.Deref(id)
	assert.Equal(t, "integer", idSchema.Str("type"))
	assert.Equal(t, source.Pos{File: "docs/common.yaml", Line: 1, Col: 1}, idSchema.Parent.Children[0].Pos())
	assert.Same(t, pet, d.Target(pet.Get("properties").Get("default")), "a property named default is a schema")
	assert.Equal(t, "string", d.Deref(pet.Get("properties").Get("tag")).Str("type"))

	resp := lookup(t, d, "/paths/~1pets/get/responses/default")
	assert.Equal(t, "pets", d.Deref(resp).Str("description"), "the default response is resolved")
	ex := lookup(t, d, "/components/responses/Pets/content/application~1json/examples/one")
	assert.NotNil(t, d.Target(ex), "an examples entry may be a reference")
	assert.Nil(t, d.Target(lookup(t, d, "/components/examples/One/value")), "example values are data")
	assert.Nil(t, d.Target(schema.Get("$ref")), "only objects holding $ref have targets")
	assert.Same(t, pet.Get("type"), d.Deref(pet.Get("type")), "Deref of a node without $ref is itself")
}

func TestDisplayPaths(t *testing.T) {
	for _, tc := range []struct{ display, want string }{
		{"docs/api.yaml", "docs/schemas/pet.yaml"},
		{"git:origin/main:docs/api.yaml", "git:origin/main:docs/schemas/pet.yaml"},
		{"git:HEAD~1:api.yaml", "git:HEAD~1:schemas/pet.yaml"},
		{"-", "schemas/pet.yaml"},
		{"", "docs/schemas/pet.yaml"},
	} {
		d, err := Load(Options{FS: bundle(), Path: "docs/api.yaml", Display: tc.display})
		require.NoError(t, err, tc.display)
		assert.Equal(t, tc.want, d.Files[1].Path, tc.display)
	}
}

func TestRefFileErrorsNameTheirFile(t *testing.T) {
	fsys := bundle()
	fsys["docs/common.yaml"] = &fstest.MapFile{Data: []byte("Id:\n  type: integer\n  minLength: -3\n")}
	_, err := Load(Options{FS: fsys, Path: "docs/api.yaml", Display: "git:main:docs/api.yaml"})
	requireSourceError(t, err, "git:main:docs/common.yaml", 3, 14, "minLength must not be negative")

	fsys["docs/common.yaml"] = &fstest.MapFile{Data: []byte("Id: [\n")}
	_, err = Load(Options{FS: fsys, Path: "docs/api.yaml", Display: "docs/api.yaml"})
	requireSourceError(t, err, "docs/common.yaml", 1, 5, "invalid YAML")
}

func TestRefInsideFSButAboveMainFile(t *testing.T) {
	fsys := fstest.MapFS{
		"api/main.yaml":   {Data: []byte("openapi: 3.0.0\nx:\n  $ref: ../shared/s.json#/S\n")},
		"shared/s.json":   {Data: []byte(`{"S": {"type": "string"}}`)},
		"shared/unused.y": {Data: []byte("x")},
	}
	d, err := Load(Options{FS: fsys, Path: "api/main.yaml", Display: "repo/api/main.yaml"})
	require.NoError(t, err)
	assert.Equal(t, "repo/shared/s.json", d.Files[1].Path)
	assert.Equal(t, "string", d.Deref(lookup(t, d, "/x")).Str("type"))
}

func TestRecursiveSchemaLoads(t *testing.T) {
	d, err := loadString("api.yaml", `openapi: 3.1.0
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
    Alias: {$ref: '#/components/schemas/Node'}
`)
	require.NoError(t, err)
	node := lookup(t, d, "/components/schemas/Node")
	assert.Same(t, node, d.Deref(lookup(t, d, "/components/schemas/Alias")))
	assert.Same(t, node, d.Deref(node.Get("properties").Get("next")))
}

func TestFragments(t *testing.T) {
	d, err := loadString("s.json", `{"$schema": "https://json-schema.org/draft/2020-12/schema",
 "$defs": {"a/b": {"type": "string"}, "{x}": {"$anchor": "named", "type": "integer"}, "m~n": {"type": "null"}},
 "properties": {
   "p1": {"$ref": "#/$defs/a~1b"},
   "p2": {"$ref": "#/$defs/%7Bx%7D"},
   "p3": {"$ref": "#named"},
   "p4": {"$ref": "#/$defs/m~0n"},
   "p5": {"$ref": "#"},
   "p6": {"$ref": "s.json#/$defs/a~1b"}
 }}`)
	require.NoError(t, err)
	assert.Equal(t, JSONSchema, d.Kind)
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", d.SpecVersion)
	props := lookup(t, d, "/properties")
	want := map[string]string{"p1": "/$defs/a~1b", "p2": "/$defs/{x}", "p3": "/$defs/{x}", "p4": "/$defs/m~0n", "p5": "", "p6": "/$defs/a~1b"}
	for k, ptr := range want {
		assert.Equal(t, ptr, d.Target(props.Get(k)).Pointer(), k)
	}
	assert.Len(t, d.Files, 1, "a ref naming the main file reuses it")
}

func TestFileLimit(t *testing.T) {
	_, err := Load(Options{FS: bundle(), Path: "docs/api.yaml", Display: "docs/api.yaml", Limits: Limits{MaxFiles: 2}})
	requireSourceError(t, err, "docs/schemas/pet.yaml", 4, 16, "spans more than 2 files, the limit; raise it with --max-files")
}

// httpFetch is a minimal Fetcher over net/http, standing in for the CLI's
// (whose redirect and status policy the CLI tests check).
func httpFetch(ctx context.Context, u string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	return resp.Body, nil
}

func allowRemote(fetch Fetcher) func(*Options) {
	return func(o *Options) { o.Fetch = fetch }
}

func TestRemoteRefs(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/s/pet.json", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"Pet": {"properties": {"tag": {"$ref": "tag.yaml#/Tag"}}}}`))
	})
	mux.HandleFunc("/s/tag.yaml", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("Tag:\n  type: string\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	src := "openapi: 3.0.0\nx:\n  $ref: '" + srv.URL + "/s/pet.json#/Pet'\n"
	_, err := loadString("api.yaml", src)
	requireSourceError(t, err, "api.yaml", 3, 9, "is refused; pass --allow-remote-refs to fetch it")

	d, err := loadString("api.yaml", src, allowRemote(httpFetch))
	require.NoError(t, err)
	require.Len(t, d.Files, 3)
	assert.Equal(t, srv.URL+"/s/tag.yaml", d.Remote[d.Files[2]])
	assert.Equal(t, "string", d.Deref(d.Deref(lookup(t, d, "/x")).Get("properties").Get("tag")).Str("type"))
	assert.NotContains(t, d.Paths, d.Files[1], "remote files have no FS path")

	_, err = loadString("api.yaml", "openapi: 3.0.0\nx:\n  $ref: "+srv.URL+"/s/missing.yaml\n", allowRemote(httpFetch))
	requireSourceError(t, err, "api.yaml", 3, 9, "could not be fetched: HTTP status 404")
	_, err = loadString("api.yaml", src, allowRemote(nil))
	requireSourceError(t, err, "api.yaml", 3, 9, "is refused; pass --allow-remote-refs to fetch it")
}

// TestRemoteRefLimits: whatever the fetcher, the loader bounds what a
// fetch may cost: its time, through the context, and its size.
func TestRemoteRefLimits(t *testing.T) {
	var fetchCtx context.Context
	var read int
	endless := func(ctx context.Context, _ string) (io.ReadCloser, error) {
		fetchCtx = ctx
		return io.NopCloser(readFunc(func(p []byte) (int, error) { read += len(p); return len(p), nil })), nil
	}
	src := "openapi: 3.0.0\nx:\n  $ref: 'https://example.com/big.yaml'\n"
	start := time.Now()
	_, err := loadString("api.yaml", src, allowRemote(endless), withLimits(Limits{MaxFileBytes: 1000}))
	end := time.Now()
	requireSourceError(t, err, "https://example.com/big.yaml", 1, 1, "larger than the limit of 1000 bytes")
	assert.Equal(t, 1001, read, "reads stop one byte past the limit")

	deadline, ok := fetchCtx.Deadline()
	require.True(t, ok, "a fetch has a deadline")
	assert.False(t, deadline.Before(start.Add(fetchTimeout)) || deadline.After(end.Add(fetchTimeout)),
		"the deadline is %s after the fetch starts", fetchTimeout)
	assert.Error(t, fetchCtx.Err(), "the fetch's context ends with it")

	hung := func(ctx context.Context, _ string) (io.ReadCloser, error) {
		return io.NopCloser(readFunc(func([]byte) (int, error) { return 0, context.DeadlineExceeded })), nil
	}
	_, err = loadString("api.yaml", src, allowRemote(hung))
	requireSourceError(t, err, "api.yaml", 3, 9, "could not be fetched: context deadline exceeded")
}

type readFunc func([]byte) (int, error)

func (f readFunc) Read(p []byte) (int, error) { return f(p) }

func TestMainFileFromFS(t *testing.T) {
	d, err := Load(Options{FS: bundle(), Path: "docs/common.yaml", Kind: JSONSchema})
	require.NoError(t, err)
	assert.Equal(t, "docs/common.yaml", d.Main.Path, "Display defaults to Path")
	assert.Equal(t, JSONSchema, d.Kind)
	assert.Len(t, d.SHA256, 64)

	_, err = Load(Options{FS: bundle(), Path: "docs/nope.yaml", Display: "nope.yaml"})
	requireSourceError(t, err, "nope.yaml", 1, 1, "cannot read the file: file does not exist")
}
