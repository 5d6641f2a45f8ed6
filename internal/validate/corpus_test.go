package validate_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/validate"
)

// corpusDir finds ../shared/corpus beside the module root, skipping the
// test when it is absent (it is not part of the repository).
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	require.NoError(tb, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("go.mod not found; corpus tests skipped")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if st, err := os.Stat(c); err != nil || !st.IsDir() {
		tb.Skip("../shared/corpus not found; corpus tests skipped")
	}
	return c
}

// invalidCorpus lists the corpus files that are not valid documents of
// their kind, why, and a phrase one of their problems must contain. Each
// was checked by hand against its specification: these are defects of the
// published files, not of relay. Any other corpus file that loads must
// validate cleanly.
var invalidCorpus = map[string]struct{ reason, phrase string }{
	"openapi/oai-petstore-expanded-v30/01-c7d3e1fb.yaml": {
		"3.0.0-RC0 example: a query parameter with style: simple, which only path and header parameters may use",
		`style="simple"`},
	"swagger2/oai-petstore-expanded-v20/01-0c02e470.yaml": {
		"early draft example: response schemas written as {Pet: {$ref: …}} instead of {$ref: …}",
		`unknown field "Pet" in schema`},
	"openapi/openai-openapi30/04-498c71dd.yaml": {
		"path templates whose parameters are declared under other names (certificate_id vs cert_id) or not at all, " +
			"type: 'null' and 2019-09/3.1 keywords ($recursiveRef, propertyNames) in a 3.0 document, misspelt " +
			"keywords (min_items), arrays without items, defaults outside their enums",
		"does not declare the path parameter"},
	"openapi/xero-accounting/01-d049e8df.yaml":             {xeroReason, "conflicting paths"},
	"openapi/xero-accounting/02-5f7f7e12.yaml":             {xeroReason, "conflicting paths"},
	"openapi/xero-accounting/03-70a329fd.yaml":             {xeroReason, "conflicting paths"},
	"openapi/xero-accounting/04-e952d0bd.yaml":             {xeroReason, "conflicting paths"},
	"openapi/openai-openapi31/01-5162af98.yaml":            {openai31Reason, `"exclusiveMinimum" must be a number, not a boolean`},
	"openapi/openai-openapi31/02-5c044be3.yaml":            {openai31Reason, `"exclusiveMinimum" must be a number, not a boolean`},
	"openapi/openai-openapi31/03-11854aef.yaml":            {openai31Reason, `"exclusiveMinimum" must be a number, not a boolean`},
	"openapi/openai-openapi31/04-9b457ac5.yaml":            {openai31Reason, `"exclusiveMinimum" must be a number, not a boolean`},
	"openapi/openai-openapi31/05-f85dbe22.yaml":            {openai31Reason, `"exclusiveMinimum" must be a number, not a boolean`},
	"asyncapi/spec-example-adeo-kafka-v3/01-e6bcefbc.yaml": {adeoReason, `"locaton"`},
	"asyncapi/spec-example-adeo-kafka-v3/02-34d4d47d.yaml": {adeoReason, `"locaton"`},
}

const (
	xeroReason = "paths that differ only in a template name (/Contacts/{ContactNumber} and /Contacts/{ContactID}), " +
		"which OpenAPI says MUST NOT exist, and string defaults (\"false\") for boolean properties"
	openai31Reason = "the 3.0 boolean form of exclusiveMinimum in a 3.1 document (2020-12 takes the bound itself) " +
		"and a duplicate entry in required (its defaults that do not match their schemas are no violation in 3.1, " +
		"where a default is an annotation)"
	adeoReason = "written against a pre-release 3.0 draft: server url, security requirements, root tags, " +
		"message schemaFormat, parameter schema, and a misspelt reply address field (locaton)"
)

// TestCorpus validates every corpus file that loads. Files the loader
// refuses (remote $refs, siblings the corpus lacks) are load's business
// (internal/load/corpus_test.go).
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	root := corpusDir(t)
	got := map[string][]finding.Problem{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		doc, err := load.Load(load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Display: rel})
		if err != nil {
			return nil
		}
		probs, err := validate.Document(context.Background(), doc)
		require.NoError(t, err, rel)
		if len(probs) > 0 {
			got[rel] = probs
		}
		return nil
	})
	require.NoError(t, err)
	assert.ElementsMatch(t, keys(invalidCorpus), keys(got), "corpus files with problems")
	for file, want := range invalidCorpus {
		if probs, ok := got[file]; ok {
			assert.True(t, anyContains(probs, want.phrase), "%s: no problem says %q; first: %s", file, want.phrase, probs[0].Message)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func anyContains(probs []finding.Problem, phrase string) bool {
	for _, p := range probs {
		if strings.Contains(p.Message, phrase) {
			return true
		}
	}
	return false
}

// BenchmarkValidateStripe validates the largest Stripe description, as
// JSON and as YAML (the same tree either way once loaded; loading is not
// timed). The diff of the Stripe JSON pair takes about 0.16 s
// (BenchmarkStripe in internal/rules), and validation runs beside it.
func BenchmarkValidateStripe(b *testing.B) {
	root := corpusDir(b)
	for _, c := range []struct{ name, file string }{
		{"json", "openapi/stripe-json/03-e0123a38.json"},
		{"yaml", "openapi/stripe-yaml/03-63a67463.yaml"},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := filepath.Join(root, filepath.FromSlash(c.file))
			doc, err := load.Load(load.Options{FS: os.DirFS(filepath.Dir(p)), Path: filepath.Base(p), Display: c.file})
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				probs, err := validate.Document(context.Background(), doc)
				if err != nil || len(probs) > 0 {
					b.Fatalf("%s: %v %v", c.file, err, probs)
				}
			}
		})
	}
}
