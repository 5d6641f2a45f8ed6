// Package finding holds what every part of relay says about a change: its
// level, where it is, and the order findings are listed in. The rules
// produce findings, the policy pass re-levels and drops them, and the
// renderers print them; all three import this package and nothing else of
// each other's.
package finding

import (
	"fmt"
	"sort"
)

// Level is one of exactly four strings in every report.
type Level string

// The levels, most severe first.
const (
	Breaking    Level = "breaking"
	Warning     Level = "warning"
	NonBreaking Level = "non-breaking"
	Info        Level = "info"
)

// Levels lists every level, most severe first.
var Levels = []Level{Breaking, Warning, NonBreaking, Info}

// Rank orders levels: breaking is 3, info 0, unknown -1.
func (l Level) Rank() int {
	switch l {
	case Breaking:
		return 3
	case Warning:
		return 2
	case NonBreaking:
		return 1
	case Info:
		return 0
	}
	return -1
}

// ParseLevel accepts the four level names.
func ParseLevel(s string) (Level, error) {
	l := Level(s)
	if l.Rank() < 0 {
		return "", fmt.Errorf("unknown level %q (want breaking, warning, non-breaking or info)", s)
	}
	return l, nil
}

// Location is a 1-based file position.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// Change is one classified difference between base and revision.
type Change struct {
	ID        string    `json:"id"`
	Level     Level     `json:"level"`
	Operation string    `json:"operation,omitempty"`
	Pointer   string    `json:"pointer"`
	Message   string    `json:"message"`
	Base      *Location `json:"base,omitempty"`
	Revision  Location  `json:"revision"`
	Affects   []string  `json:"affects,omitempty"`
}

// Sort orders changes deterministically: level, operation, pointer, ID, message.
func Sort(cs []Change) {
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Level != b.Level {
			return a.Level.Rank() > b.Level.Rank()
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if a.Pointer != b.Pointer {
			return a.Pointer < b.Pointer
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Message < b.Message
	})
}

// Problem is one way a contract document breaks the specification of its
// kind (relay contract validate, and the validation step of a diff). It has
// no level: a problem makes the document invalid, and what that costs is
// decided by the caller (exit 1 for the revision, a warning for the base).
type Problem struct {
	// Pointer is the RFC 6901 pointer of the offending node inside File,
	// "" for the document root.
	Pointer string `json:"pointer"`
	// Message is one sentence, naming the problem without the location.
	Message string `json:"message"`
	// Location is where the node is; Line is 0 when the validator gave no
	// pointer relay could place.
	Location Location `json:"location"`
}
