package cli

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// output is one report to write: a format and where it goes.
type output struct {
	Format string
	Path   string // "" is standard output
}

func (o output) String() string {
	if o.Path == "" {
		return o.Format
	}
	return o.Format + "=" + o.Path
}

const defaultFormat = "text"

func formatList() string { return strings.Join(report.Formats(), " ") }

// parseFormatSpec reads F[=PATH]. "F=-" says standard output explicitly.
func parseFormatSpec(s string) (output, error) {
	name, p, hasPath := strings.Cut(s, "=")
	if !slices.Contains(report.Formats(), name) {
		return output{}, usageErrorf("unknown --format %q (want one of: %s)", name, formatList())
	}
	if hasPath && p == "" {
		return output{}, usageErrorf("--format %s= names no file; write %s=PATH, or %s for standard output", name, name, name)
	}
	if p == stdinName {
		p = ""
	}
	return output{Format: name, Path: p}, nil
}

// planOutputs decides where each --format goes. --output takes the one
// format written without =PATH; without --output that format goes to
// stdout. Two reports cannot share stdout (or a file): the result would
// parse as neither.
func planOutputs(specs []string, outputPath string) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{defaultFormat}
	}
	var outs []output
	var pathless []int
	for _, s := range specs {
		o, err := parseFormatSpec(s)
		if err != nil {
			return nil, err
		}
		if o.Path == "" && !strings.HasSuffix(s, "=-") {
			pathless = append(pathless, len(outs))
		}
		outs = append(outs, o)
	}
	if outputPath != "" {
		if len(pathless) != 1 {
			return nil, usageErrorf("--output names one file for the one --format without =PATH, but %d formats have none; write each as --format F=PATH", len(pathless))
		}
		if outputPath != stdinName {
			outs[pathless[0]].Path = outputPath
		}
	}
	return outs, checkDestinations(outs)
}

// checkDestinations rejects two reports aimed at the same place.
func checkDestinations(outs []output) error {
	seen := map[string]output{}
	for _, o := range outs {
		key := o.Path
		if key != "" {
			key = filepath.Clean(key)
		}
		if prev, dup := seen[key]; dup {
			where := "standard output"
			if o.Path != "" {
				where = o.Path
			}
			return usageErrorf("--format %s and --format %s both write to %s; give one of them =PATH", prev, o, where)
		}
		seen[key] = o
	}
	return nil
}

// rendering is what the renderers need besides the report itself.
type rendering struct {
	failOn finding.Level
	sides  []*check.Loaded
	// sources is filled on first use: only the html format shows snippets,
	// and reading the contracts again is wasted work for the others.
	sources map[string][]byte
}

// writeReports writes every --format, then the GitHub Actions job summary.
func (opts *DiffOptions) writeReports(rep *report.Report, failOn finding.Level, sides ...*check.Loaded) error {
	if err := writeOutputs(opts.IO, opts.Outputs, rep, &rendering{failOn: failOn, sides: sides}); err != nil {
		return err
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	appendStepSummary(opts.IO, opts.Outputs, rep, getenv)
	return nil
}

// writeOutputs renders every report before writing any, so a render
// failure leaves no half-updated set of files behind.
func writeOutputs(ios *iostreams.IOStreams, outs []output, rep *report.Report, rc *rendering) error {
	return renderThenWrite(ios, outs, func(o output) (renderer[*report.Report], error) {
		f, err := report.LookupFormat(o.Format)
		if err != nil {
			return nil, err
		}
		return f.New(rc.options(ios, o, f)), nil
	}, rep)
}

// renderer is a report.Renderer or a report.ValidationRenderer.
type renderer[T any] interface {
	Render(w io.Writer, v T) error
}

// renderThenWrite renders every output into memory before writing any,
// so a render failure leaves no half-updated set of files behind. It
// serves the diff's reports and validate's alike.
func renderThenWrite[T any](ios *iostreams.IOStreams, outs []output, lookup func(output) (renderer[T], error), v T) error {
	rendered := make([][]byte, len(outs))
	for i, o := range outs {
		r, err := lookup(o)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := r.Render(&buf, v); err != nil {
			return fmt.Errorf("rendering the %s report: %w", o.Format, err)
		}
		rendered[i] = buf.Bytes()
	}
	for i, o := range outs {
		if err := writeOutput(ios, o, rendered[i]); err != nil {
			return err
		}
	}
	return nil
}

// options fills what the format reads: colour only on stdout, as
// iostreams decided (a terminal, NO_COLOR, --color), and the contracts'
// text only for a format that shows it.
func (rc *rendering) options(ios *iostreams.IOStreams, o output, f report.Format) report.Options {
	opts := report.Options{FailOn: rc.failOn}
	if f.Reads(report.NeedsColor) {
		opts.Color = o.Path == "" && ios.ColorEnabled()
	}
	if f.Reads(report.NeedsSources) {
		if rc.sources == nil {
			rc.sources = sourcesOf(rc.sides)
		}
		opts.Sources = rc.sources
	}
	return opts
}

// sourcesOf collects the text of every file both sides loaded, keyed by the
// display path the report's locations use. The loader keeps no bytes, so
// files are read again through the file system they were loaded from: a
// git base shows that commit's text, not today's file. A file that cannot
// be read again (or was fetched over http) is shown without a snippet.
func sourcesOf(sides []*check.Loaded) map[string][]byte {
	out := map[string][]byte{}
	for _, s := range sides {
		if s == nil || s.Doc == nil {
			continue
		}
		for _, f := range s.Doc.Files {
			p, local := s.Doc.Paths[f]
			switch {
			case f == s.Doc.Main && s.Options.Data != nil:
				out[f.Path] = s.Options.Data
			case local && s.Options.FS != nil:
				if b, err := fs.ReadFile(s.Options.FS, p); err == nil {
					out[f.Path] = b
				}
			}
		}
	}
	return out
}

// stepSummaryEnv names the file GitHub Actions renders as the job summary.
const stepSummaryEnv = "GITHUB_STEP_SUMMARY"

// appendStepSummary adds the markdown report to the job summary when the
// github format is selected inside GitHub Actions: annotations say where,
// the summary says how much. The reports are written by then, so a summary
// that cannot be written is a warning, not a failure that would hide the
// verdict's exit code.
func appendStepSummary(ios *iostreams.IOStreams, outs []output, rep *report.Report, getenv func(string) string) {
	path := getenv(stepSummaryEnv)
	if path == "" || !slices.ContainsFunc(outs, func(o output) bool { return o.Format == "github" }) {
		return
	}
	var buf bytes.Buffer
	err := report.Markdown{}.Render(&buf, rep)
	if err == nil {
		err = appendFile(path, buf.Bytes())
	}
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "relay: warning: cannot append the markdown summary to $%s (%s): %v\n", stepSummaryEnv, path, pathErrCause(err))
	}
}

// appendFile appends: other steps' tools write to the same summary file.
func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func writeOutput(ios *iostreams.IOStreams, o output, data []byte) error {
	if o.Path == "" {
		_, err := ios.Out.Write(data)
		return err
	}
	if err := writeReportFile(o.Path, data); err != nil {
		return fmt.Errorf("cannot write the %s report to %s: %w", o.Format, o.Path, pathErrCause(err))
	}
	return nil
}
