// Package config reads .relay.yaml — the contract manifest, ignores,
// severity overrides, the fail threshold, notification settings and the
// approval-signing policy (contracts/config.schema.json) — into plain data. It checks the file's
// shape and keeps positions, so a bad entry is reported at its file:line,
// but it knows nothing of the rule catalog: the compare pipeline (package
// check) resolves rule IDs and applies the policy, so a command that only
// reads the notify: section never fails on a diff-policy entry.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// FileName is the configuration file searched for from the working directory up.
const FileName = ".relay.yaml"

// Config is a parsed .relay.yaml.
type Config struct {
	Path string
	// Contracts is the manifest (contracts:) that --all walks, in file order.
	Contracts []*Contract
	// Notify is where registry decisions are announced; nil when not set.
	Notify  *Notify
	Ignores []*Ignore
	// Severity lists the severity: overrides in file order.
	Severity []*Severity
	FailOn   finding.Level // "" when not set
	// BetaLevel caps changes to x-stability-level: beta operations
	// (stability.beta); "" leaves the default (warning).
	BetaLevel finding.Level
	// MinDeprecationDays is deprecation.min-days; 0 when not set.
	MinDeprecationDays int
	// Approvals is the approvals: section; nil when not set.
	Approvals *Approvals
	// Baseline is the baseline: file's path as written (relative to the
	// configuration's directory); Load appends its ignores to Ignores.
	Baseline    string
	BaselinePos source.Pos
}

// Ignore is one entry of the ignore list.
type Ignore struct {
	Rule      string
	Operation string
	Pointer   string
	Reason    string
	Until     time.Time // zero when absent
	Pos       source.Pos
}

// Severity is one severity: entry, an override of a rule's level.
type Severity struct {
	Rule  string
	Level finding.Level
	Pos   source.Pos // the key's position
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
	c, err := Parse(path, data)
	if err != nil || c.Baseline == "" {
		return c, err
	}
	return c, c.loadBaseline()
}

// Parse reads a configuration from data; path names it in messages.
func Parse(path string, data []byte) (*Config, error) {
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
	c := &Config{Path: f.Path}
	for _, m := range root.Children {
		var err error
		switch m.Key {
		case "contracts":
			err = c.parseContracts(m)
		case "ignore":
			err = c.parseIgnores(m)
		case "severity":
			err = c.parseSeverity(m)
		case "fail-on":
			c.FailOn, err = parseFailOn(m)
		case "stability":
			c.BetaLevel, err = parseStability(m)
		case "notify":
			c.Notify, err = parseNotify(m)
		case "deprecation":
			c.MinDeprecationDays, err = parseDeprecation(m)
		case "approvals":
			c.Approvals, err = parseApprovals(m)
		case "baseline":
			err = c.parseBaseline(m)
		default:
			err = source.Errorf(m.Pos(), "unknown key %q (want contracts, ignore, severity, fail-on, stability, deprecation, baseline, notify or approvals)", source.Truncate(m.Key, 80))
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseFailOn(n *source.Node) (finding.Level, error) {
	if n.Value == string(finding.Breaking) || n.Value == string(finding.Warning) {
		return finding.Level(n.Value), nil
	}
	return "", source.Errorf(n.ValuePos(), "fail-on must be breaking or warning, not %q", source.Truncate(n.Value, 40))
}

// parseStability reads `stability: {beta: LEVEL}`: the highest level a
// change to a beta operation keeps.
func parseStability(n *source.Node) (finding.Level, error) {
	if n.Kind != source.Object {
		return "", source.Errorf(n.ValuePos(), "stability must be a mapping like {beta: warning}")
	}
	var lvl finding.Level
	for _, m := range n.Children {
		if m.Key != "beta" {
			return "", source.Errorf(m.Pos(), "unknown stability key %q (want beta; draft and alpha changes are always info)", source.Truncate(m.Key, 80))
		}
		l, err := finding.ParseLevel(m.Value)
		if err != nil || m.Kind != source.String {
			return "", source.Errorf(m.ValuePos(), "stability.beta must be breaking, warning, non-breaking or info")
		}
		lvl = l
	}
	return lvl, nil
}

// parseDeprecation reads `deprecation: {min-days: N}`.
func parseDeprecation(n *source.Node) (int, error) {
	if n.Kind != source.Object {
		return 0, source.Errorf(n.ValuePos(), "deprecation must be a mapping like {min-days: 90}")
	}
	days := 0
	for _, m := range n.Children {
		if m.Key != "min-days" {
			return 0, source.Errorf(m.Pos(), "unknown deprecation key %q (want min-days)", source.Truncate(m.Key, 80))
		}
		d, err := strconv.Atoi(m.Value)
		if err != nil || m.Kind != source.Number || d < 0 || d > 36500 {
			return 0, source.Errorf(m.ValuePos(), "deprecation.min-days must be a whole number of days between 0 and 36500")
		}
		days = d
	}
	return days, nil
}

func (c *Config) parseSeverity(n *source.Node) error {
	if n.Kind != source.Object {
		return source.Errorf(n.ValuePos(), "severity must be a mapping of rule ID to level")
	}
	for _, m := range n.Children {
		lvl, err := finding.ParseLevel(m.Value)
		if err != nil || m.Kind != source.String {
			return source.Errorf(m.ValuePos(), "severity of %s must be breaking, warning, non-breaking or info", m.Key)
		}
		c.Severity = append(c.Severity, &Severity{Rule: m.Key, Level: lvl, Pos: m.Pos()})
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
	case ig.Reason == "":
		return source.Errorf(ig.Pos, "ignore entry for %s needs a reason", ig.Rule)
	}
	return nil
}

// Notify is the notify: section: a webhook told about approvals and
// rejections in the registry.
type Notify struct {
	Webhook string
	Format  string // "slack" (default) or "cloudevents"
	// AllowLinkLocal lets the webhook reach link-local addresses
	// (169.254.0.0/16, fe80::/10), where cloud metadata services answer.
	AllowLinkLocal bool
	Pos            source.Pos
}

func parseNotify(n *source.Node) (*Notify, error) {
	if n.Kind != source.Object {
		return nil, source.Errorf(n.ValuePos(), "notify must be a mapping like {webhook: https://…, format: slack}")
	}
	out := &Notify{Format: "slack", Pos: n.ValuePos()}
	for _, m := range n.Children {
		switch {
		case m.Key == "allow-link-local":
			if m.Kind != source.Bool {
				return nil, source.Errorf(m.ValuePos(), "notify allow-link-local must be true or false")
			}
			out.AllowLinkLocal = m.Value == "true"
		case m.Kind != source.String:
			return nil, source.Errorf(m.ValuePos(), "notify %s must be a string", source.Truncate(m.Key, 40))
		case m.Key == "webhook":
			if !strings.HasPrefix(m.Value, "https://") && !strings.HasPrefix(m.Value, "http://") {
				return nil, source.Errorf(m.ValuePos(), "notify webhook must be an http(s) URL")
			}
			out.Webhook = m.Value
		case m.Key == "format":
			if m.Value != "slack" && m.Value != "cloudevents" {
				return nil, source.Errorf(m.ValuePos(), "notify format must be slack or cloudevents, not %q", source.Truncate(m.Value, 40))
			}
			out.Format = m.Value
		default:
			return nil, source.Errorf(m.Pos(), "unknown notify key %q (want webhook, format, allow-link-local)", source.Truncate(m.Key, 80))
		}
	}
	if out.Webhook == "" {
		return nil, source.Errorf(out.Pos, "notify needs a webhook URL")
	}
	return out, nil
}
