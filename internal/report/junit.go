package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// JUnit renders JUnit XML for CI systems that show test results (GitLab,
// Jenkins, Azure Pipelines…): one testcase per rule and location, failing
// when the change's level is at or above FailOn, so the test tab agrees
// with the exit code.
type JUnit struct {
	// FailOn is the lowest failing level; the zero value means Breaking.
	FailOn finding.Level
}

const junitSuiteName = "relay contract diff"

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitSkipped marks a testcase for an ignore entry that dropped changes.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Render writes the XML document.
func (j JUnit) Render(w io.Writer, r *Report) error {
	suite := junitSuite{Name: junitSuiteName, Cases: j.cases(r.Changes)}
	for _, c := range suite.Cases {
		if c.Failure != nil {
			suite.Failures++
		}
	}
	// Suppressed findings are skipped tests: counted, never failing.
	for i, l := range suppressedLines(r) {
		s := r.Suppressed[i]
		suite.Cases = append(suite.Cases, junitCase{ClassName: s.Rule, Name: "suppressed: " + l, Skipped: &junitSkipped{Message: s.Reason}})
		suite.Skipped++
	}
	return writeJUnit(w, suite)
}

// writeJUnit writes one suite as a whole JUnit document; the diff and the
// validate reports share it.
func writeJUnit(w io.Writer, suite junitSuite) error {
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "relay", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// cases groups changes by rule and location; CI systems merge or drop
// testcases with equal class and name, so two changes that would share
// one become one testcase carrying both messages.
func (j JUnit) cases(cs []finding.Change) []junitCase {
	if len(cs) == 0 {
		return []junitCase{{ClassName: "relay", Name: "no contract changes"}}
	}
	failOn := j.FailOn
	if failOn == "" {
		failOn = finding.Breaking
	}
	var order []string
	groups := map[string][]finding.Change{}
	for _, c := range bySeverity(cs) {
		k := c.ID + "\x00" + junitName(c)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	out := make([]junitCase, 0, len(order))
	for _, k := range order {
		out = append(out, junitCaseFor(groups[k], failOn))
	}
	return out
}

// junitName is "OPERATION POINTER (file:line)".
func junitName(c finding.Change) string {
	op := c.Operation
	if op == "" {
		op = "document"
	}
	return fmt.Sprintf("%s %s (%s:%d)", op, c.Pointer, c.Revision.File, c.Revision.Line)
}

// junitCaseFor builds one testcase from changes sharing a rule and
// location; the group is sorted most severe first, so its first change
// decides whether it fails.
func junitCaseFor(group []finding.Change, failOn finding.Level) junitCase {
	first := group[0]
	tc := junitCase{ClassName: first.ID, Name: junitName(first)}
	details := make([]string, len(group))
	for i, c := range group {
		details[i] = junitDetail(c)
	}
	text := strings.Join(details, "\n")
	if first.Level.Rank() >= failOn.Rank() {
		tc.Failure = &junitFailure{Message: first.Message, Type: string(first.Level), Text: text}
	} else {
		tc.SystemOut = text
	}
	return tc
}

func junitDetail(c finding.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\nrule: %s\npointer: %s\nrevision: %s\n", c.Level, c.Message, c.ID, c.Pointer, locText(c.Revision))
	if c.Base != nil {
		fmt.Fprintf(&b, "base: %s\n", locText(*c.Base))
	}
	if len(c.Affects) > 0 {
		fmt.Fprintf(&b, "affects: %s\n", strings.Join(c.Affects, ", "))
	}
	return b.String()
}
