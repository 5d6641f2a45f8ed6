package report_test

import (
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			ClassName string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func decodeJUnit(t *testing.T, rep *report.Report, failOn finding.Level) junitDoc {
	t.Helper()
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(render(t, "junit", report.Options{FailOn: failOn}, rep), &doc))
	require.Len(t, doc.Suites, 1)
	assert.Equal(t, "relay contract diff", doc.Suites[0].Name)
	return doc
}

func TestJUnitFailOn(t *testing.T) {
	for _, tt := range []struct {
		failOn   finding.Level
		failures int
	}{{"", 2}, {finding.Breaking, 2}, {finding.Warning, 4}, {finding.NonBreaking, 5}, {finding.Info, 7}} {
		doc := decodeJUnit(t, fixture(), tt.failOn)
		s := doc.Suites[0]
		assert.Equal(t, 7, s.Tests, "failOn %q", tt.failOn)
		assert.Equal(t, tt.failures, s.Failures, "failOn %q", tt.failOn)
		assert.Equal(t, tt.failures, doc.Failures, "failOn %q", tt.failOn)
		failing := 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				failing++
				assert.Empty(t, c.SystemOut)
			} else {
				assert.NotEmpty(t, c.SystemOut, "a passing testcase still tells what changed")
			}
		}
		assert.Equal(t, tt.failures, failing)
	}
}

func TestJUnitTestcases(t *testing.T) {
	s := decodeJUnit(t, fixture(), finding.Breaking).Suites[0]
	c := s.Cases[0]
	assert.Equal(t, "response-property-removed", c.ClassName)
	assert.Equal(t, "DELETE /pets/{id} /components/schemas/Pet/properties/status (api.yaml:35)", c.Name)
	require.NotNil(t, c.Failure)
	assert.Equal(t, "breaking", c.Failure.Type)
	assert.Equal(t, "response property 'status' was removed", c.Failure.Message)
	assert.Contains(t, c.Failure.Text, "base: base.yaml:41:9")
	// The message with a newline and markup survives the round trip.
	assert.Contains(t, s.Cases[3].SystemOut, "3|4 <b>&</b>\"\nask @octocat first")
}

// TestJUnitOneTestcasePerRuleAndLocation merges changes that would get the
// same classname and name; the most severe decides.
func TestJUnitOneTestcasePerRuleAndLocation(t *testing.T) {
	at := finding.Location{File: "api.yaml", Line: 4, Column: 2}
	cs := []finding.Change{
		{ID: "request-property-default-changed", Level: finding.Warning, Operation: "GET /a", Pointer: "/p", Message: "first", Revision: at},
		{ID: "request-property-default-changed", Level: finding.Breaking, Operation: "GET /a", Pointer: "/p", Message: "second\x01", Revision: at},
	}
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, cs, finding.Breaking)
	s := decodeJUnit(t, rep, finding.Breaking).Suites[0]
	require.Len(t, s.Cases, 1)
	require.NotNil(t, s.Cases[0].Failure)
	assert.Equal(t, "breaking", s.Cases[0].Failure.Type)
	assert.Contains(t, s.Cases[0].Failure.Text, "first")
	assert.Contains(t, s.Cases[0].Failure.Text, "second", "a control character does not break the XML")
}

func TestJUnitNoChanges(t *testing.T) {
	s := decodeJUnit(t, empty(), "").Suites[0]
	require.Len(t, s.Cases, 1)
	assert.Equal(t, "no contract changes", s.Cases[0].Name)
	assert.Nil(t, s.Cases[0].Failure)
	assert.Equal(t, 0, s.Failures)
}
