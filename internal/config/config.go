// Package config reads .relay.yaml — ignores, severity overrides and the
// fail threshold (contracts/config.schema.json) — and applies that policy
// to classified changes. It keeps positions so a bad or expired entry is
// reported at its file:line.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/rules"
	"github.com/relay-dev/relay/internal/source"
)

// FileName is the configuration file searched for from the working directory up.
const FileName = ".relay.yaml"

// Config is a parsed .relay.yaml.
type Config struct {
	Path     string
	Ignores  []*Ignore
	Severity map[string]report.Level
	FailOn   report.Level // "" when not set
}

// Ignore is one entry of the ignore list.
type Ignore struct {
	Rule      string
	Operation string
	Pointer   string
	Reason    string
	Until     time.Time // zero when absent
	Pos       source.Pos
	opRe, ptr *regexp.Regexp
	matched   int
}

// Find returns the path of .relay.yaml in dir or its nearest parent, or "".
func Find(dir string) string {
	for {
		p := filepath.Join(dir, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: the configuration file does not exist", path)
		}
		return nil, fmt.Errorf("%s: cannot read the configuration file: %w", path, err)
	}
	f, err := load.ParseFile(path, data)
	if err != nil {
		return nil, err
	}
	return parse(f)
}

func parse(f *source.File) (*Config, error) {
	root := f.Root
	if root.Kind != source.Object {
		return nil, source.Errorf(root.ValuePos(), "the configuration must be a mapping")
	}
	c := &Config{Path: f.Path, Severity: map[string]report.Level{}}
	for _, m := range root.Children {
		var err error
		switch m.Key {
		case "contracts":
			// the manifest for --all (a later issue); its shape is checked there
		case "ignore":
			err = c.parseIgnores(m)
		case "severity":
			err = c.parseSeverity(m)
		case "fail-on":
			c.FailOn, err = parseFailOn(m)
		default:
			err = source.Errorf(m.Pos(), "unknown key %q (want contracts, ignore, severity or fail-on)", m.Key)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseFailOn(n *source.Node) (report.Level, error) {
	if n.Value == string(report.Breaking) || n.Value == string(report.Warning) {
		return report.Level(n.Value), nil
	}
	return "", source.Errorf(n.ValuePos(), "fail-on must be breaking or warning, not %q", source.Truncate(n.Value, 40))
}

func (c *Config) parseSeverity(n *source.Node) error {
	if n.Kind != source.Object {
		return source.Errorf(n.ValuePos(), "severity must be a mapping of rule ID to level")
	}
	for _, m := range n.Children {
		if rules.ByID(m.Key) == nil {
			return source.Errorf(m.Pos(), "severity names unknown rule %q", source.Truncate(m.Key, 80))
		}
		lvl, err := report.ParseLevel(m.Value)
		if err != nil || m.Kind != source.String {
			return source.Errorf(m.ValuePos(), "severity of %s must be breaking, warning, non-breaking or info", m.Key)
		}
		c.Severity[m.Key] = lvl
	}
	return nil
}

func (c *Config) parseIgnores(n *source.Node) error {
	if n.Kind != source.Array {
		return source.Errorf(n.ValuePos(), "ignore must be a list")
	}
	for _, item := range n.Children {
		ig, err := parseIgnore(item)
		if err != nil {
			return err
		}
		c.Ignores = append(c.Ignores, ig)
	}
	return nil
}

func parseIgnore(n *source.Node) (*Ignore, error) {
	if n.Kind != source.Object {
		return nil, source.Errorf(n.ValuePos(), "each ignore entry must be a mapping with rule and reason")
	}
	ig := &Ignore{Pos: n.ValuePos()}
	for _, m := range n.Children {
		if m.Kind != source.String && m.Key != "until" {
			return nil, source.Errorf(m.ValuePos(), "ignore %s must be a string", m.Key)
		}
		switch m.Key {
		case "rule":
			ig.Rule = m.Value
		case "operation":
			ig.Operation = m.Value
		case "pointer":
			ig.Pointer = m.Value
		case "reason":
			ig.Reason = strings.TrimSpace(m.Value)
		case "until":
			t, err := time.Parse("2006-01-02", m.Value)
			if err != nil {
				return nil, source.Errorf(m.ValuePos(), "ignore until must be a date like 2026-12-31, not %q", source.Truncate(m.Value, 40))
			}
			ig.Until = t
		default:
			return nil, source.Errorf(m.Pos(), "unknown ignore key %q (want rule, operation, pointer, reason, until)", source.Truncate(m.Key, 80))
		}
	}
	return ig, ig.validate()
}

func (ig *Ignore) validate() error {
	switch {
	case ig.Rule == "":
		return source.Errorf(ig.Pos, "ignore entry needs a rule (a rule ID or \"*\")")
	case ig.Rule != "*" && rules.ByID(ig.Rule) == nil:
		return source.Errorf(ig.Pos, "ignore entry names unknown rule %q", source.Truncate(ig.Rule, 80))
	case ig.Reason == "":
		return source.Errorf(ig.Pos, "ignore entry for %s needs a reason", ig.Rule)
	}
	ig.opRe, ig.ptr = diff.CompileGlob(ig.Operation), diff.CompileGlob(ig.Pointer)
	return nil
}
