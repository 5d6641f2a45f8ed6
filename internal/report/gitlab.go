package report

import (
	"io"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// GitLab renders a GitLab Code Quality report (contracts/gitlab-codequality.schema.json
// holds the fields GitLab reads): a JSON array with one issue per change,
// shown in the merge request widget and diff.
type GitLab struct{}

// gitlabSeverity maps levels onto Code Quality severities (info, minor,
// major, critical, blocker). GitLab has no "non-breaking": additive changes
// are worth seeing in the widget but are not problems, hence info.
var gitlabSeverity = map[finding.Level]string{finding.Breaking: "critical", finding.Warning: "major", finding.NonBreaking: "info", finding.Info: "info"}

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// Render writes the array; GitLab drops issues whose fingerprint repeats,
// so fingerprints are unique within the report.
func (GitLab) Render(w io.Writer, r *Report) error {
	fps := fingerprints(r.Changes)
	issues := make([]gitlabIssue, 0, len(r.Changes))
	for i, c := range r.Changes {
		issues = append(issues, gitlabIssueFor(c, fps[i]))
	}
	issues = append(issues, gitlabSuppressed(r)...)
	return writeIndentedJSON(w, issues)
}

// gitlabSuppressed makes each ignore entry that dropped findings an info
// issue at the top of the revision, so the widget does not look clean
// only because findings were ignored.
func gitlabSuppressed(r *Report) []gitlabIssue {
	lines := suppressedLines(r)
	out := make([]gitlabIssue, 0, len(lines))
	for i, l := range lines {
		s := r.Suppressed[i]
		out = append(out, gitlabIssue{
			Description: "suppressed: " + l, CheckName: s.Rule, Severity: "info",
			Fingerprint: hashParts("suppressed", r.Revision.Source, s.Rule, s.Operation, s.Pointer, s.Reason),
			Location:    gitlabLocation{Path: gitlabPath(r.Revision.Source), Lines: gitlabLines{Begin: 1}},
		})
	}
	return out
}

// gitlabPath is a path as GitLab matches it against the repository tree:
// forward slashes, no leading "./".
func gitlabPath(p string) string {
	return strings.TrimPrefix(strings.ReplaceAll(p, `\`, "/"), "./")
}

func gitlabIssueFor(c finding.Change, fingerprint string) gitlabIssue {
	desc := c.Message
	if c.Operation != "" {
		desc = c.Operation + ": " + desc
	}
	sev, ok := gitlabSeverity[c.Level]
	if !ok {
		sev = "minor"
	}
	return gitlabIssue{
		Description: desc, CheckName: c.ID, Fingerprint: fingerprint, Severity: sev,
		Location: gitlabLocation{
			Path:  gitlabPath(c.Revision.File),
			Lines: gitlabLines{Begin: max(c.Revision.Line, 1)},
		},
	}
}
