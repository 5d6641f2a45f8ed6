package rules_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/rules"
)

// kindBases are the fixed bases fuzzed revisions are diffed against, one
// per non-HTTP kind.
var kindBases = map[load.Kind]string{
	load.Function:   "testdata/case-function-shared-defs/base.yaml",
	load.JSONSchema: "testdata/case-jsonschema-recursive-anchor/base.json",
	load.AsyncAPI:   "testdata/case-asyncapi2-subscribe-property-removed/base.yaml",
}

// FuzzKindsDiff feeds hostile documents to the function, JSON Schema and
// AsyncAPI readers: whatever loads must diff against itself to nothing and
// against a fixed base of its kind without panicking, every change located.
func FuzzKindsDiff(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/revision.*")
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data, filepath.Ext(p) == ".json")
		}
	}
	f.Add([]byte("asyncapi: 3.0.0\noperations: {a: {action: send, channel: {$ref: '#/channels/c'}, reply: {}}}\nchannels: {c: {address: null}}\n"), false)
	f.Add([]byte("asyncapi: 2.0.0\nchannels: {a: {subscribe: {message: {oneOf: [{}, {$ref: '#/x'}]}}}}\nx: {traits: [{headers: 1}]}\n"), false)
	f.Add([]byte("function: a/b\ninput: true\nerrors: {e: false}\n"), false)
	f.Add([]byte(`{"$schema": "http://json-schema.org/draft-04/schema#", "definitions": {"a": {"$ref": "#/definitions/a/x"}}}`), true)
	bases := map[load.Kind]*load.Document{}
	for k, p := range kindBases {
		d, err := load.Load(load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p)})
		if err != nil {
			f.Fatal(err)
		}
		bases[k] = d
	}
	f.Fuzz(func(t *testing.T, data []byte, isJSON bool) {
		name := "revision.yaml"
		if isJSON {
			name = "revision.json"
		}
		lim := load.Limits{MaxFileBytes: 1 << 18, MaxNodes: 50_000, MaxDepth: 48, MaxAliases: 200, MaxFiles: 4}
		doc, err := load.Load(load.Options{FS: fstest.MapFS{}, Path: name, Data: data, Limits: lim})
		if err != nil || bases[doc.Kind] == nil {
			return
		}
		for _, role := range []diff.SchemaRole{diff.RoleInput, diff.RoleOutput} {
			res, err := diff.Compare(doc, doc, diff.Options{SchemaRole: role})
			if err != nil {
				return // a document the differ rejects with a message, like a non-object channels
			}
			if got := rules.Classify(res, rules.Options{Now: fixedNow}); len(got) > 0 {
				t.Fatalf("self-diff reports %d changes, first %s at %s", len(got), got[0].ID, got[0].Pointer)
			}
			res, err = diff.Compare(bases[doc.Kind], doc, diff.Options{SchemaRole: role})
			if err != nil {
				return
			}
			for _, c := range rules.Classify(res, rules.Options{Now: fixedNow}) {
				if c.Revision.Line < 1 || c.Revision.File == "" {
					t.Fatalf("%s at %s has no revision location", c.ID, c.Pointer)
				}
			}
		}
	})
}
