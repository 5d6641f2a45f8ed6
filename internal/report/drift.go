package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
)

// DriftSchemaVersion names the shape of relay drift check's JSON report.
const DriftSchemaVersion = "relay.drift.check/v1"

// Exit codes of relay drift check.
const (
	ExitNoDrift = 0
	ExitDrift   = 20
)

// Drift is relay drift check's report: the contract traffic was judged
// against, what was read, and every drift grouped by fingerprint.
type Drift struct {
	SchemaVersion string   `json:"schemaVersion"`
	Tool          Tool     `json:"tool"`
	Function      string   `json:"function,omitempty"`
	Version       string   `json:"version,omitempty"`
	Contract      string   `json:"contract"`
	Samples       []string `json:"samples"`
	// ShowValues says observed values are shown (--show-values).
	ShowValues bool          `json:"showValues"`
	Summary    DriftSummary  `json:"summary"`
	Drifts     []event.Event `json:"drifts"`
}

// DriftSummary counts what was read and found.
type DriftSummary struct {
	Exchanges int64 `json:"exchanges"`
	// Drifts is the number of distinct drifts (fingerprints); Occurrences
	// the number of times they were seen.
	Drifts      int   `json:"drifts"`
	Occurrences int64 `json:"occurrences"`
	// Truncated counts exchanges with a body over the capture cap, checked
	// for framing and type only.
	Truncated      int64  `json:"truncated"`
	InternalErrors int64  `json:"internalErrors"`
	ExitCode       int    `json:"exitCode"`
	Verdict        string `json:"verdict"` // "drift" or "none"
}

// NewDrift builds the report and its summary.
func NewDrift(d Drift) *Drift {
	d.SchemaVersion = DriftSchemaVersion
	if d.Drifts == nil {
		d.Drifts = []event.Event{}
	}
	d.Summary.Drifts = len(d.Drifts)
	d.Summary.Occurrences = 0
	for _, e := range d.Drifts {
		d.Summary.Occurrences += e.Count
	}
	d.Summary.ExitCode, d.Summary.Verdict = ExitNoDrift, "none"
	if len(d.Drifts) > 0 {
		d.Summary.ExitCode, d.Summary.Verdict = ExitDrift, "drift"
	}
	return &d
}

// DriftRenderer writes a drift report in one format.
type DriftRenderer interface {
	Render(w io.Writer, d *Drift) error
}

// driftFormats is the one list of the formats relay drift check writes;
// each shares its name with the diff format of the same syntax.
var driftFormats = []struct {
	name string
	r    DriftRenderer
}{
	{"text", DriftText{}},
	{"json", DriftJSON{}},
	{"markdown", DriftMarkdown{}},
	{"github", DriftGitHub{}},
}

// DriftFormats lists the formats relay drift check writes.
func DriftFormats() []string {
	out := make([]string, len(driftFormats))
	for i, f := range driftFormats {
		out[i] = f.name
	}
	return out
}

// LookupDrift returns the renderer for a drift format.
func LookupDrift(name string) (DriftRenderer, error) {
	for _, f := range driftFormats {
		if f.name == name {
			return f.r, nil
		}
	}
	return nil, fmt.Errorf("unknown drift format %q (want one of: %s)", name, strings.Join(DriftFormats(), ", "))
}

// DriftJSON renders the report of record.
type DriftJSON struct{}

// Render writes indented JSON with a trailing newline.
func (DriftJSON) Render(w io.Writer, d *Drift) error {
	return writeIndentedJSON(w, d)
}

// DriftText renders each drift as a block headed by its location, then a
// one-line summary.
type DriftText struct{}

