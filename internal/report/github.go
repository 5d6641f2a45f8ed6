package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// GitHub renders GitHub Actions workflow commands: one annotation per
// change, most severe first, pinned to the revision location.
type GitHub struct{}

// githubAnnotationCap is how many annotations of each kind (error, warning,
// notice) GitHub shows per step; it drops the rest without a word.
const githubAnnotationCap = 10

// githubKind maps levels onto the three annotation commands.
var githubKind = map[finding.Level]string{finding.Breaking: "error", finding.Warning: "warning", finding.NonBreaking: "notice", finding.Info: "notice"}

var githubKinds = []string{"error", "warning", "notice"}

// githubCut counts, per command kind, the changes not shown and how many of
// them are at each level.
type githubCut struct {
	hidden  int
	byLevel map[finding.Level]int
}

// Render writes the commands. A kind with more changes than GitHub will
// show gets cap-1 annotations and, in the last visible slot, one
// annotation saying how many were left out: an extra line after the cap
// would itself be dropped.
func (GitHub) Render(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	total := map[string]int{}
	for _, c := range r.Changes {
		total[githubKindOf(c.Level)]++
	}
	shown := map[string]int{}
	cuts := map[string]*githubCut{}
	for _, c := range bySeverity(r.Changes) {
		kind := githubKindOf(c.Level)
		if total[kind] <= githubAnnotationCap || shown[kind] < githubAnnotationCap-1 {
			shown[kind]++
			githubAnnotation(bw, kind, c)
			continue
		}
		cut := cuts[kind]
		if cut == nil {
			cut = &githubCut{byLevel: map[finding.Level]int{}}
			cuts[kind] = cut
		}
		cut.hidden++
		cut.byLevel[c.Level]++
	}
	for _, kind := range githubKinds {
		if cut := cuts[kind]; cut != nil {
			fmt.Fprintf(bw, "::%s::%s\n", kind, escapeData("relay: "+cut.text()+" not shown as annotations; see the report"))
		}
	}
	fmt.Fprintf(bw, "relay: %s — %s (exit %d)\n", headline(r.Summary), countsText(r.Summary), r.Summary.ExitCode)
	if r.Summary.Suppressed > 0 {
		fmt.Fprintf(bw, "relay: %s:\n", suppressedHead(r.Summary))
		for _, l := range suppressedLines(r) {
			fmt.Fprintf(bw, "relay:   %s\n", escapeData(l))
		}
	}
	return bw.Flush()
}

func githubKindOf(l finding.Level) string {
	if k, ok := githubKind[l]; ok {
		return k
	}
	return "warning"
}

// text is "37 more breaking changes" or "12 more changes (3 non-breaking, 9 info)".
func (c *githubCut) text() string {
	var parts []string
	var only finding.Level
	for _, l := range finding.Levels {
		if n := c.byLevel[l]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, l))
			only = l
		}
	}
	if len(parts) > 1 {
		return fmt.Sprintf("%d more changes (%s)", c.hidden, strings.Join(parts, ", "))
	}
	noun := string(only) + " change"
	if c.hidden != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d more %s", c.hidden, noun)
}

// githubAnnotation writes one command. The file is omitted for standard
// input ("-"), which GitHub could not place in the repository anyway.
func githubAnnotation(w io.Writer, kind string, c finding.Change) {
	var props []string
	if f := c.Revision.File; f != "" && f != "-" {
		props = append(props, "file="+escapeProperty(strings.ReplaceAll(f, `\`, "/")))
		if c.Revision.Line >= 1 {
			props = append(props, "line="+strconv.Itoa(c.Revision.Line))
			if c.Revision.Column >= 1 {
				props = append(props, "col="+strconv.Itoa(c.Revision.Column))
			}
		}
	}
	props = append(props, "title="+escapeProperty(c.ID))
	msg := c.Message
	if c.Operation != "" {
		msg = c.Operation + ": " + msg
	}
	fmt.Fprintf(w, "::%s %s::%s\n", kind, strings.Join(props, ","), escapeData(msg))
}

// escapeData and escapeProperty escape exactly as @actions/core does, so
// a message cannot end the command early or smuggle in a second one.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
