// Package report holds the diff report — the JSON shape of record in
// contracts/report.schema.json — and one renderer per output format.
// Renderers are pure: they write to the io.Writer they are given and do no
// other I/O, so every format is golden-tested from the same Report value.
package report

import (
	"io"

	"github.com/relay-dev/relay/internal/finding"
)

// SchemaVersion identifies the JSON report format.
const SchemaVersion = "relay.contract.diff/v1"

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Side describes one of the two compared contracts.
type Side struct {
	Source  string `json:"source"`
	Version string `json:"version,omitempty"`
	SHA256  string `json:"sha256"`
}

// Summary counts changes per level and records the verdict and exit code.
type Summary struct {
	Breaking    int    `json:"breaking"`
	Warning     int    `json:"warning"`
	NonBreaking int    `json:"non-breaking"`
	Info        int    `json:"info"`
	ExitCode    int    `json:"exitCode"`
	Verdict     string `json:"verdict"`
	// Suppressed counts the changes that .relay.yaml's ignores (or its
	// baseline) dropped; they are not in the counts above.
	Suppressed int `json:"suppressed,omitempty"`
}

// StaleIgnore is an ignore entry of .relay.yaml that matched nothing.
type StaleIgnore struct {
	Rule      string `json:"rule"`
	Operation string `json:"operation,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Reason    string `json:"reason"`
}

// Suppressed is an ignore entry that dropped changes from the report: the
// entry (rule, operation, pointer, reason, until) and how many it matched.
type Suppressed struct {
	Rule      string `json:"rule"`
	Operation string `json:"operation,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Reason    string `json:"reason"`
	// Until is the entry's expiry date (YYYY-MM-DD), if it has one.
	Until string `json:"until,omitempty"`
	Count int    `json:"count"`
}

// Report is the whole result of one diff.
type Report struct {
	SchemaVersion string           `json:"schemaVersion"`
	Tool          Tool             `json:"tool"`
	Function      string           `json:"function,omitempty"`
	Base          Side             `json:"base"`
	Revision      Side             `json:"revision"`
	Summary       Summary          `json:"summary"`
	Changes       []finding.Change `json:"changes"`
	StaleIgnores  []StaleIgnore    `json:"staleIgnores,omitempty"`
	// Suppressed lists the ignore entries that dropped changes; the number
	// of changes dropped is Summary.Suppressed.
	Suppressed []Suppressed `json:"suppressed,omitempty"`
	// Validation is what the validator found wrong with either side; nil
	// when both are valid or validation was off.
	Validation *Problems `json:"validation,omitempty"`
}

// Problems lists the specification problems of each side. The base's are
// warnings (it is published already); the revision's appear only with
// --validate warn, since by default an invalid revision is not compared.
type Problems struct {
	Base     []finding.Problem `json:"base,omitempty"`
	Revision []finding.Problem `json:"revision,omitempty"`
}

// Exit codes of `relay contract diff` (DESIGN.md).
const (
	ExitOK          = 0
	ExitNonBreaking = 10
	ExitBreaking    = 20
)

// New assembles a report: it sorts the changes (most severe first, then by
// operation, pointer and rule ID), counts them, and derives the verdict and
// exit code. failOn is Breaking or Warning.
func New(tool Tool, base, revision Side, changes []finding.Change, failOn finding.Level) *Report {
	sorted := append([]finding.Change(nil), changes...)
	finding.Sort(sorted)
	r := &Report{SchemaVersion: SchemaVersion, Tool: tool, Base: base, Revision: revision, Changes: sorted}
	if r.Changes == nil {
		r.Changes = []finding.Change{}
	}
	top := finding.Level("")
	for _, c := range sorted {
		switch c.Level {
		case finding.Breaking:
			r.Summary.Breaking++
		case finding.Warning:
			r.Summary.Warning++
		case finding.NonBreaking:
			r.Summary.NonBreaking++
		case finding.Info:
			r.Summary.Info++
		}
		if c.Level.Rank() > top.Rank() {
			top = c.Level
		}
	}
	r.Summary.Verdict = string(top)
	if top == "" {
		r.Summary.Verdict = "none"
	}
	r.Summary.ExitCode = ExitCode(top, failOn)
	return r
}

// ExitCode maps the most severe level found to the process exit code.
func ExitCode(top, failOn finding.Level) int {
	switch {
	case top == finding.Breaking, top == finding.Warning && failOn == finding.Warning:
		return ExitBreaking
	case top == finding.Warning, top == finding.NonBreaking:
		return ExitNonBreaking
	}
	return ExitOK
}

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}
