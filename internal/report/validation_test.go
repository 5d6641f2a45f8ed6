package report_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// validationFixture is one realistic validation: an invalid contract with
// problems in its own file and in a $ref'd one (whose name holds ',' and a
// space, and one message full of characters formats must escape), a valid
// one, and one the loader refused.
func validationFixture() *report.Validation {
	loc := func(f string, l, c int) finding.Location { return finding.Location{File: f, Line: l, Column: c} }
	sum := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	return report.NewValidation(report.Tool{Name: "relay", Version: "test"}, []report.ValidationResult{
		{Source: "api.yaml", Kind: "openapi", SpecVersion: "3.0.3", SHA256: sum, Problems: []finding.Problem{
			{Pointer: "/paths/~1pets/get/reponses", Message: `unknown field "reponses" in operation (did you mean "responses"?)`, Location: loc("api.yaml", 12, 7)},
			{Pointer: "/properties/name/type", Message: `unknown schema type "strng" (did you mean "string"?)`, Location: loc("schemas/pet, v2.yaml", 4, 11)},
			{Pointer: "/paths/~1pets/get/responses/200/$ref", Message: `$ref "#/info" points at an info object, not at a response`, Location: loc("api.yaml", 9, 17)},
			{Pointer: "/info/description", Message: "description must be a string: 100% <b>&</b>\nsecond: line, with a comma", Location: loc("api.yaml", 3, 3)},
		}},
		{Source: "swagger.yaml", Kind: "swagger", SpecVersion: "2.0", SHA256: sum},
		{Source: "broken.yaml", Status: report.StatusUnloadable, Problems: []finding.Problem{
			{Message: "invalid YAML: mapping values are not allowed in this context", Location: loc("broken.yaml", 2, 6)},
		}},
	})
}

func validFixture() *report.Validation {
	return report.NewValidation(report.Tool{Name: "relay", Version: "test"}, []report.ValidationResult{
		{Source: "api.yaml", Kind: "openapi", SpecVersion: "3.1.0", SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
	})
}

func TestValidationGolden(t *testing.T) {
	for _, c := range []struct {
		name, format string
		v            *report.Validation
	}{
		{"validation.txt", "text", validationFixture()},
		{"validation.json", "json", validationFixture()},
		{"validation.sarif", "sarif", validationFixture()},
		{"validation.github.txt", "github", validationFixture()},
		{"validation.gitlab.json", "gitlab", validationFixture()},
		{"validation.junit.xml", "junit", validationFixture()},
		{"validation-valid.txt", "text", validFixture()},
		{"validation-valid.json", "json", validFixture()},
		{"validation-valid.sarif", "sarif", validFixture()},
		{"validation-valid.github.txt", "github", validFixture()},
		{"validation-valid.gitlab.json", "gitlab", validFixture()},
		{"validation-valid.junit.xml", "junit", validFixture()},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkGolden(t, c.name, renderValidation(t, c.format, c.v))
		})
	}
}

func renderValidation(t *testing.T, format string, v *report.Validation) []byte {
	t.Helper()
	r, err := report.LookupValidation(format)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, r.Render(&buf, v))
	return buf.Bytes()
}

func TestNewValidationCountsAndDecides(t *testing.T) {
	v := validationFixture()
	assert.Equal(t, report.ValidationSummary{Files: 3, Valid: 1, Invalid: 1, Unloadable: 1, Problems: 4, ExitCode: 1}, v.Summary)
	assert.Equal(t, []string{report.StatusInvalid, report.StatusValid, report.StatusUnloadable},
		[]string{v.Files[0].Status, v.Files[1].Status, v.Files[2].Status})
	assert.Equal(t, 3, v.Files[0].Problems[0].Location.Line, "problems sorted by file, line, column")
	assert.NotNil(t, v.Files[1].Problems, "no problems serialise as [], not null")
	assert.Equal(t, 0, validFixture().Summary.ExitCode)
}

// TestValidationGitHubCapsAnnotations: GitHub shows ten error annotations
// per step and drops the rest silently, so the tenth says how many more.
func TestValidationGitHubCapsAnnotations(t *testing.T) {
	var probs []finding.Problem
	for i := range 14 {
		probs = append(probs, finding.Problem{Message: fmt.Sprintf("problem %d", i), Location: finding.Location{File: "api.yaml", Line: i + 1, Column: 1}})
	}
	v := report.NewValidation(report.Tool{Name: "relay"}, []report.ValidationResult{{Source: "api.yaml", Problems: probs}})
	out := string(renderValidation(t, "github", v))
	assert.Equal(t, 10, strings.Count(out, "::error"), out)
	assert.Contains(t, out, "::error::relay: 5 more problems not shown as annotations; see the report\n")
}

func TestLookupValidation(t *testing.T) {
	for _, f := range report.ValidationFormats() {
		r, err := report.LookupValidation(f)
		assert.NoError(t, err, f)
		assert.NotNil(t, r, f)
		a, b := renderValidation(t, f, validationFixture()), renderValidation(t, f, validationFixture())
		assert.Equal(t, string(a), string(b), "%s is not deterministic", f)
	}
	_, err := report.LookupValidation("markdown")
	assert.ErrorContains(t, err, "unknown validation format")
}

const validationMarker = `"schemaVersion": "relay.contract.validate/v1"`

// TestValidationReportsMatchSchema validates every JSON validation report
// in the repository's testdata (golden files and txtar sections) against
// contracts/validate.schema.json, and shows the check can fail.
func TestValidationReportsMatchSchema(t *testing.T) {
	s := contractSchema(t, "validate.schema.json")
	n := 0
	err := filepath.WalkDir(moduleRoot(t), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(p, string(filepath.Separator)+"testdata"+string(filepath.Separator)) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(data, []byte(validationMarker)) {
			return err
		}
		if strings.HasSuffix(p, ".txtar") {
			for _, f := range txtar.Parse(data).Files {
				if bytes.Contains(f.Data, []byte(validationMarker)) {
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
	assert.GreaterOrEqual(t, n, 2, "found too few JSON validation reports to validate")

	good := renderValidation(t, "json", validationFixture())
	require.NoError(t, validate(s, good))
	bad := bytes.Replace(good, []byte(`"status": "invalid"`), []byte(`"status": "broken"`), 1)
	require.NotEqual(t, good, bad)
	assert.Error(t, validate(s, bad))
}
