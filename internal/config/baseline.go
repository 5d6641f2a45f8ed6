package config

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
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

// parseBaseline reads `baseline: PATH`, the file --write-baseline wrote.
func (c *Config) parseBaseline(n *source.Node) error {
	if n.Kind != source.String || strings.TrimSpace(n.Value) == "" {
		return source.Errorf(n.ValuePos(), "baseline must be the path of a file written by --write-baseline")
	}
	c.Baseline, c.BaselinePos = n.Value, n.ValuePos()
	return nil
}

// loadBaseline appends the baseline file's ignores to the configuration's
// own: the rest of .relay.yaml (contracts, severity, fail-on…) stays in
// force, which pointing --config at the baseline would lose. The file may
// hold only an ignore: list; its entries keep their own file:line, so an
// expired or unknown one is named where it is.
func (c *Config) loadBaseline() error {
	p := c.Baseline
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(c.Path), filepath.FromSlash(p))
	}
	data, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return source.Errorf(c.BaselinePos, "the baseline %s does not exist", p)
		}
		return source.Errorf(c.BaselinePos, "cannot read the baseline %s: %v", p, err)
	}
	f, err := load.ParseFile(p, data)
	if err != nil {
		return err
	}
	if f.Root.Kind != source.Object {
		return source.Errorf(f.Root.ValuePos(), "a baseline must be a mapping with an ignore: list")
	}
	b := &Config{Path: p}
	for _, m := range f.Root.Children {
		if m.Key != "ignore" {
			return source.Errorf(m.Pos(), "a baseline holds only an ignore: list, not %q (put other settings in %s)", source.Truncate(m.Key, 80), c.Path)
		}
		if err := b.parseIgnores(m); err != nil {
			return err
		}
	}
	c.Ignores = append(c.Ignores, b.Ignores...)
	return nil
}
