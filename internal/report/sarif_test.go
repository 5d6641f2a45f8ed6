package report_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
)

// sarifDoc is the part of a SARIF log GitHub code scanning reads, decoded
// from the output rather than shared with the renderer, so a wrong JSON
// tag fails here.
type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []sarifDocResult `json:"results"`
	} `json:"runs"`
}

type sarifDocResult struct {
	RuleID    *string `json:"ruleId"`
	RuleIndex *int    `json:"ruleIndex"`
	Level     string  `json:"level"`
	Message   struct {
		Text *string `json:"text"`
	} `json:"message"`
	Locations        []sarifDocLocation `json:"locations"`
	RelatedLocations []struct {
		ID      int `json:"id"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
		sarifDocLocation
	} `json:"relatedLocations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          struct {
		Operation string   `json:"operation"`
		Pointer   string   `json:"pointer"`
		Affects   []string `json:"affects"`
	} `json:"properties"`
}

type sarifDocLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine   int `json:"startLine"`
			StartColumn int `json:"startColumn"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

func decodeSARIF(t *testing.T, rep *report.Report, opts report.Options) sarifDoc {
	t.Helper()
	var doc sarifDoc
	require.NoError(t, json.Unmarshal(render(t, "sarif", opts, rep), &doc))
	return doc
}

// TestSARIFMeetsCodeScanningRequirements checks what GitHub code scanning
// rejects or mis-files an upload without.
func TestSARIFMeetsCodeScanningRequirements(t *testing.T) {
	rep := fixture()
	doc := decodeSARIF(t, rep, goldenOptions())
	assert.Equal(t, "2.1.0", doc.Version)
	assert.Equal(t, "https://json.schemastore.org/sarif-2.1.0.json", doc.Schema)
	require.Len(t, doc.Runs, 1)
	run := doc.Runs[0]
	assert.Equal(t, "relay", run.Tool.Driver.Name)
	require.Len(t, run.Results, len(rep.Changes))

	ruleAt := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		ruleAt[r.ID] = i
	}
	for _, m := range fixtureRules() {
		assert.Contains(t, ruleAt, m.ID, "every catalog rule is listed, used or not")
	}
	seen := map[string]bool{}
	for i, res := range run.Results {
		c := rep.Changes[i]
		require.NotNil(t, res.RuleID)
		assert.Equal(t, c.ID, *res.RuleID)
		idx, ok := ruleAt[*res.RuleID]
		require.True(t, ok, "ruleId %s is defined in driver.rules", *res.RuleID)
		require.NotNil(t, res.RuleIndex)
		assert.Equal(t, idx, *res.RuleIndex)
		require.NotNil(t, res.Message.Text)
		assert.NotEmpty(t, *res.Message.Text)
		require.NotEmpty(t, res.Locations)
		loc := res.Locations[0].PhysicalLocation
		assert.NotEmpty(t, loc.ArtifactLocation.URI)
		assert.GreaterOrEqual(t, loc.Region.StartLine, 1)
		assert.Equal(t, c.Revision.Line, loc.Region.StartLine, "the primary location is the revision")
		fp := res.PartialFingerprints["relayFingerprint/v1"]
		require.NotEmpty(t, fp)
		assert.False(t, seen[fp], "fingerprint %s repeats", fp)
		seen[fp] = true
		assert.Equal(t, c.Pointer, res.Properties.Pointer)
		assert.Equal(t, c.Affects, res.Properties.Affects)
		if c.Base != nil {
			require.Len(t, res.RelatedLocations, 1)
			assert.Equal(t, "base", res.RelatedLocations[0].Message.Text)
			assert.Equal(t, c.Base.Line, res.RelatedLocations[0].PhysicalLocation.Region.StartLine)
		} else {
			assert.Empty(t, res.RelatedLocations)
		}
	}
	levels := map[string]string{}
	for i, res := range run.Results {
		levels[string(rep.Changes[i].Level)] = res.Level
	}
	assert.Equal(t, map[string]string{"breaking": "error", "warning": "warning", "non-breaking": "note", "info": "note"}, levels)
}

// TestSARIFFingerprintsSurviveReformatting moves every change to other
// lines and columns: code scanning must see the same alerts.
func TestSARIFFingerprintsSurviveReformatting(t *testing.T) {
	fps := func(rep *report.Report) []string {
		var out []string
		for _, r := range decodeSARIF(t, rep, report.Options{}).Runs[0].Results {
			out = append(out, r.PartialFingerprints["relayFingerprint/v1"])
		}
		return out
	}
	moved := fixture()
	for i := range moved.Changes {
		moved.Changes[i].Revision.Line += 40
		moved.Changes[i].Revision.Column++
	}
	assert.Equal(t, fps(fixture()), fps(moved))
}

func TestSARIFFingerprintsUniqueWhenChangesCollide(t *testing.T) {
	c := finding.Change{ID: "response-property-removed", Level: finding.Breaking, Operation: "GET /a", Pointer: "/p", Message: "one",
		Revision: finding.Location{File: "api.yaml", Line: 1, Column: 1}}
	c2, c3 := c, c
	c2.Message = "two"
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{c, c2, c3}, finding.Breaking)
	seen := map[string]bool{}
	for _, r := range decodeSARIF(t, rep, report.Options{}).Runs[0].Results {
		fp := r.PartialFingerprints["relayFingerprint/v1"]
		assert.False(t, seen[fp], "fingerprint %s repeats", fp)
		seen[fp] = true
	}
}

func TestSARIFURIsAndRulesOutsideTheCatalog(t *testing.T) {
	files := map[string]string{
		"docs/api v2.yaml":  "docs/api%20v2.yaml",
		"/srv/api.yaml":     "file:///srv/api.yaml",
		`C:\api\pets.yaml`:  "file:///C:/api/pets.yaml",
		"git:main:api.yaml": "./git:main:api.yaml",
	}
	var cs []finding.Change
	for f := range files {
		cs = append(cs, finding.Change{ID: "not-in-catalog", Level: finding.Warning, Pointer: "/" + f, Message: "m",
			Revision: finding.Location{File: f, Line: 3, Column: 1}})
	}
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, cs, finding.Breaking)
	doc := decodeSARIF(t, rep, report.Options{Rules: fixtureRules()})
	rules := doc.Runs[0].Tool.Driver.Rules
	require.Len(t, rules, len(fixtureRules())+1, "an unknown rule is appended once")
	assert.Equal(t, "not-in-catalog", rules[len(rules)-1].ID)
	for i, res := range doc.Runs[0].Results {
		assert.Equal(t, files[rep.Changes[i].Revision.File], res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		assert.Equal(t, len(rules)-1, *res.RuleIndex)
	}
}

// TestSARIFDefaultsToTheWholeCatalog: without a rule list of its own, the
// SARIF driver describes every rule of the catalog, in catalog order.
func TestSARIFDefaultsToTheWholeCatalog(t *testing.T) {
	doc := decodeSARIF(t, empty(), report.Options{})
	got := doc.Runs[0].Tool.Driver.Rules
	all := rules.All()
	require.Len(t, got, len(all))
	for i, r := range all {
		assert.Equal(t, r.ID, got[i].ID)
	}
}
