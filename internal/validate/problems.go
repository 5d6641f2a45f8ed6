package validate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

// echoMax bounds how much of a hostile document a message may repeat.
const echoMax = 200

// problems collects what the checks find. Every problem is placed at a
// node of relay's own tree, so its pointer and position come from the same
// place the diff's findings do.
type problems struct {
	list []finding.Problem
	// at marks nodes that already carry a problem of relay's own, so a
	// validator's second opinion on the same node (kin-openapi's "extra
	// sibling fields" after relay's "unknown field") is not repeated.
	at map[*source.Node]bool
}

func newProblems() *problems {
	return &problems{at: map[*source.Node]bool{}}
}

// add records a problem at n (its key when it sits in an object).
func (p *problems) add(n *source.Node, format string, args ...any) {
	p.at[n] = true
	p.list = append(p.list, problemAt(n, fmt.Sprintf(format, args...)))
}

// problemAt builds the Problem for a message about n.
func problemAt(n *source.Node, msg string) finding.Problem {
	pos := n.Pos()
	return finding.Problem{
		Pointer:  n.Pointer(),
		Message:  msg,
		Location: finding.Location{File: pos.File, Line: pos.Line, Column: pos.Col},
	}
}

// result sorts by file, line, column, then pointer and message, and drops
// exact repeats: a shared component reached from many places is checked
// once, but a validator may still say the same thing twice.
func (p *problems) result() []finding.Problem {
	out := p.list
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	n := 0
	for i, pr := range out {
		if i > 0 && pr == out[n-1] {
			continue
		}
		out[n] = pr
		n++
	}
	return out[:n]
}

func less(a, b finding.Problem) bool {
	switch {
	case a.Location.File != b.Location.File:
		return a.Location.File < b.Location.File
	case a.Location.Line != b.Location.Line:
		return a.Location.Line < b.Location.Line
	case a.Location.Column != b.Location.Column:
		return a.Location.Column < b.Location.Column
	case a.Pointer != b.Pointer:
		return a.Pointer < b.Pointer
	}
	return a.Message < b.Message
}

// quote renders echoed input, truncated first.
func quote(s string) string {
	return fmt.Sprintf("%q", source.Truncate(s, echoMax))
}

// kindNoun names a node kind with its article, for "… not a number".
func kindNoun(k source.Kind) string {
	switch k {
	case source.Object, source.Array:
		return "an " + k.String()
	case source.Null:
		return "null"
	}
	return "a " + k.String()
}

// article prefixes a noun with "a" or "an".
func article(noun string) string {
	if noun == "" {
		return noun
	}
	if strings.ContainsRune("aeiouAEIOU", rune(noun[0])) || strings.HasPrefix(noun, "XML") {
		return "an " + noun
	}
	return "a " + noun
}
