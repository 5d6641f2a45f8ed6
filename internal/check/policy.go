package check

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
	"github.com/relay-dev/relay/internal/source"
)

// Policy is .relay.yaml's diff policy checked against the rule catalog and
// compiled: ignores with their globs, severity overrides, the fail
// threshold and the classification settings. It is immutable once built,
// so one Policy serves any number of concurrent runs; what a run matched is
// counted in that run.
type Policy struct {
	path     string
	ignores  []*ignore
	severity map[string]finding.Level
	failOn   finding.Level
	rules    rules.Options // without Now, which each run sets
	// Notices are things the user should fix that do not stop the run,
	// such as an entry naming a retired rule ID, each with its file:line.
	Notices []string
}

// ignore is a compiled ignore entry.
type ignore struct {
	entry     *config.Ignore
	ids       []string // the catalog IDs the entry's rule stands for
	opRe, ptr *regexp.Regexp
}

// resolveRule maps a rule ID to today's catalog IDs; a variable so tests
// can retire a rule without touching the real catalog.
var resolveRule = rules.Resolve

// NewPolicy checks cfg's rule IDs against the catalog and compiles its
// globs. A nil cfg (no .relay.yaml) is the empty policy. An unknown rule ID
// is an error at its file:line; a retired one stands for its replacements
// and leaves a notice.
func NewPolicy(cfg *config.Config) (*Policy, error) {
	p := &Policy{severity: map[string]finding.Level{}}
	if cfg == nil {
		return p, nil
	}
	p.path, p.failOn = cfg.Path, cfg.FailOn
	p.rules = rules.Options{BetaLevel: cfg.BetaLevel, MinDeprecationDays: cfg.MinDeprecationDays}
	// Entries are resolved in file order, so the first bad one is reported.
	type entry struct {
		pos     source.Pos
		resolve func() error
	}
	var entries []entry
	for _, ig := range cfg.Ignores {
		entries = append(entries, entry{ig.Pos, func() error { return p.addIgnore(ig) }})
	}
	for _, sv := range cfg.Severity {
		entries = append(entries, entry{sv.Pos, func() error { return p.addSeverity(sv) }})
	}
	// The baseline's entries (another file) come after the file's own.
	other := func(e entry) bool { return e.pos.File != cfg.Path }
	sort.SliceStable(entries, func(i, j int) bool {
		if oi, oj := other(entries[i]), other(entries[j]); oi != oj {
			return oj
		}
		return entries[i].pos.Line < entries[j].pos.Line
	})
	for _, e := range entries {
		if err := e.resolve(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Policy) addIgnore(ig *config.Ignore) error {
	c := &ignore{entry: ig, opRe: diff.CompileGlob(ig.Operation), ptr: diff.CompileGlob(ig.Pointer)}
	if ig.Rule != "*" {
		ids, err := p.resolve(ig.Rule, "ignore entry", ig.Pos)
		if err != nil {
			return err
		}
		c.ids = ids
	}
	p.ignores = append(p.ignores, c)
	return nil
}

func (p *Policy) addSeverity(sv *config.Severity) error {
	ids, err := p.resolve(sv.Rule, "severity", sv.Pos)
	if err != nil {
		return err
	}
	for _, id := range ids {
		p.severity[id] = sv.Level
	}
	return nil
}

// resolve checks a rule ID named at pos.
func (p *Policy) resolve(id, what string, pos source.Pos) ([]string, error) {
	ids, old := resolveRule(id)
	if old == nil {
		if ids == nil {
			return nil, source.Errorf(pos, "%s names unknown rule %q", what, source.Truncate(id, 80))
		}
		return ids, nil
	}
	msg := fmt.Sprintf("%s: rule %s was retired in relay %s (%s)", pos, id, old.Since, old.Reason)
	if len(ids) > 0 {
		msg += "; this entry now applies to " + strings.Join(ids, ", ") + ": name them instead"
	} else {
		msg += "; this entry no longer matches anything: remove it"
	}
	p.Notices = append(p.Notices, msg)
	return ids, nil
}

// FailOn settles the fail threshold: an explicit flag beats the file's
// fail-on, which beats the flag's default.
func (p *Policy) FailOn(flag finding.Level, flagSet bool) finding.Level {
	if p.failOn != "" && !flagSet {
		return p.failOn
	}
	return flag
}

// RulesOptions returns the classification settings for a run at now.
func (p *Policy) RulesOptions(now time.Time) rules.Options {
	o := p.rules
	o.Now = now
	return o
}

// Apply enforces the policy on classified changes: an ignore whose until
// date has passed is an error naming it; severity overrides re-level
// changes; ignored changes are dropped. It returns the kept changes and the
// ignore entries that matched nothing (stale: reported, never fatal).
func (p *Policy) Apply(changes []finding.Change, now time.Time) ([]finding.Change, []report.StaleIgnore, error) {
	o, err := p.Enforce(changes, now)
	if err != nil {
		return nil, nil, err
	}
	return o.Kept, o.Stale, nil
}

// Outcome is what enforcing the policy made of the changes.
type Outcome struct {
	Kept  []finding.Change
	Stale []report.StaleIgnore
	// Suppressed lists the entries that dropped changes, with their
	// counts; Dropped is the number of changes dropped (a change two
	// entries match counts once).
	Suppressed []report.Suppressed
	Dropped    int
}

// Enforce is Apply that also accounts for what the ignores dropped, so
// that reports can say so instead of looking clean.
func (p *Policy) Enforce(changes []finding.Change, now time.Time) (*Outcome, error) {
	today := now.UTC().Truncate(24 * time.Hour)
	for _, ig := range p.ignores {
		if u := ig.entry.Until; !u.IsZero() && u.Before(today) {
			return nil, source.Errorf(ig.entry.Pos, "ignore for %s expired on %s; remove it or extend until", ig.entry.Rule, u.Format("2006-01-02"))
		}
	}
	matched := make([]int, len(p.ignores))
	o := &Outcome{Kept: make([]finding.Change, 0, len(changes))}
	for _, ch := range changes {
		if lvl, ok := p.severity[ch.ID]; ok {
			ch.Level = lvl
		}
		if p.ignored(ch, matched) {
			o.Dropped++
		} else {
			o.Kept = append(o.Kept, ch)
		}
	}
	o.Stale, o.Suppressed = p.stale(matched), p.suppressed(matched)
	return o, nil
}

// suppressed describes each entry that matched, in file order.
func (p *Policy) suppressed(matched []int) []report.Suppressed {
	var out []report.Suppressed
	for i, ig := range p.ignores {
		if matched[i] == 0 {
			continue
		}
		e := ig.entry
		s := report.Suppressed{Rule: e.Rule, Operation: e.Operation, Pointer: e.Pointer, Reason: e.Reason, Count: matched[i]}
		if !e.Until.IsZero() {
			s.Until = e.Until.Format("2006-01-02")
		}
		out = append(out, s)
	}
	return out
}

// ignored reports whether any entry matches; every matching entry counts,
// so no entry is called stale while it still does work.
func (p *Policy) ignored(ch finding.Change, matched []int) bool {
	hit := false
	for i, ig := range p.ignores {
		if ig.matches(ch) {
			matched[i]++
			hit = true
		}
	}
	return hit
}

func (ig *ignore) matches(ch finding.Change) bool {
	if ig.entry.Rule != "*" && !slices.Contains(ig.ids, ch.ID) {
		return false
	}
	if ig.ptr != nil && !ig.ptr.MatchString(ch.Pointer) {
		return false
	}
	if ig.opRe == nil {
		return true
	}
	ops := ch.Affects
	if len(ops) == 0 {
		ops = []string{ch.Operation}
	}
	for _, op := range ops {
		if ig.opRe.MatchString(op) {
			return true
		}
	}
	return false
}

func (p *Policy) stale(matched []int) []report.StaleIgnore {
	var out []report.StaleIgnore
	for i, ig := range p.ignores {
		if matched[i] == 0 {
			e := ig.entry
			out = append(out, report.StaleIgnore{Rule: e.Rule, Operation: e.Operation, Pointer: e.Pointer, Reason: e.Reason})
		}
	}
	return out
}

// StaleWarning is the stderr line for a stale entry of the policy's file.
func (p *Policy) StaleWarning(s report.StaleIgnore) string {
	where := s.Rule
	if s.Operation != "" {
		where += " on " + s.Operation
	}
	if s.Pointer != "" {
		where += " at " + s.Pointer
	}
	return fmt.Sprintf("relay: %s: ignore for %s matched nothing (stale); remove it", p.path, where)
}
