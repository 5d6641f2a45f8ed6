package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/load"
)

func parseText(t *testing.T, text string) (*Config, error) {
	t.Helper()
	f, err := load.ParseFile(".relay.yaml", []byte(text))
	require.NoError(t, err)
	return parse(f)
}

func TestParseErrors(t *testing.T) {
	for text, want := range map[string]string{
		"ignore: {}\n":                                ".relay.yaml:1:9: ignore must be a list",
		"ignore:\n  - rule: operation-removed\n":      ".relay.yaml:2:5: ignore entry for operation-removed needs a reason",
		"severity:\n  operation-removed: fatal\n":     ".relay.yaml:2:22: severity of operation-removed must be breaking, warning, non-breaking or info",
		"fail-on: info\n":                             `.relay.yaml:1:10: fail-on must be breaking or warning, not "info"`,
		"colour: red\n":                               `.relay.yaml:1:1: unknown key "colour" (want contracts, ignore, severity, fail-on, stability, deprecation, baseline, notify or approvals)`,
		"approvals: true\n":                           ".relay.yaml:1:12: approvals must be a mapping like {require-signature: true, allowed-signers: .relay/allowed_signers}",
		"approvals: {require-signature: \"no\"}\n":    ".relay.yaml:1:32: approvals.require-signature must be true or false",
		"approvals: {allowed-signers: 3}\n":           ".relay.yaml:1:30: approvals.allowed-signers must be a file path",
		"approvals: {reviewers: x}\n":                 `.relay.yaml:1:13: unknown approvals key "reviewers" (want require-signature, allowed-signers)`,
		"stability: {beta: lenient}\n":                ".relay.yaml:1:19: stability.beta must be breaking, warning, non-breaking or info",
		"stability: {alpha: info}\n":                  `.relay.yaml:1:13: unknown stability key "alpha" (want beta; draft and alpha changes are always info)`,
		"deprecation: {min-days: \"90\"}\n":           ".relay.yaml:1:25: deprecation.min-days must be a whole number of days between 0 and 36500",
		"deprecation: {min-days: -1}\n":               ".relay.yaml:1:25: deprecation.min-days must be a whole number of days between 0 and 36500",
		"deprecation: [90]\n":                         ".relay.yaml:1:14: deprecation must be a mapping like {min-days: 90}",
		"notify: {webhook: ftp://x}\n":                ".relay.yaml:1:19: notify webhook must be an http(s) URL",
		"notify: {format: slack}\n":                   ".relay.yaml:1:9: notify needs a webhook URL",
		"notify: {webhook: https://x, format: xml}\n": `.relay.yaml:1:38: notify format must be slack or cloudevents, not "xml"`,
		"ignore:\n  - rule: operation-removed\n    reason: r\n    until: soon\n": `.relay.yaml:4:12: ignore until must be a date like 2026-12-31, not "soon"`,
	} {
		_, err := parseText(t, text)
		if assert.Error(t, err, text) {
			assert.Equal(t, want, err.Error(), text)
		}
	}
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

// TestRuleIDsAreNotCheckedHere: config is plain data. A rule ID the
// catalog does not know still parses (the compare pipeline rejects it), so
// a command that only needs the notify: section never fails on it.
func TestRuleIDsAreNotCheckedHere(t *testing.T) {
	cfg, err := parseText(t, "ignore:\n  - rule: x-y\n    reason: r\nseverity:\n  no-such-rule: info\nnotify: {webhook: https://x/y}\n")
	require.NoError(t, err)
	assert.Equal(t, "x-y", cfg.Ignores[0].Rule)
	assert.Equal(t, "no-such-rule", cfg.Severity[0].Rule)
	assert.Equal(t, "https://x/y", cfg.Notify.Webhook)
}

func TestApprovals(t *testing.T) {
	cfg, err := parseText(t, "approvals: {require-signature: false, allowed-signers: keys/signers}\n")
	require.NoError(t, err)
	require.NotNil(t, cfg.Approvals.RequireSignature)
	assert.False(t, *cfg.Approvals.RequireSignature)
	assert.Equal(t, "keys/signers", cfg.Approvals.AllowedSigners)
	cfg, err = parseText(t, "approvals: {}\n")
	require.NoError(t, err)
	assert.Nil(t, cfg.Approvals.RequireSignature, "unset is neither true nor false")
}

// TestNotifyAllowLinkLocal: the opt-in is a boolean, off by default.
func TestNotifyAllowLinkLocal(t *testing.T) {
	cfg, err := parseText(t, "notify: {webhook: https://x/y}\n")
	require.NoError(t, err)
	assert.False(t, cfg.Notify.AllowLinkLocal)
	cfg, err = parseText(t, "notify: {webhook: http://169.254.169.254/x, allow-link-local: true}\n")
	require.NoError(t, err)
	assert.True(t, cfg.Notify.AllowLinkLocal)
	_, err = parseText(t, "notify: {webhook: https://x/y, allow-link-local: 'yes'}\n")
	assert.ErrorContains(t, err, "notify allow-link-local must be true or false")
}
