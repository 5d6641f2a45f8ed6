package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// The validation report in the formats CI systems read. Every problem is
// an error: an invalid contract cannot be compared, and the command exits
// 1. Problems have no rule catalog; they are results of two rules, one
// for invalid documents and one for documents that could not be loaded.
const (
	ruleInvalid    = "contract-invalid"
	ruleUnloadable = "contract-unloadable"
)

// validationRules are the SARIF rules every validation run defines.
var validationRules = []sarifRule{
	{ID: ruleInvalid, ShortDescription: &sarifMessage{Text: "The contract is not a valid document of its kind"},
		DefaultConfiguration: &sarifConfig{Level: "error"}},
	{ID: ruleUnloadable, ShortDescription: &sarifMessage{Text: "The contract could not be loaded"},
		DefaultConfiguration: &sarifConfig{Level: "error"}},
}

// validationItem is one problem with what every CI format needs of it.
type validationItem struct {
	rule        string
	problem     finding.Problem
	fingerprint string
}

// validationItems lists every problem of every file, in report order,
// with a fingerprint stable across line moves (file, rule, pointer and
// message; a repeat gets a counter).
func validationItems(v *Validation) []validationItem {
	var out []validationItem
	seen := map[string]int{}
	for _, f := range v.Files {
		rule := ruleInvalid
		if f.Status == StatusUnloadable {
			rule = ruleUnloadable
		}
		for _, p := range f.Problems {
			if p.Location.File == "" {
				p.Location.File = f.Source
			}
			fp := hashParts(p.Location.File, rule, p.Pointer, p.Message)
			seen[fp]++
			if n := seen[fp]; n > 1 {
				fp = hashParts(fp, strconv.Itoa(n))
			}
			out = append(out, validationItem{rule: rule, problem: p, fingerprint: fp})
		}
	}
	return out
}

// ValidationSARIF renders a SARIF 2.1.0 log.
type ValidationSARIF struct{}

// Render writes the log as indented JSON.
func (ValidationSARIF) Render(w io.Writer, v *Validation) error {
	results := []sarifResult{}
	for _, it := range validationItems(v) {
		idx := 0
		if it.rule == ruleUnloadable {
			idx = 1
		}
		results = append(results, sarifResult{
			RuleID: it.rule, RuleIndex: idx, Level: "error",
			Message:             sarifMessage{Text: it.problem.Message},
			Locations:           []sarifLocation{{PhysicalLocation: sarifPhysicalFor(it.problem.Location)}},
			PartialFingerprints: map[string]string{sarifFingerprint: it.fingerprint},
			Properties:          sarifProperties{Pointer: it.problem.Pointer},
		})
	}
	name := v.Tool.Name
	if name == "" {
		name = "relay"
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{ColumnKind: "unicodeCodePoints",
		Tool:    sarifTool{Driver: sarifDriver{Name: name, Version: v.Tool.Version, InformationURI: relayHome, Rules: validationRules}},
		Results: results,
	}}}
	return writeIndentedJSON(w, log)
}

// ValidationGitHub renders GitHub Actions error annotations, at most as
// many as GitHub shows, then a summary line.
type ValidationGitHub struct{}

// Render writes the workflow commands.
func (ValidationGitHub) Render(w io.Writer, v *Validation) error {
	bw := bufio.NewWriter(w)
	items := validationItems(v)
	for i, it := range items {
		if len(items) > githubAnnotationCap && i == githubAnnotationCap-1 {
			fmt.Fprintf(bw, "::error::%s\n", escapeData(fmt.Sprintf("relay: %d more problems not shown as annotations; see the report",
				len(items)-i)))
			break
		}
		githubProblem(bw, it)
	}
	fmt.Fprintf(bw, "relay: %s (exit %d)\n", validationSummaryText(v.Summary), v.Summary.ExitCode)
	return bw.Flush()
}

func githubProblem(w io.Writer, it validationItem) {
	l := it.problem.Location
	var props []string
	if l.File != "" && l.File != "-" {
		props = append(props, "file="+escapeProperty(strings.ReplaceAll(l.File, `\`, "/")))
		if l.Line >= 1 {
			props = append(props, "line="+strconv.Itoa(l.Line))
			if l.Column >= 1 {
				props = append(props, "col="+strconv.Itoa(l.Column))
			}
		}
	}
	props = append(props, "title="+escapeProperty(it.rule))
	fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(it.problem.Message))
}

// ValidationGitLab renders a GitLab Code Quality report; an invalid
// contract blocks the merge request, so every problem is a blocker.
type ValidationGitLab struct{}

// Render writes the JSON array.
func (ValidationGitLab) Render(w io.Writer, v *Validation) error {
	issues := []gitlabIssue{}
	for _, it := range validationItems(v) {
		issues = append(issues, gitlabIssue{
			Description: it.problem.Message, CheckName: it.rule, Fingerprint: it.fingerprint, Severity: "blocker",
			Location: gitlabLocation{
				Path:  strings.TrimPrefix(strings.ReplaceAll(it.problem.Location.File, `\`, "/"), "./"),
				Lines: gitlabLines{Begin: max(it.problem.Location.Line, 1)},
			},
		})
	}
	return writeIndentedJSON(w, issues)
}

// ValidationJUnit renders JUnit XML: one testcase per file, failing when
// the file is not valid.
type ValidationJUnit struct{}

const validationSuiteName = "relay contract validate"

// Render writes the XML document.
func (ValidationJUnit) Render(w io.Writer, v *Validation) error {
	suite := junitSuite{Name: validationSuiteName}
	for _, f := range v.Files {
		tc := junitCase{ClassName: "relay.validate", Name: f.Source}
		if f.Status != StatusValid {
			tc.Failure = junitValidationFailure(f)
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	return writeJUnit(w, suite)
}

func junitValidationFailure(f ValidationResult) *junitFailure {
	var b strings.Builder
	for _, p := range f.Problems {
		fmt.Fprintf(&b, "%s: %s\n", problemLoc(p.Location, f.Source), p.Message)
	}
	msg := plural(len(f.Problems), "problem")
	if f.Status == StatusUnloadable && len(f.Problems) > 0 {
		msg = "could not be loaded: " + f.Problems[0].Message
	}
	return &junitFailure{Message: msg, Type: f.Status, Text: b.String()}
}
