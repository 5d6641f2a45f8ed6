package validate_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/validate"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/*.txtar")

// TestCases runs testdata/*.txtar: the first file is the contract (the
// others are files it $refs), and the "want" section lists the problems,
// one "file:line:col pointer: message" per line. A "kind: K" line in the
// archive's comment forces the kind. -update rewrites the want sections.
func TestCases(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			runCase(t, path)
		})
	}
}

func runCase(t *testing.T, path string) {
	ar, err := txtar.ParseFile(path)
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	var main string
	wantIdx := -1
	for i, f := range ar.Files {
		if f.Name == "want" {
			wantIdx = i
			continue
		}
		if main == "" {
			main = f.Name
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	require.NotEmpty(t, main, "no contract in %s", path)
	doc, err := load.Load(load.Options{FS: fsys, Path: main, Display: main, Kind: kindOf(ar.Comment)})
	require.NoError(t, err)
	probs, err := validate.Document(context.Background(), doc)
	require.NoError(t, err)
	got := render(probs)
	if *update {
		if wantIdx < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: "want"})
			wantIdx = len(ar.Files) - 1
		}
		ar.Files[wantIdx].Data = []byte(got)
		require.NoError(t, os.WriteFile(path, txtar.Format(ar), 0o644))
		return
	}
	require.GreaterOrEqual(t, wantIdx, 0, "%s has no want section; run with -update", path)
	assert.Equal(t, string(ar.Files[wantIdx].Data), got)
}

func kindOf(comment []byte) load.Kind {
	for _, line := range strings.Split(string(comment), "\n") {
		if k, ok := strings.CutPrefix(strings.TrimSpace(line), "kind:"); ok {
			return load.Kind(strings.TrimSpace(k))
		}
	}
	return ""
}

func render(probs []finding.Problem) string {
	var b strings.Builder
	for _, p := range probs {
		fmt.Fprintf(&b, "%s:%d:%d %s: %s\n", p.Location.File, p.Location.Line, p.Location.Column, p.Pointer, p.Message)
	}
	return b.String()
}

// TestDeferredMetaSchema: a JSON Schema loaded without the loader's
// meta-schema check (as relay contract validate loads it) is reported as
// an invalid document, at the offending node.
func TestDeferredMetaSchema(t *testing.T) {
	fsys := fstest.MapFS{"s.json": {Data: []byte("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"properties\": {\"id\": {\"type\": \"strng\"}}\n}\n")}}
	doc, err := load.Load(load.Options{FS: fsys, Path: "s.json", Display: "s.json", DeferContractCheck: true})
	require.NoError(t, err)
	probs, err := validate.Document(context.Background(), doc)
	require.NoError(t, err)
	require.Len(t, probs, 1)
	assert.Equal(t, "/properties/id/type", probs[0].Pointer)
	assert.Equal(t, finding.Location{File: "s.json", Line: 3, Column: 33}, probs[0].Location)
	assert.Contains(t, probs[0].Message, "not a valid JSON Schema (2020-12)")
}
