package report

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// HTML renders one self-contained page for people: the verdict and counts,
// filters by level, operation and text, and one entry per change with the
// lines around its base and revision locations. Styles and script are
// inline and nothing is loaded from the network, so the page works as a CI
// artifact opened offline. html/template escapes every value by context.
type HTML struct {
	// Sources holds file contents keyed by Location.File; a location whose
	// file is missing (or whose line is out of range) is shown without a
	// snippet.
	Sources map[string][]byte
}

// snippetContext is how many lines are shown above and below a location.
const snippetContext = 3

// maxSnippetLine bounds a shown line, in runes: a minified JSON contract is
// one line of megabytes, which must not be copied into the page per change.
const maxSnippetLine = 160

type htmlPage struct {
	Title, Headline, Function, Base, Revision string
	ExitCode                                  int
	Counts                                    []htmlCount
	// Operations are the operation filter's options; their order is the
	// index Affects refers to, so each name is written once.
	Operations []string
	// Affects holds each distinct list of operations changes reach, as
	// indexes into Operations. A change to a shared component reaches
	// hundreds of operations (444 in the Stripe API), and many changes
	// reach the same ones: written per change, the lists made that page
	// 13 MB; here each list is written once and changes refer to it.
	Affects        [][]int
	Changes        []htmlChange
	StaleIgnores   int
	SuppressedHead string
	Suppressed     []string
}

type htmlCount struct {
	Level finding.Level
	N     int
}

type htmlChange struct {
	finding.Change
	// Aff indexes htmlPage.Affects: the operations the change reaches, read
	// by the operation filter and by the expandable affects list.
	Aff               int
	BaseLoc, RevLoc   string
	BaseSnip, RevSnip []snippetLine
	// AffectsText names the first maxAffectsShown operations, then how
	// many more; AffectsCollapsed says the rest expand from Affects.
	AffectsText        string
	AffectsMoreThanOne bool
	AffectsCollapsed   bool
}

type snippetLine struct {
	N    int
	Text string
	Hit  bool
}

// Render writes the page.
func (h HTML) Render(w io.Writer, r *Report) error {
	return htmlTemplate.Execute(w, h.page(r))
}

func (h HTML) page(r *Report) htmlPage {
	p := htmlPage{
		Headline: "relay: " + headline(r.Summary), Function: r.Function, ExitCode: r.Summary.ExitCode,
		Base: sideText(r.Base), Revision: sideText(r.Revision), StaleIgnores: len(r.StaleIgnores),
	}
	if r.Summary.Suppressed > 0 {
		p.SuppressedHead, p.Suppressed = suppressedHead(r.Summary), suppressedLines(r)
	}
	p.Title = p.Headline
	if r.Function != "" {
		p.Title += " — " + r.Function
	}
	for _, l := range finding.Levels {
		p.Counts = append(p.Counts, htmlCount{Level: l, N: levelCount(r.Summary, l)})
	}
	src := sourceLines{raw: h.Sources, split: map[string][]string{}}
	changes := bySeverity(r.Changes)
	p.Operations = operationsOf(changes)
	aff := affectsTable{index: map[string]int{}, lists: map[string]int{}}
	for i, o := range p.Operations {
		aff.index[o] = i
	}
	for _, c := range changes {
		hc := htmlChange{Change: c, RevLoc: locText(c.Revision), RevSnip: src.snippet(c.Revision)}
		if c.Base != nil {
			hc.BaseLoc, hc.BaseSnip = locText(*c.Base), src.snippet(*c.Base)
		}
		hc.Aff = aff.add(changeOps(c))
		hc.AffectsMoreThanOne = len(c.Affects) > 1
		hc.AffectsCollapsed = len(c.Affects) > maxAffectsShown
		hc.AffectsText = strings.Join(c.Affects[:min(len(c.Affects), maxAffectsShown)], ", ")
		if hc.AffectsCollapsed {
			hc.AffectsText += fmt.Sprintf(" and %d more", len(c.Affects)-maxAffectsShown)
		}
		p.Changes = append(p.Changes, hc)
	}
	p.Affects = aff.table
	return p
}

// operationsOf lists, sorted, every operation the changes reach.
func operationsOf(changes []finding.Change) []string {
	set := map[string]bool{}
	for _, c := range changes {
		for _, o := range changeOps(c) {
			set[o] = true
		}
	}
	out := make([]string, 0, len(set))
	for o := range set {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// affectsTable collects distinct operation lists as index lists.
type affectsTable struct {
	index map[string]int // operation → its place in htmlPage.Operations
	lists map[string]int // list key → its place in table
	table [][]int
}

// add returns the place of ops in the table, adding it when new.
func (a *affectsTable) add(ops []string) int {
	key := strings.Join(ops, "\x00")
	if i, ok := a.lists[key]; ok {
		return i
	}
	idx := make([]int, len(ops))
	for i, o := range ops {
		idx[i] = a.index[o]
	}
	a.lists[key] = len(a.table)
	a.table = append(a.table, idx)
	return len(a.table) - 1
}

// changeOps is what the operation filter matches: every operation the
// change affects, or "document" for document-level changes.
func changeOps(c finding.Change) []string {
	switch {
	case len(c.Affects) > 0:
		return c.Affects
	case c.Operation != "":
		return []string{c.Operation}
	}
	return []string{"document"}
}

func locText(l finding.Location) string { return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column) }

// sourceLines splits each source file once, however many changes point
// into it.
type sourceLines struct {
	raw   map[string][]byte
	split map[string][]string
}

func (s sourceLines) lines(file string) []string {
	if ls, ok := s.split[file]; ok {
		return ls
	}
	data, ok := s.raw[file]
	var ls []string
	if ok {
		text := strings.TrimPrefix(string(data), "\ufeff")
		// The final newline ends the last line rather than starting one more.
		text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
		ls = strings.Split(text, "\n")
	}
	s.split[file] = ls
	return ls
}

// snippet returns the lines around l, or nil when the file or line is
// unknown.
func (s sourceLines) snippet(l finding.Location) []snippetLine {
	ls := s.lines(l.File)
	if l.Line < 1 || l.Line > len(ls) {
		return nil
	}
	from, to := max(1, l.Line-snippetContext), min(len(ls), l.Line+snippetContext)
	out := make([]snippetLine, 0, to-from+1)
	for n := from; n <= to; n++ {
		col := 1
		if n == l.Line {
			col = l.Column
		}
		out = append(out, snippetLine{N: n, Text: clipLine(ls[n-1], col), Hit: n == l.Line})
	}
	return out
}

// clipLine shortens a long line to a window that includes column col.
func clipLine(line string, col int) string {
	rs := []rune(line)
	if len(rs) <= maxSnippetLine {
		return line
	}
	start := max(0, min(col-1-maxSnippetLine/4, len(rs)-maxSnippetLine))
	out := string(rs[start : start+maxSnippetLine])
	if start > 0 {
		out = "…" + out
	}
	if start+maxSnippetLine < len(rs) {
		out += "…"
	}
	return out
}

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))
