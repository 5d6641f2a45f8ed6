package config

import (
	"io"
	"sort"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/relay-dev/relay/internal/finding"
)

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
