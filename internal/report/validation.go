package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// ValidationSchemaVersion identifies the JSON validation report
// (contracts/validate.schema.json).
const ValidationSchemaVersion = "relay.contract.validate/v1"

// File statuses of a validation.
const (
	StatusValid      = "valid"
	StatusInvalid    = "invalid"
	StatusUnloadable = "unloadable"
)

// Validation is the result of `relay contract validate`: one entry per
// file, in the order given.
type Validation struct {
	SchemaVersion string             `json:"schemaVersion"`
	Tool          Tool               `json:"tool"`
	Summary       ValidationSummary  `json:"summary"`
	Files         []ValidationResult `json:"files"`
}

// ValidationSummary counts files by status, and the problems of the files
// that loaded.
type ValidationSummary struct {
	Files      int `json:"files"`
	Valid      int `json:"valid"`
	Invalid    int `json:"invalid"`
	Unloadable int `json:"unloadable"`
	Problems   int `json:"problems"`
	ExitCode   int `json:"exitCode"`
}

// ValidationResult is one file's verdict. A file that could not be loaded
// carries the loader's error as its one problem.
type ValidationResult struct {
	Source      string            `json:"source"`
	Kind        string            `json:"kind,omitempty"`
	SpecVersion string            `json:"specVersion,omitempty"`
	SHA256      string            `json:"sha256,omitempty"`
	Status      string            `json:"status"`
	Problems    []finding.Problem `json:"problems"`
}

// Exit codes of `relay contract validate`.
const (
	ExitValid   = 0
	ExitInvalid = 1
)

// NewValidation assembles the report: it sorts each file's problems,
// counts, and derives the exit code (1 when any file is not valid).
func NewValidation(tool Tool, files []ValidationResult) *Validation {
	v := &Validation{SchemaVersion: ValidationSchemaVersion, Tool: tool, Files: make([]ValidationResult, len(files))}
	for i, f := range files {
		f.Problems = sortedProblems(f.Problems)
		switch {
		case f.Status == StatusUnloadable:
			v.Summary.Unloadable++
		case len(f.Problems) > 0:
			f.Status = StatusInvalid
			v.Summary.Invalid++
			v.Summary.Problems += len(f.Problems)
		default:
			f.Status = StatusValid
			v.Summary.Valid++
		}
		v.Files[i] = f
	}
	v.Summary.Files = len(files)
	if v.Summary.Valid < v.Summary.Files {
		v.Summary.ExitCode = ExitInvalid
	}
	return v
}

func sortedProblems(ps []finding.Problem) []finding.Problem {
	out := append([]finding.Problem{}, ps...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Location, out[j].Location
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

// ValidationRenderer writes a validation report in one format.
type ValidationRenderer interface {
	Render(w io.Writer, v *Validation) error
}

// validationFormats is the one list of the formats `relay contract
// validate` writes: their names and renderers, in this order. Each shares
// its name with the diff format of the same syntax.
var validationFormats = []struct {
	name string
	r    ValidationRenderer
}{
	{"text", ValidationText{}},
	{"json", ValidationJSON{}},
	{"sarif", ValidationSARIF{}},
	{"github", ValidationGitHub{}},
	{"gitlab", ValidationGitLab{}},
	{"junit", ValidationJUnit{}},
}

// ValidationFormats lists the formats `relay contract validate` writes.
func ValidationFormats() []string {
	out := make([]string, len(validationFormats))
	for i, f := range validationFormats {
		out[i] = f.name
	}
	return out
}

// LookupValidation returns the renderer for a validation format.
func LookupValidation(name string) (ValidationRenderer, error) {
	for _, f := range validationFormats {
		if f.name == name {
			return f.r, nil
		}
	}
	return nil, fmt.Errorf("unknown validation format %q (want one of: %s)", name, strings.Join(ValidationFormats(), ", "))
}

// ValidationJSON renders the report of record.
type ValidationJSON struct{}

// Render writes indented JSON with a trailing newline.
func (ValidationJSON) Render(w io.Writer, v *Validation) error {
	return writeIndentedJSON(w, v)
}

// ValidationText renders one line per problem, file:line:col: message (the
// form editors and compilers use), then a one-line summary.
type ValidationText struct{}

// Render writes the lines.
func (ValidationText) Render(w io.Writer, v *Validation) error {
	bw := bufio.NewWriter(w)
	for _, f := range v.Files {
		for _, p := range f.Problems {
			fmt.Fprintf(bw, "%s: %s\n", problemLoc(p.Location, f.Source), oneLine(p.Message))
		}
	}
	fmt.Fprintln(bw, validationSummaryText(v.Summary))
	return bw.Flush()
}

// oneLine keeps a message on its line: a line per problem is what
// editors and grep read. Line breaks become spaces; the rest of what a
// terminal or CI log would act on is escaped by SafeText, as messages
// quote the contract.
func oneLine(s string) string {
	return SafeText(strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s))
}

// ProblemLine is one problem as editors and compilers write it:
// file:line:col: message, on one line.
func ProblemLine(p finding.Problem) string {
	return problemLoc(p.Location, "") + ": " + oneLine(p.Message)
}

// problemLoc is file:line:col, or the file alone when there is no line.
func problemLoc(l finding.Location, source string) string {
	file := l.File
	if file == "" {
		file = source
	}
	file = SafeText(file)
	if l.Line < 1 {
		return file
	}
	return fmt.Sprintf("%s:%d:%d", file, l.Line, max(l.Column, 1))
}

// validationSummaryText is the last line of the text report, e.g.
// "2 files checked: 1 valid, 1 invalid (3 problems)".
func validationSummaryText(s ValidationSummary) string {
	if s.Files == 1 && s.Valid == 1 {
		return "1 file checked: valid"
	}
	parts := []string{fmt.Sprintf("%d valid", s.Valid)}
	if s.Invalid > 0 {
		parts = append(parts, fmt.Sprintf("%d invalid (%s)", s.Invalid, plural(s.Problems, "problem")))
	}
	if s.Unloadable > 0 {
		parts = append(parts, fmt.Sprintf("%d could not be loaded", s.Unloadable))
	}
	return fmt.Sprintf("%s checked: %s", plural(s.Files, "file"), strings.Join(parts, ", "))
}
