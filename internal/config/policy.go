package config

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/source"
)

// Apply enforces the policy on classified changes: an ignore whose until
// date has passed is an error naming it; severity overrides re-level
// changes; ignored changes are dropped. It returns the kept changes and the
// ignore entries that matched nothing (stale: reported, never fatal).
func (c *Config) Apply(changes []finding.Change, now time.Time) ([]finding.Change, []report.StaleIgnore, error) {
	if c == nil {
		return changes, nil, nil
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for _, ig := range c.Ignores {
		if !ig.Until.IsZero() && ig.Until.Before(today) {
			return nil, nil, source.Errorf(ig.Pos, "ignore for %s expired on %s; remove it or extend until", ig.Rule, ig.Until.Format("2006-01-02"))
		}
	}
	kept := make([]finding.Change, 0, len(changes))
	for _, ch := range changes {
		if lvl, ok := c.Severity[ch.ID]; ok {
			ch.Level = lvl
		}
		if !c.ignored(ch) {
			kept = append(kept, ch)
		}
	}
	return kept, c.stale(), nil
}

// ignored reports whether any entry matches; every matching entry counts,
// so no entry is called stale while it still does work.
func (c *Config) ignored(ch finding.Change) bool {
	hit := false
	for _, ig := range c.Ignores {
		if ig.matches(ch) {
			ig.matched++
			hit = true
		}
	}
	return hit
}

func (ig *Ignore) matches(ch finding.Change) bool {
	if ig.Rule != "*" && !slices.Contains(ig.rules, ch.ID) {
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

func (c *Config) stale() []report.StaleIgnore {
	var out []report.StaleIgnore
	for _, ig := range c.Ignores {
		if ig.matched == 0 {
			out = append(out, report.StaleIgnore{Rule: ig.Rule, Operation: ig.Operation, Pointer: ig.Pointer, Reason: ig.Reason})
		}
	}
	return out
}

// StaleWarning is the stderr line for a stale entry.
func StaleWarning(path string, s report.StaleIgnore) string {
	where := s.Rule
	if s.Operation != "" {
		where += " on " + s.Operation
	}
	if s.Pointer != "" {
		where += " at " + s.Pointer
	}
	return fmt.Sprintf("relay: %s: ignore for %s matched nothing (stale); remove it", path, where)
}

type baselineEntry struct {
	Rule      string `yaml:"rule"`
	Operation string `yaml:"operation,omitempty"`
	Pointer   string `yaml:"pointer"`
	Reason    string `yaml:"reason"`
}

// WriteBaseline writes a .relay.yaml ignore list covering every change, so
// a team can adopt relay on a legacy API and only see new findings.
func WriteBaseline(w io.Writer, changes []finding.Change, now time.Time) error {
	reason := "baseline of " + now.UTC().Format("2006-01-02") + ": review and remove"
	seen := map[baselineEntry]bool{}
	var entries []baselineEntry
	for _, ch := range changes {
		e := baselineEntry{Rule: ch.ID, Operation: ch.Operation, Pointer: ch.Pointer, Reason: reason}
		if !seen[e] {
			seen[e] = true
			entries = append(entries, e)
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Pointer < entries[j].Pointer })
	if _, err := io.WriteString(w, "# Written by relay contract diff --write-baseline: these findings existed\n# when relay was adopted. Remove entries as they are fixed.\n"); err != nil {
		return err
	}
	out, err := yaml.Marshal(map[string]any{"ignore": entries})
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
