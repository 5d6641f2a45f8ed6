package cli

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// reportExt is each format's file name suffix under --all, from report's
// format table (no two formats share one).
var reportExt = report.Extensions()

// diffLong is diff's help with the extensions filled in.
var diffLong = withExtensions(diffLongText)

// extensionsMarker stands for the list of extensions in a help text.
const extensionsMarker = "{{extensions}}"

// helpWidth is the widest line of the help texts.
const helpWidth = 78

// withExtensions fills the marker's line of a help text with the format
// table's extensions, re-wrapping only that line.
func withExtensions(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l, extensionsMarker) {
			lines[i] = wrap(strings.Replace(l, extensionsMarker, extensionList(), 1), helpWidth)
		}
	}
	return strings.Join(lines, "\n")
}

// extensionList reads ".json, .txt (text), ..., .yaml": each format's
// name follows its extension when the extension does not contain it.
func extensionList() string {
	names := report.Formats()
	items := make([]string, len(names))
	for i, name := range names {
		items[i] = reportExt[name]
		if !strings.Contains(items[i], name) {
			items[i] += " (" + name + ")"
		}
	}
	last := len(items) - 1
	return strings.Join(items[:last], ", ") + " or " + items[last]
}

// wrap breaks a line at spaces so that no piece is wider than width
// (a single longer word stays whole).
func wrap(line string, width int) string {
	var b strings.Builder
	col := 0
	for i, word := range strings.Split(line, " ") {
		switch {
		case i == 0:
		case col+1+len(word) > width:
			b.WriteByte('\n')
			col = 0
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += len(word)
	}
	return b.String()
}

// summaryName is the combined summary written beside --format json=DIR.
const summaryName = "summary"

// planAllOutputs reads --all's --format F=DIR. Without =DIR only text is
// accepted: it is the summary on stdout, which is printed anyway.
func planAllOutputs(specs []string) ([]output, error) {
	var outs []output
	for _, s := range specs {
		o, err := parseFormatSpec(s)
		if err != nil {
			return nil, err
		}
		if o.Path == "" {
			// Text reports concatenate: each contract's goes to stdout,
			// before the summary. Other formats would not parse.
			if o.Format == defaultFormat {
				if !slices.Contains(outs, o) {
					outs = append(outs, o)
				}
				continue
			}
			return nil, usageErrorf("with --all, --format %s needs =DIR: one report per contract is written there", o.Format)
		}
		// Formats share a directory (their extensions differ); the same
		// format twice into one directory would overwrite itself.
		for _, prev := range outs {
			if prev.Format == o.Format && filepath.Clean(prev.Path) == filepath.Clean(o.Path) {
				return nil, usageErrorf("--format %s is given twice for %s", o.Format, o.Path)
			}
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// entryOutputs points each directory output at this entry's file; the
// text report without a directory stays on (the entry's) stdout.
func entryOutputs(dirs []output, slug string) []output {
	outs := make([]output, len(dirs))
	for i, d := range dirs {
		outs[i] = d
		if d.Path != "" {
			outs[i].Path = filepath.Join(d.Path, slug+reportExt[d.Format])
		}
	}
	return outs
}

var slugUnsafe = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// entrySlugs names each entry's report files: the function, else the path
// without its extension, made file-name safe. Slugs are unique (a repeat
// gets -2, -3, …) and never "summary", which the combined summary uses.
func entrySlugs(cts []*config.Contract) []string {
	taken := map[string]bool{summaryName: true}
	out := make([]string, len(cts))
	for i, ct := range cts {
		base := ct.Function
		if base == "" {
			base = strings.TrimSuffix(ct.Path, path.Ext(ct.Path))
		}
		base = strings.Trim(slugUnsafe.ReplaceAllString(base, "-"), "-.")
		if base == "" {
			base = "contract"
		}
		slug := base
		for n := 2; taken[slug]; n++ {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		taken[slug] = true
		out[i] = slug
	}
	return out
}

// entrySummary is one line of the summary; summary.json carries the same.
type entrySummary struct {
	Function string            `json:"function,omitempty"`
	Path     string            `json:"path"`
	Base     string            `json:"base"`
	Verdict  string            `json:"verdict"` // a report verdict, "unchanged" or "error"
	ExitCode int               `json:"exitCode"`
	Summary  *report.Summary   `json:"summary,omitempty"`
	Reports  map[string]string `json:"reports,omitempty"`
	Error    string            `json:"error,omitempty"`
}

type allSummary struct {
	SchemaVersion string         `json:"schemaVersion"`
	ExitCode      int            `json:"exitCode"`
	Contracts     []entrySummary `json:"contracts"`
}

func summarize(r *entryResult) entrySummary {
	s := entrySummary{Function: r.ct.Function, Path: r.ct.Path, Base: r.base.Raw}
	switch {
	case r.err != nil:
		s.Verdict, s.ExitCode, s.Error = "error", exitInput, oneLine(r.err.Error())
	case r.unchanged:
		s.Verdict = "unchanged"
	default:
		sum := r.rep.Summary
		s.Verdict, s.ExitCode, s.Summary = sum.Verdict, sum.ExitCode, &sum
		s.Reports = map[string]string{}
		for _, o := range r.reports {
			if o.Path != "" {
				s.Reports[o.Format] = filepath.ToSlash(o.Path)
			}
		}
	}
	return s
}

// writeSummary prints one line per contract to stdout and, with --format
// json=DIR, writes DIR/summary.json.
func writeSummary(ios *iostreams.IOStreams, outs []output, results []*entryResult) error {
	all := allSummary{SchemaVersion: "relay.contract.diff-all/v1"}
	tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
	for _, r := range results {
		s := summarize(r)
		all.Contracts = append(all.Contracts, s)
		all.ExitCode = worseExit(all.ExitCode, s.ExitCode)
		// The names come from .relay.yaml, which a pull request edits, and
		// the summary is printed in the CI job log.
		line := safe(entryName(s)) + "\t" + s.Verdict
		if c := counts(s); c != "" {
			line += "\t" + safe(c)
		}
		fmt.Fprintln(tw, line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, o := range outs {
		if o.Format != "json" {
			continue
		}
		data, err := json.MarshalIndent(all, "", "  ")
		if err != nil {
			return err
		}
		p := filepath.Join(o.Path, summaryName+".json")
		if err := writeOutput(ios, output{Format: "json summary", Path: p}, append(data, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// worseExit ranks 1 (could not compare) above every verdict.
func worseExit(a, b int) int {
	if a == exitInput || b == exitInput {
		return exitInput
	}
	return max(a, b)
}

func entryName(s entrySummary) string {
	if s.Function != "" {
		return s.Function + " (" + s.Path + ")"
	}
	return s.Path
}

func counts(s entrySummary) string {
	switch {
	case s.Summary != nil:
		c := fmt.Sprintf("%d breaking, %d warning, %d non-breaking, %d info",
			s.Summary.Breaking, s.Summary.Warning, s.Summary.NonBreaking, s.Summary.Info)
		if n := s.Summary.Suppressed; n > 0 {
			c += fmt.Sprintf(", %d suppressed", n)
		}
		return c
	case s.Error != "":
		return "see the message above"
	}
	return ""
}
