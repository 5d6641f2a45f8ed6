package report

import (
	"fmt"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/rules"
)

// Options are the renderer settings decided by the CLI. Each field is read
// by the formats named in its comment and ignored by the rest, so one value
// can be handed to every renderer.
type Options struct {
	// Color enables ANSI colour in the text format (only ever on a TTY).
	Color bool
	// LinkBase, when set, is a URL prefix that markdown turns locations
	// into links with: LinkBase + file + "#L" + line.
	LinkBase string
	// Sources holds the contracts' text keyed by Location.File; the html
	// format shows a few lines around each location it finds here.
	Sources map[string][]byte
	// Rules is the rule list SARIF gives as tool.driver.rules; nil means
	// the whole catalog (tests pass a small one).
	Rules []*rules.Rule
	// FailOn is the lowest level that fails a JUnit testcase; the zero value
	// means Breaking, like `--fail-on`.
	FailOn finding.Level
}

// formats is the one list of report formats: --format's names and help,
// Lookup, and the files --all writes all come from it, in this order.
// Adding a format takes a renderer in a file of its own, golden-tested in
// report_test.go, and an entry here (TestFormatTable checks it).
//
// Formats that share a syntax get an extension with a distinguishing infix
// so one --all directory can hold them all (json and gitlab are both JSON;
// text and github are both text).
var formats = []Format{
	{Name: "json", Ext: ".json", New: func(Options) Renderer { return JSON{} }},
	{Name: "text", Ext: ".txt", Needs: NeedsColor, New: func(o Options) Renderer { return Text{Color: o.Color} }},
	{Name: "markdown", Ext: ".md", New: func(o Options) Renderer { return Markdown{LinkBase: o.LinkBase} }},
	{Name: "html", Ext: ".html", Needs: NeedsSources, New: func(o Options) Renderer { return HTML{Sources: o.Sources} }},
	{Name: "sarif", Ext: ".sarif", New: newSARIF},
	{Name: "junit", Ext: ".junit.xml", New: func(o Options) Renderer { return JUnit{FailOn: o.FailOn} }},
	{Name: "github", Ext: ".github.txt", New: func(Options) Renderer { return GitHub{} }},
	{Name: "gitlab", Ext: ".gitlab.json", New: func(Options) Renderer { return GitLab{} }},
	{Name: "yaml", Ext: ".yaml", New: func(Options) Renderer { return YAML{} }},
}

// Format is one report format.
type Format struct {
	// Name is the format's name on the command line (--format NAME).
	Name string
	// Ext ends the name of each file --all writes in the format; no two
	// formats share one.
	Ext string
	// Needs lists the inputs the caller fills only for formats that read
	// them (Format.Reads).
	Needs Input
	// New builds the renderer from the options it reads.
	New func(Options) Renderer
}

// Input is an Options field that is not free to fill for every format.
type Input uint8

// The inputs.
const (
	// NeedsColor: Options.Color, which changes the bytes written; only a
	// format meant for a terminal may read it.
	NeedsColor Input = 1 << iota
	// NeedsSources: Options.Sources, the contracts' text, which the caller
	// reads again from where the contracts were loaded.
	NeedsSources
)

// Reads reports whether the format reads in.
func (f Format) Reads(in Input) bool { return f.Needs&in != 0 }

func newSARIF(o Options) Renderer {
	rs := o.Rules
	if rs == nil {
		rs = rules.All()
	}
	return SARIF{Rules: rs}
}

// Formats lists every format name the command surface accepts.
func Formats() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// Extensions maps each format name to its Ext.
func Extensions() map[string]string {
	out := make(map[string]string, len(formats))
	for _, f := range formats {
		out[f.Name] = f.Ext
	}
	return out
}

// LookupFormat returns the format of a name.
func LookupFormat(name string) (Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(Formats(), ", "))
}

// Lookup returns the renderer for a format name.
func Lookup(name string, opts Options) (Renderer, error) {
	f, err := LookupFormat(name)
	if err != nil {
		return nil, err
	}
	return f.New(opts), nil
}