// Render writes the blocks.
func (DriftText) Render(w io.Writer, d *Drift) error {
	bw := bufio.NewWriter(w)
	for _, e := range d.Drifts {
		fmt.Fprintf(bw, "%s: %s %s\n", driftLoc(e), e.Rule, oneLine(driftSubject(e)))
		fmt.Fprintf(bw, "  %s\n", oneLine(e.Message))
		if e.InstancePath != "" || e.SchemaPointer != "" {
			fmt.Fprintf(bw, "  at %s, schema %s\n", orDash(oneLine(e.InstancePath)), orDash(oneLine(e.SchemaPointer)))
		}
		if e.Observed != "" {
			fmt.Fprintf(bw, "  observed: %s\n", oneLine(e.Observed))
		}
		fmt.Fprintf(bw, "  seen %s, %s\n", times(e.Count), seenSpan(e))
		if e.Fix != "" {
			fmt.Fprintf(bw, "  fix: %s\n", oneLine(e.Fix))
		}
	}
	fmt.Fprintln(bw, driftSummaryText(d.Summary))
	return bw.Flush()
}

// driftSubject is the operation, direction, status and media type.
func driftSubject(e event.Event) string {
	parts := []string{e.Operation, e.Direction}
	if e.Status != 0 {
		parts = append(parts, strconv.Itoa(e.Status))
	}
	if e.MediaType != "" {
		parts = append(parts, e.MediaType)
	}
	return strings.Join(parts, " ")
}

func driftLoc(e event.Event) string {
	if e.Location == nil {
		if e.Contract != "" {
			return SafeText(e.Contract)
		}
		return SafeText(e.Function)
	}
	return problemLoc(*e.Location, "")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func times(n int64) string {
	if n == 1 {
		return "once"
	}
	return strconv.FormatInt(n, 10) + " times"
}

func seenSpan(e event.Event) string {
	first, last := e.FirstSeen.UTC().Format(time.RFC3339), e.LastSeen.UTC().Format(time.RFC3339)
	if first == last {
		return "at " + first
	}
	return "first " + first + ", last " + last
}

// driftSummaryText is the last line of the text report.
func driftSummaryText(s DriftSummary) string {
	line := fmt.Sprintf("%s checked: ", plural(int(s.Exchanges), "exchange"))
	if s.Drifts == 0 {
		line += "no drift"
	} else {
		line += fmt.Sprintf("%s (%s)", plural(s.Drifts, "drift"), plural(int(s.Occurrences), "occurrence"))
	}
	if s.Truncated > 0 {
		line += fmt.Sprintf("; %d truncated (checked for framing and type only)", s.Truncated)
	}
	return line
}

// DriftMarkdown renders a table for pull requests and job summaries.
type DriftMarkdown struct{}

// Render writes the table.
func (DriftMarkdown) Render(w io.Writer, d *Drift) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "## Runtime drift: %s\n\n%s\n", mdCell(d.Contract), driftSummaryText(d.Summary))
	if len(d.Drifts) > 0 {
		fmt.Fprintln(bw, "\n| Rule | Operation | At | Schema | Observed | Seen | Fix |")
		fmt.Fprintln(bw, "|---|---|---|---|---|---|---|")
		for _, e := range d.Drifts {
			fmt.Fprintf(bw, "| `%s` | %s | %s | %s | %s | %s | %s |\n", e.Rule, mdCell(driftSubject(e)),
				mdCell(orDash(e.InstancePath)), mdCell(driftLoc(e)), mdCell(e.Observed), times(e.Count), mdCell(e.Fix))
		}
	}
	return bw.Flush()
}

// mdCell keeps a value inside its table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(oneLine(s), "|", `\|`)
}

// DriftGitHub renders one warning annotation per drift, at the schema
// the traffic disagreed with.
type DriftGitHub struct{}

// Render writes the workflow commands.
func (DriftGitHub) Render(w io.Writer, d *Drift) error {
	bw := bufio.NewWriter(w)
	for _, e := range d.Drifts {
		var props []string
		if l := e.Location; l != nil && l.File != "" {
			props = append(props, "file="+escapeProperty(strings.ReplaceAll(l.File, `\`, "/")))
			if l.Line >= 1 {
				props = append(props, "line="+strconv.Itoa(l.Line))
			}
		}
		props = append(props, "title="+escapeProperty(e.Rule))
		msg := fmt.Sprintf("%s: %s (seen %s)", driftSubject(e), e.Message, times(e.Count))
		fmt.Fprintf(bw, "::warning %s::%s\n", strings.Join(props, ","), escapeData(msg))
	}
	return bw.Flush()
}
