// Package rules is relay's catalog of change rules and the classification
// pass that turns matched pairs from package diff into report changes.
//
// Rules are data: a stable kebab-case ID, a level, the side it applies to, a
// one-line summary, a doc with an example, and, where the request and
// response mirrors of a rule disagree on level, the reason why. The check
// functions (one per pair kind) only decide which rule a difference
// triggers; the level always comes from the catalog.
package rules

import (
	"fmt"
	"sort"
	"time"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

// Side tells which data flow a rule is about.
type Side string

// The sides. Document-level rules (servers, security schemes, info) have none.
const (
	Request  Side = "request"
	Response Side = "response"
	NoSide   Side = ""
)

// Rule is one entry of the catalog.
type Rule struct {
	ID      string
	Level   finding.Level
	Side    Side
	Summary string
	// Message is the fmt format of a finding's message.
	Message string
	// Doc explains the rule and shows a before/after example.
	Doc string
	// Caller marks a rule that no document diff produces: the command that
	// runs the comparison decides it (a contract with no published base).
	// Its fixture is a CLI test, not a testdata directory here.
	Caller bool
	// Why justifies the level where the mirror rule on the other side has a
	// different one (the catalog test insists on it).
	Why string
}

var catalog []*Rule

// def registers a rule at init time; IDs are checked for uniqueness by the
// catalog test (and a duplicate panics here, at start-up, never at run time
// in front of a user because the test suite runs it first).
func def(r Rule) *Rule {
	for _, c := range catalog {
		if c.ID == r.ID {
			panic("rules: duplicate rule ID " + r.ID)
		}
	}
	p := &r
	catalog = append(catalog, p)
	return p
}

// All returns the catalog sorted by ID.
func All() []*Rule {
	out := append([]*Rule(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *Rule {
	for _, r := range catalog {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Options tunes classification. The zero value is the default behaviour.
type Options struct {
	// Now is the clock used for x-sunset dates; zero means time.Now.
	Now time.Time
	// BetaLevel is the highest level a change to an operation marked
	// x-stability-level: beta may have; zero means warning. Breaking keeps
	// beta operations to the stable promise.
	BetaLevel finding.Level
	// MinDeprecationDays is the shortest notice, in days from Now, that a
	// newly deprecated operation's x-sunset date may give; zero disables
	// the check (and the demand for an x-sunset date at all).
	MinDeprecationDays int
}

// Classify runs every rule over the pair graph and returns the changes,
// de-duplicated and sorted.
func Classify(res *diff.Result, opts Options) []finding.Change {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.BetaLevel == "" {
		opts.BetaLevel = finding.Warning
	}
	e := newEmitter(res, opts)
	checkDocument(e, res)
	for _, op := range res.Operations {
		checkOperation(e, op)
	}
	for _, sp := range res.Schemas {
		e.noteSiblings(sp)
	}
	for _, sp := range res.Schemas {
		checkSchema(e, sp)
	}
	changes := e.changes(res)
	applyStability(changes, res, opts.BetaLevel)
	finding.Sort(changes)
	return changes
}

func (r *Rule) message(args []any) string {
	return fmt.Sprintf(r.Message, args...)
}
