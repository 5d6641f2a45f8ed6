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

var formats = []string{"json", "text", "markdown", "html", "sarif", "junit", "github", "gitlab", "yaml"}

// Formats lists every format name the command surface accepts.
func Formats() []string { return append([]string(nil), formats...) }

// Lookup returns the renderer for a format name.
func Lookup(name string, opts Options) (Renderer, error) {
	switch name {
	case "json":
		return JSON{}, nil
	case "yaml":
		return YAML{}, nil
	case "text":
		return Text{Color: opts.Color}, nil
	case "markdown":
		return Markdown{LinkBase: opts.LinkBase}, nil
	case "html":
		return HTML{Sources: opts.Sources}, nil
	case "sarif":
		rs := opts.Rules
		if rs == nil {
			rs = rules.All()
		}
		return SARIF{Rules: rs}, nil
	case "junit":
		return JUnit{FailOn: opts.FailOn}, nil
	case "github":
		return GitHub{}, nil
	case "gitlab":
		return GitLab{}, nil
	}
	return nil, fmt.Errorf("unknown format %q (want one of: %s)", name, strings.Join(formats, ", "))
}
