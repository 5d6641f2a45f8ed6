package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// Markdown renders a pull-request comment: the verdict, the counts, the
// breaking changes as a table and every other change in a collapsed
// <details> table below it.
type Markdown struct {
	// LinkBase is a URL prefix; when set, locations in local files become
	// links to LinkBase + path + "#L" + line.
	LinkBase string
}

// maxMarkdown keeps the comment under GitHub's limit on comment bodies
// (65,536 characters); bytes are counted, which is never fewer.
const maxMarkdown = 65000

// markdownTailRoom is kept free for the sentence that summarises the rows
// that did not fit.
const markdownTailRoom = 256

// markdownMarker lets a bot find and update its previous comment instead of
// posting a new one on every push; it is invisible once rendered.
const markdownMarker = "<!-- relay:contract-diff -->\n"

const markdownTableHead = "| Level | Rule | Operation | Message | Location |\n|---|---|---|---|---|\n"

// mdSection is one table with what comes before its header and after its
// last row.
type mdSection struct {
	open, close string
	changes     []finding.Change
}

// Render writes the comment. Rows are added in order while they fit under
// maxMarkdown; the rest are counted in one closing sentence.
func (m Markdown) Render(w io.Writer, r *Report) error {
	var b strings.Builder
	markdownHead(&b, r)
	budget := maxMarkdown - markdownTailRoom
	shown, cut := 0, false
	for _, s := range markdownSections(r.Changes) {
		rows := make([]string, len(s.changes))
		for i, c := range s.changes {
			rows[i] = m.row(c)
		}
		n := rowsThatFit(b.Len()+len(s.open)+len(s.close), rows, budget)
		if n > 0 {
			b.WriteString(s.open)
			b.WriteString(strings.Join(rows[:n], ""))
			b.WriteString(s.close)
		}
		shown += n
		if cut = n < len(rows); cut {
			break
		}
	}
	if cut {
		markdownTail(&b, bySeverity(r.Changes)[shown:])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownHead(b *strings.Builder, r *Report) {
	s := r.Summary
	b.WriteString(markdownMarker)
	fmt.Fprintf(b, "**relay: %s** — exit %d\n\n", mdText(headline(s)), s.ExitCode)
	if r.Function != "" {
		fmt.Fprintf(b, "%s: ", mdCode(r.Function))
	}
	fmt.Fprintf(b, "%s → %s\n\n", mdText(sideText(r.Base)), mdText(sideText(r.Revision)))
	b.WriteString("| breaking | warning | non-breaking | info |\n|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d |\n", s.Breaking, s.Warning, s.NonBreaking, s.Info)
	if s.Suppressed > 0 {
		fmt.Fprintf(b, "\n%s:\n\n", suppressedHead(s))
		for _, l := range suppressedLines(r) {
			fmt.Fprintf(b, "- %s\n", mdText(l))
		}
	}
	if n := len(r.StaleIgnores); n > 0 {
		fmt.Fprintf(b, "\n%s in .relay.yaml matched nothing (staleIgnores in the JSON report).\n", plural(n, "ignore entry"))
	}
}

// markdownSections puts breaking changes in an open table and the rest in
// a collapsed one, so reviewers see what blocks the merge first.
func markdownSections(cs []finding.Change) []mdSection {
	var breaking, rest []finding.Change
	for _, c := range bySeverity(cs) {
		if c.Level == finding.Breaking {
			breaking = append(breaking, c)
		} else {
			rest = append(rest, c)
		}
	}
	var out []mdSection
	if len(breaking) > 0 {
		out = append(out, mdSection{open: "\n#### Breaking changes\n\n" + markdownTableHead, changes: breaking})
	}
	if len(rest) > 0 {
		summary := fmt.Sprintf("%s: %s", plural(len(rest), "other change"), levelBreakdown(rest))
		out = append(out, mdSection{
			open:    "\n<details>\n<summary>" + summary + "</summary>\n\n" + markdownTableHead,
			close:   "\n</details>\n",
			changes: rest,
		})
	}
	return out
}

// levelBreakdown is "1 warning, 2 info" over the levels present in cs.
func levelBreakdown(cs []finding.Change) string {
	count := map[finding.Level]int{}
	for _, c := range cs {
		count[c.Level]++
	}
	var parts []string
	for _, l := range finding.Levels {
		if count[l] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[l], l))
		}
	}
	return strings.Join(parts, ", ")
}

// rowsThatFit counts how many leading rows fit when used bytes are spent.
func rowsThatFit(used int, rows []string, budget int) int {
	for i, r := range rows {
		if used+len(r) > budget {
			return i
		}
		used += len(r)
	}
	return len(rows)
}

func markdownTail(b *strings.Builder, hidden []finding.Change) {
	breaking := 0
	for _, c := range hidden {
		if c.Level == finding.Breaking {
			breaking++
		}
	}
	fmt.Fprintf(b, "\n… and %d more changes (%d breaking) not shown; see the JSON report.\n", len(hidden), breaking)
}

func (m Markdown) row(c finding.Change) string {
	op := "—"
	if c.Operation != "" {
		op = mdCode(c.Operation)
	}
	if n := len(c.Affects); n > 1 {
		op += fmt.Sprintf(" (+%d more)", n-1)
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", c.Level, mdCode(c.ID), op, mdText(c.Message), m.location(c.Revision))
}

// location is file:line, linked when LinkBase is set and the file is a
// path in the working tree (not "-", not git:REV:…, not outside the tree).
func (m Markdown) location(l finding.Location) string {
	text := mdText(fmt.Sprintf("%s:%d", l.File, l.Line))
	file := strings.ReplaceAll(l.File, `\`, "/")
	if m.LinkBase == "" || !linkablePath(file) {
		return text
	}
	segs := strings.Split(path.Clean(file), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	// Angle brackets let the destination hold parentheses; PathEscape has
	// already escaped any '<', '>' or '|' that could end it or the cell.
	return fmt.Sprintf("[%s](<%s%s#L%d>)", text, m.LinkBase, strings.Join(segs, "/"), l.Line)
}

func linkablePath(p string) bool {
	c := path.Clean(p)
	return p != "" && p != "-" && !strings.Contains(p, ":") && !path.IsAbs(c) && c != ".." && !strings.HasPrefix(c, "../")
}

// mdEscaper makes user text inert in a table cell: '|' would end the cell,
// a newline the row, '<' and '&' could open HTML, and the punctuation could
// start emphasis, code or links. '@' is followed by a zero-width space so a
// property named "@type" does not notify the GitHub user "type".
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "@", "@\u200b",
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
)

func mdText(s string) string { return mdEscaper.Replace(s) }

// mdCode puts s in a code span: nothing inside is markdown or HTML, so only
// the table's '|' and line breaks need care, and a fence longer than any
// backtick run in s.
func mdCode(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

func longestRun(s string, ch byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == ch {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}
