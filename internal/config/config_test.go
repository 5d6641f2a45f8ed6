package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/rules"
)

func parseText(t *testing.T, text string) (*Config, error) {
	t.Helper()
	f, err := load.ParseFile(".relay.yaml", []byte(text))
	require.NoError(t, err)
	return parse(f)
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		glob, s string
		want    bool
	}{
		{"DELETE /pets/{petId}", "DELETE /pets/{petId}", true},
		{"DELETE /pets/{petId}", "DELETE /pets/{id}", false},
		{"GET /pets/*", "GET /pets/{id}", true},
		{"GET /pets/*", "GET /pets/{id}/toys", false},
		{"GET /pets/**", "GET /pets/{id}/toys", true},
		{"/components/schemas/Pet/**", "/components/schemas/Pet/properties/tag", true},
		{"/components/schemas/Pet/**", "/components/schemas/Pets/properties/tag", false},
		{"a.b", "axb", false},
	} {
		assert.Equal(t, c.want, diff.CompileGlob(c.glob).MatchString(c.s), "%q ~ %q", c.glob, c.s)
	}
}

func change(id, op, ptr string, lvl finding.Level) finding.Change {
	return finding.Change{ID: id, Level: lvl, Operation: op, Pointer: ptr, Affects: []string{op}}
}

func TestApply(t *testing.T) {
	cfg, err := parseText(t, `ignore:
  - {rule: response-property-removed, operation: "GET /pets/*", reason: migrated}
  - {rule: "*", pointer: "/components/schemas/Legacy/**", reason: legacy}
  - {rule: operation-removed, reason: never matches}
severity:
  request-property-removed: breaking
`)
	require.NoError(t, err)
	in := []finding.Change{
		change("response-property-removed", "GET /pets/{id}", "/components/schemas/Pet/properties/a", finding.Breaking),
		change("response-property-removed", "GET /stores", "/components/schemas/Store/properties/a", finding.Breaking),
		change("response-property-added", "GET /x", "/components/schemas/Legacy/properties/b", finding.NonBreaking),
		change("request-property-removed", "POST /x", "/components/schemas/In/properties/c", finding.Warning),
	}
	kept, stale, err := cfg.Apply(in, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, kept, 2)
	assert.Equal(t, "GET /stores", kept[0].Operation)
	assert.Equal(t, finding.Breaking, kept[1].Level, "severity override")
	require.Len(t, stale, 1)
	assert.Equal(t, "operation-removed", stale[0].Rule)
}

func TestExpiredIgnoreIsAnError(t *testing.T) {
	cfg, err := parseText(t, "ignore:\n  - rule: operation-removed\n    reason: x\n    until: 2026-11-23\n")
	require.NoError(t, err)
	_, _, err = cfg.Apply(nil, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	require.Error(t, err)
	assert.Equal(t, ".relay.yaml:2:5: ignore for operation-removed expired on 2026-11-23; remove it or extend until", err.Error())
	_, _, err = cfg.Apply(nil, time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC))
	assert.NoError(t, err, "the until day itself still applies")
}

func TestParseErrors(t *testing.T) {
	for text, want := range map[string]string{
		"ignore: {}\n": ".relay.yaml:1:9: ignore must be a list",
		"ignore:\n  - rule: x-y\n    reason: r\n":                                `.relay.yaml:2:5: ignore entry names unknown rule "x-y"`,
		"ignore:\n  - rule: operation-removed\n":                                 ".relay.yaml:2:5: ignore entry for operation-removed needs a reason",
		"severity:\n  operation-removed: fatal\n":                                ".relay.yaml:2:22: severity of operation-removed must be breaking, warning, non-breaking or info",
		"fail-on: info\n":                                                        `.relay.yaml:1:10: fail-on must be breaking or warning, not "info"`,
		"colour: red\n":                                                          `.relay.yaml:1:1: unknown key "colour" (want contracts, ignore, severity, fail-on, stability, deprecation or notify)`,
		"stability: {beta: lenient}\n":                                           ".relay.yaml:1:19: stability.beta must be breaking, warning, non-breaking or info",
		"stability: {alpha: info}\n":                                             `.relay.yaml:1:13: unknown stability key "alpha" (want beta; draft and alpha changes are always info)`,
		"deprecation: {min-days: \"90\"}\n":                                      ".relay.yaml:1:25: deprecation.min-days must be a whole number of days between 0 and 36500",
		"deprecation: {min-days: -1}\n":                                          ".relay.yaml:1:25: deprecation.min-days must be a whole number of days between 0 and 36500",
		"deprecation: [90]\n":                                                    ".relay.yaml:1:14: deprecation must be a mapping like {min-days: 90}",
		"notify: {webhook: ftp://x}\n":                                           ".relay.yaml:1:19: notify webhook must be an http(s) URL",
		"notify: {format: slack}\n":                                              ".relay.yaml:1:9: notify needs a webhook URL",
		"notify: {webhook: https://x, format: xml}\n":                            `.relay.yaml:1:38: notify format must be slack or cloudevents, not "xml"`,
		"ignore:\n  - rule: operation-removed\n    reason: r\n    until: soon\n": `.relay.yaml:4:12: ignore until must be a date like 2026-12-31, not "soon"`,
	} {
		_, err := parseText(t, text)
		if assert.Error(t, err, text) {
			assert.Equal(t, want, err.Error(), text)
		}
	}
}

