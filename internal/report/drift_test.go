package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/finding"
)

func driftFixture() *Drift {
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	return NewDrift(Drift{Tool: Tool{Name: "relay", Version: "test"}, Contract: "api.yaml", Samples: []string{"-"},
		Summary: DriftSummary{Exchanges: 9, Truncated: 1},
		Drifts: []event.Event{{
			Fingerprint: "0123456789abcdef", Contract: "api.yaml", Operation: "GET /pets/{id}", Rule: "type-mismatch",
			Direction: event.Response, Status: 200, MediaType: "application/json", InstancePath: "/id",
			SchemaPointer: "/components/schemas/Pet/properties/id/type",
			Location:      &finding.Location{File: "api.yaml", Line: 57, Column: 11},
			Message:       "the contract says integer, traffic carries string", Observed: "string (6 chars)",
			Fix: "fix it | or not", FirstSeen: t0, LastSeen: t0.Add(time.Hour), Count: 3,
		}, {
			Fingerprint: "fedcba9876543210", Contract: "api.yaml", Operation: "GET /owners/{id}",
			Rule: "undocumented-operation", Direction: event.Request, Message: "the contract declares no operation GET /owners/{id}",
			FirstSeen: t0, LastSeen: t0, Count: 1,
		}}})
}

func render(t *testing.T, r DriftRenderer, d *Drift) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.Render(&b, d))
	return b.String()
}

func TestDriftSummary(t *testing.T) {
	d := driftFixture()
	assert.Equal(t, DriftSummary{Exchanges: 9, Drifts: 2, Occurrences: 4, Truncated: 1, ExitCode: 20, Verdict: "drift"}, d.Summary)
	none := NewDrift(Drift{Contract: "api.yaml"})
	assert.Equal(t, 0, none.Summary.ExitCode)
	assert.Equal(t, "none", none.Summary.Verdict)
	assert.NotNil(t, none.Drifts, "drifts is [] in JSON, never null")
}

func TestDriftText(t *testing.T) {
	assert.Equal(t, `api.yaml:57:11: type-mismatch GET /pets/{id} response 200 application/json
  the contract says integer, traffic carries string
  at /id, schema /components/schemas/Pet/properties/id/type
  observed: string (6 chars)
  seen 3 times, first 2026-12-03T10:00:00Z, last 2026-12-03T11:00:00Z
  fix: fix it | or not
api.yaml: undocumented-operation GET /owners/{id} request
  the contract declares no operation GET /owners/{id}
  seen once, at 2026-12-03T10:00:00Z
9 exchanges checked: 2 drifts (4 occurrences); 1 truncated (checked for framing and type only)
`, render(t, DriftText{}, driftFixture()))
}

func TestDriftMarkdownAndGitHub(t *testing.T) {
	assert.Equal(t, "## Runtime drift: api.yaml\n\n9 exchanges checked: 2 drifts (4 occurrences); 1 truncated (checked for framing and type only)\n"+
		"\n| Rule | Operation | At | Schema | Observed | Seen | Fix |\n|---|---|---|---|---|---|---|\n"+
		"| `type-mismatch` | GET /pets/{id} response 200 application/json | /id | api.yaml:57:11 | string (6 chars) | 3 times | fix it \\| or not |\n"+
		"| `undocumented-operation` | GET /owners/{id} request | - | api.yaml |  | once |  |\n",
		render(t, DriftMarkdown{}, driftFixture()))
	assert.Equal(t, "::warning file=api.yaml,line=57,title=type-mismatch::GET /pets/{id} response 200 application/json: the contract says integer, traffic carries string (seen 3 times)\n"+
		"::warning title=undocumented-operation::GET /owners/{id} request: the contract declares no operation GET /owners/{id} (seen once)\n",
		render(t, DriftGitHub{}, driftFixture()))
}

func TestDriftJSON(t *testing.T) {
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(render(t, DriftJSON{}, driftFixture())), &got))
	assert.Equal(t, DriftSchemaVersion, got["schemaVersion"])
	drifts := got["drifts"].([]any)
	require.Len(t, drifts, 2)
	first := drifts[0].(map[string]any)
	assert.Equal(t, "0123456789abcdef", first["fingerprint"])
	assert.Equal(t, float64(3), first["count"])
	assert.Equal(t, "2026-12-03T11:00:00Z", first["lastSeen"])
	for _, name := range DriftFormats() {
		_, err := LookupDrift(name)
		assert.NoError(t, err, name)
	}
	_, err := LookupDrift("sarif")
	assert.Error(t, err)
}
