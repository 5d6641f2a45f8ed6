// Package report holds the diff report — the JSON shape of record in
// contracts/report.schema.json — and one renderer per output format.
// Renderers are pure: they write to the io.Writer they are given and do no
// other I/O, so every format is golden-tested from the same Report value.
package report

import (
	"fmt"
	"io"
	"sort"
)

// SchemaVersion identifies the JSON report format.
const SchemaVersion = "relay.contract.diff/v1"

// Level is one of exactly four strings in every report.
type Level string

// The levels, most severe first.
const (
	Breaking    Level = "breaking"
	Warning     Level = "warning"
	NonBreaking Level = "non-breaking"
	Info        Level = "info"
)

// Levels lists every level, most severe first.
var Levels = []Level{Breaking, Warning, NonBreaking, Info}

// Rank orders levels: breaking is 3, info 0, unknown -1.
func (l Level) Rank() int {
	switch l {
	case Breaking:
		return 3
	case Warning:
		return 2
	case NonBreaking:
		return 1
	case Info:
		return 0
	}
	return -1
}

// ParseLevel accepts the four level names.
func ParseLevel(s string) (Level, error) {
	l := Level(s)
	if l.Rank() < 0 {
		return "", fmt.Errorf("unknown level %q (want breaking, warning, non-breaking or info)", s)
	}
	return l, nil
}

// Location is a 1-based file position.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Change is one classified difference between base and revision.
type Change struct {
	ID        string    `json:"id"`
	Level     Level     `json:"level"`
	Operation string    `json:"operation,omitempty"`
	Pointer   string    `json:"pointer"`
	Message   string    `json:"message"`
	Base      *Location `json:"base,omitempty"`
	Revision  Location  `json:"revision"`
	Affects   []string  `json:"affects,omitempty"`
}

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
}

// StaleIgnore is an ignore entry of .relay.yaml that matched nothing.
type StaleIgnore struct {
	Rule      string `json:"rule"`
	Operation string `json:"operation,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Reason    string `json:"reason"`
}

// Report is the whole result of one diff.
type Report struct {
	SchemaVersion string        `json:"schemaVersion"`
	Tool          Tool          `json:"tool"`
	Function      string        `json:"function,omitempty"`
	Base          Side          `json:"base"`
	Revision      Side          `json:"revision"`
	Summary       Summary       `json:"summary"`
	Changes       []Change      `json:"changes"`
	StaleIgnores  []StaleIgnore `json:"staleIgnores,omitempty"`
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
func New(tool Tool, base, revision Side, changes []Change, failOn Level) *Report {
	sorted := append([]Change(nil), changes...)
	SortChanges(sorted)
	r := &Report{SchemaVersion: SchemaVersion, Tool: tool, Base: base, Revision: revision, Changes: sorted}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	top := Level("")
	for _, c := range sorted {
		switch c.Level {
		case Breaking:
			r.Summary.Breaking++
		case Warning:
			r.Summary.Warning++
		case NonBreaking:
			r.Summary.NonBreaking++
		case Info:
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
func ExitCode(top, failOn Level) int {
	switch {
	case top == Breaking, top == Warning && failOn == Warning:
		return ExitBreaking
	case top == Warning, top == NonBreaking:
		return ExitNonBreaking
	}
	return ExitOK
}

// SortChanges orders changes deterministically: level, operation, pointer, ID, message.
func SortChanges(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Level != b.Level {
			return a.Level.Rank() > b.Level.Rank()
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Message < b.Message
	})
}

// Renderer writes a report in one format.
type Renderer interface {
	Render(w io.Writer, r *Report) error
}