func TestPolicyOptions(t *testing.T) {
	cfg, err := parseText(t, "stability:\n  beta: info\ndeprecation:\n  min-days: 180\n")
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	opts := cfg.RulesOptions(now)
	assert.Equal(t, finding.Info, opts.BetaLevel)
	assert.Equal(t, 180, opts.MinDeprecationDays)
	assert.Equal(t, now, opts.Now)
	var none *Config
	assert.Zero(t, none.RulesOptions(now).MinDeprecationDays, "no file, no policy")
}

func TestBaselineRoundTrip(t *testing.T) {
	in := []finding.Change{
		change("response-property-removed", "GET /pets/{id}", "/components/schemas/Pet/properties/tag", finding.Breaking),
		change("operation-removed", "DELETE /pets/{id}", "/paths/~1pets~1{id}/delete", finding.Breaking),
	}
	var buf bytes.Buffer
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	require.NoError(t, WriteBaseline(&buf, in, now))
	assert.Contains(t, buf.String(), "baseline of 2026-11-24")
	cfg, err := parseText(t, buf.String())
	require.NoError(t, err)
	kept, stale, err := cfg.Apply(in, now)
	require.NoError(t, err)
	assert.Empty(t, kept)
	assert.Empty(t, stale)
}

// TestExampleMatchesSchema: the documented example config is valid against
// contracts/config.schema.json and loads; a broken one does not validate.
func TestExampleMatchesSchema(t *testing.T) {
	schemaFile, err := os.Open(filepath.Join("..", "..", "contracts", "config.schema.json"))
	require.NoError(t, err)
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("config.schema.json", doc))
	schema, err := c.Compile("config.schema.json")
	require.NoError(t, err)

	example, err := os.ReadFile(filepath.Join("..", "..", "testdata", "examples", "relay.yaml"))
	require.NoError(t, err)
	validate := func(text []byte) error {
		js, err := yaml.YAMLToJSON(text)
		require.NoError(t, err)
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
		require.NoError(t, err)
		return schema.Validate(v)
	}
	assert.NoError(t, validate(example))
	_, err = Load(filepath.Join("..", "..", "testdata", "examples", "relay.yaml"))
	assert.NoError(t, err)
	assert.Error(t, validate([]byte(strings.Replace(string(example), "reason:", "why:", 1))))
}

// TestRetiredRuleIDs: an entry naming a retired rule keeps working for its
// replacements and leaves a notice at its line; no silent breakage.
func TestRetiredRuleIDs(t *testing.T) {
	old := resolveRule
	t.Cleanup(func() { resolveRule = old })
	resolveRule = func(id string) ([]string, *rules.Retired) {
		if id == "response-field-dropped" {
			r := &rules.Retired{ID: id, Replacements: []string{"response-property-removed"}, Since: "0.3.0", Reason: "renamed"}
			return r.Replacements, r
		}
		return old(id)
	}
	cfg, err := parseText(t, "ignore:\n  - rule: response-field-dropped\n    reason: legacy\nseverity:\n  response-field-dropped: info\n")
	require.NoError(t, err)
	require.Len(t, cfg.Notices, 2)
	assert.Equal(t, ".relay.yaml:2:5: rule response-field-dropped was retired in relay 0.3.0 (renamed); "+
		"this entry now applies to response-property-removed: name them instead", cfg.Notices[0])
	assert.Equal(t, finding.Info, cfg.Severity["response-property-removed"])
	kept, stale, err := cfg.Apply([]finding.Change{
		change("response-property-removed", "GET /pets", "/components/schemas/Pet/properties/a", finding.Breaking),
	}, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Empty(t, kept, "the ignore applies to the replacement")
	assert.Empty(t, stale)
}
