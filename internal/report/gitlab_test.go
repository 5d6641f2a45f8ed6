package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

const gitlabSchemaFile = "gitlab-codequality.schema.json"

// TestGitLabGoldensMatchSchema validates the gitlab goldens against
// contracts/gitlab-codequality.schema.json.
func TestGitLabGoldensMatchSchema(t *testing.T) {
	s := contractSchema(t, gitlabSchemaFile)
	for _, name := range []string{"report.gitlab.json.golden", "empty.gitlab.json.golden"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		assert.NoError(t, validate(s, data), name)
	}
}

// TestGitLabSchemaRejects shows the schema can fail.
func TestGitLabSchemaRejects(t *testing.T) {
	s := contractSchema(t, gitlabSchemaFile)
	ok := `{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"api.yaml","lines":{"begin":1}}}`
	require.NoError(t, validate(s, []byte("["+ok+"]")))
	for _, bad := range []string{
		`{"description":"d","check_name":"c","fingerprint":"f","severity":"high","location":{"path":"api.yaml","lines":{"begin":1}}}`,
		`{"description":"d","check_name":"c","severity":"major","location":{"path":"api.yaml","lines":{"begin":1}}}`,
		`{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"./api.yaml","lines":{"begin":1}}}`,
		`{"description":"d","check_name":"c","fingerprint":"f","severity":"major","location":{"path":"api.yaml","lines":{"begin":0}}}`,
	} {
		assert.Error(t, validate(s, []byte("["+bad+"]")), bad)
	}
}

type gitlabDoc []struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

func decodeGitLab(t *testing.T, rep *report.Report) gitlabDoc {
	t.Helper()
	var doc gitlabDoc
	require.NoError(t, json.Unmarshal(render(t, "gitlab", report.Options{}, rep), &doc))
	return doc
}

func TestGitLabIssues(t *testing.T) {
	rep := fixture()
	doc := decodeGitLab(t, rep)
	require.Len(t, doc, len(rep.Changes))
	sev := map[finding.Level]string{}
	for i, is := range doc {
		c := rep.Changes[i]
		sev[c.Level] = is.Severity
		assert.Equal(t, c.ID, is.CheckName)
		assert.Equal(t, c.Revision.File, is.Location.Path)
		assert.Equal(t, c.Revision.Line, is.Location.Lines.Begin)
	}
	assert.Equal(t, map[finding.Level]string{finding.Breaking: "critical", finding.Warning: "major", finding.NonBreaking: "info", finding.Info: "info"}, sev)
}

// TestGitLabFingerprints: unique even when rule, operation and pointer
// collide (GitLab drops repeats), and blind to line numbers.
func TestGitLabFingerprints(t *testing.T) {
	c := finding.Change{ID: "response-property-removed", Level: finding.Breaking, Operation: "GET /a", Pointer: "/p", Message: "one",
		Revision: finding.Location{File: "./api.yaml", Line: 1, Column: 1}}
	c2, c3 := c, c
	c2.Message = "two"
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{c, c2, c3}, finding.Breaking)
	doc := decodeGitLab(t, rep)
	seen := map[string]bool{}
	for _, is := range doc {
		assert.False(t, seen[is.Fingerprint], "fingerprint %s repeats", is.Fingerprint)
		seen[is.Fingerprint] = true
		assert.Equal(t, "api.yaml", is.Location.Path, "no leading ./")
	}
	moved := fixture()
	for i := range moved.Changes {
		moved.Changes[i].Revision.Line += 3
	}
	a, b := decodeGitLab(t, fixture()), decodeGitLab(t, moved)
	for i := range a {
		assert.Equal(t, a[i].Fingerprint, b[i].Fingerprint)
	}
}
