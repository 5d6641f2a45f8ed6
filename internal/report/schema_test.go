package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

const schemaMarker = `"schemaVersion": "relay.contract.diff/v1"`

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "go.mod not found")
		dir = parent
	}
}

// reportSchema compiles contracts/report.schema.json.
func reportSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	return contractSchema(t, "report.schema.json")
}

// contractSchema compiles one schema of contracts/; the compiler gets no
// loader for remote URLs, so validation never touches the network.
func contractSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join(moduleRoot(t), "contracts", name))
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(name, doc))
	s, err := c.Compile(name)
	require.NoError(t, err)
	return s
}

func validate(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// TestGoldenReportsMatchSchema validates every JSON report anywhere in the
// repository's testdata — golden files and txtar script sections alike.
func TestGoldenReportsMatchSchema(t *testing.T) {
	s := reportSchema(t)
	n := 0
	err := filepath.WalkDir(moduleRoot(t), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, string(filepath.Separator)+"testdata"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte(schemaMarker)) {
			return err
		}
		if strings.HasSuffix(p, ".txtar") {
			for _, f := range txtar.Parse(data).Files {
				if bytes.Contains(f.Data, []byte(schemaMarker)) {
					n++
					assert.NoError(t, validate(s, f.Data), "%s section %s", p, f.Name)
				}
			}
			return nil
		}
		n++
		assert.NoError(t, validate(s, data), p)
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, n, "found no JSON report to validate")
}

// TestSchemaRejectsBadLevel shows the validation can fail.
func TestSchemaRejectsBadLevel(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, json.NewEncoder(&buf).Encode(fixture()))
	bad := strings.Replace(buf.String(), `"level":"breaking"`, `"level":"critical"`, 1)
	require.NotEqual(t, buf.String(), bad)
	assert.Error(t, validate(reportSchema(t), []byte(bad)))
	assert.NoError(t, validate(reportSchema(t), buf.Bytes()))
}

// TestSchemaDescribesValidation: a report carrying both sides' problems
// matches the schema, and a problem without a message does not.
func TestSchemaDescribesValidation(t *testing.T) {
	rep := fixture()
	p := finding.Problem{Pointer: "/paths/~1pets/get/reponses", Message: `unknown field "reponses" in operation`,
		Location: finding.Location{File: "api.yaml", Line: 6, Column: 7}}
	rep.Validation = &report.Problems{Base: []finding.Problem{p}, Revision: []finding.Problem{p}}
	var buf bytes.Buffer
	require.NoError(t, json.NewEncoder(&buf).Encode(rep))
	assert.NoError(t, validate(reportSchema(t), buf.Bytes()))
	bad := strings.Replace(buf.String(), `"message":"unknown field`, `"text":"unknown field`, 1)
	require.NotEqual(t, buf.String(), bad)
	assert.Error(t, validate(reportSchema(t), []byte(bad)))
}
