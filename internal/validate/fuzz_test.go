package validate_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/validate"
)

// fuzzLimits keep a single fuzz input cheap.
var fuzzLimits = load.Limits{MaxFileBytes: 1 << 18, MaxNodes: 50_000, MaxDepth: 48, MaxAliases: 200, MaxFiles: 4}

// fuzzFS gives $refs something to find, of every kind.
var fuzzFS = fstest.MapFS{
	"schema.yaml":   {Data: []byte("type: object\nproperties:\n  a: {type: strng}\n  b: {$ref: '#/properties/a'}\n")},
	"response.yaml": {Data: []byte("description: ok\ncontent: {application/json: {schema: {$ref: 'schema.yaml'}}}\n")},
	"info.yaml":     {Data: []byte("title: t\nversion: '1'\n")},
}

// FuzzDocument validates small OpenAPI (and other) documents: whatever
// loads must validate without a panic, an internal error or a hang.
func FuzzDocument(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range fuzzFS {
			fsys[k] = v
		}
		fsys["api.yaml"] = &fstest.MapFile{Data: data}
		doc, err := load.Load(load.Options{FS: fsys, Path: "api.yaml", Limits: fuzzLimits})
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		probs, err := validate.Document(ctx, doc)
		if err != nil {
			t.Fatalf("Document failed: %v", err)
		}
		for _, p := range probs {
			if p.Message == "" || strings.Contains(p.Message, "\n") || p.Location.Line < 0 {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

// fuzzSeeds are the contracts of the case fixtures plus a few shapes
// they do not cover.
func fuzzSeeds(tb testing.TB) []string {
	seeds := []string{
		"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /p/{id}:\n    get:\n      responses:\n        '200': {$ref: 'response.yaml'}\n",
		"openapi: 3.1.0\ninfo: {$ref: 'info.yaml'}\nwebhooks: {w: {$ref: '#/info'}}\n",
		"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {/a: {$ref: '#/paths/~1a'}}\n",
		"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {A: {allOf: [{$ref: '#/components/schemas/A'}], default: {}}}}\n",
		"openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/B', default: 1}, B: {type: [string], default: 2}}}\n",
		"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {parameters: [{$ref: '#/parameters/x'}], responses: {default: {description: d}}}}}\n",
		"asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\noperations: {o: {action: send, channel: {$ref: '#/operations/o'}, messages: [{$ref: '#/info'}]}}\n",
		"asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels: {'a/{b}': {publish: {message: {payload: {$ref: 'schema.yaml'}}}}}\n",
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	for _, p := range files {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		if len(ar.Files) > 0 {
			seeds = append(seeds, string(ar.Files[0].Data))
		}
	}
	return seeds
}
