package check

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/rules"
)

func parsePolicy(t *testing.T, text string) (*Policy, error) {
	t.Helper()
	cfg, err := config.Parse(".relay.yaml", []byte(text))
	require.NoError(t, err)
	return NewPolicy(cfg)
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
	pol, err := parsePolicy(t, `ignore:
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
	kept, stale, err := pol.Apply(in, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.Len(t, kept, 2)
	assert.Equal(t, "GET /stores", kept[0].Operation)
	assert.Equal(t, finding.Breaking, kept[1].Level, "severity override")
	require.Len(t, stale, 1)
	assert.Equal(t, "operation-removed", stale[0].Rule)
}

func TestExpiredIgnoreIsAnError(t *testing.T) {
	pol, err := parsePolicy(t, "ignore:\n  - rule: operation-removed\n    reason: x\n    until: 2026-11-23\n")
	require.NoError(t, err)
	_, _, err = pol.Apply(nil, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	require.Error(t, err)
	assert.Equal(t, ".relay.yaml:2:5: ignore for operation-removed expired on 2026-11-23; remove it or extend until", err.Error())
	_, _, err = pol.Apply(nil, time.Date(2026, 11, 23, 23, 0, 0, 0, time.UTC))
	assert.NoError(t, err, "the until day itself still applies")
}

func TestPolicyOptions(t *testing.T) {
	pol, err := parsePolicy(t, "stability:\n  beta: info\ndeprecation:\n  min-days: 180\n")
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	opts := pol.RulesOptions(now)
	assert.Equal(t, finding.Info, opts.BetaLevel)
	assert.Equal(t, 180, opts.MinDeprecationDays)
	assert.Equal(t, now, opts.Now)
	none, err := NewPolicy(nil)
	require.NoError(t, err)
	assert.Zero(t, none.RulesOptions(now).MinDeprecationDays, "no file, no policy")
}

func TestBaselineRoundTrip(t *testing.T) {
	in := []finding.Change{
		change("response-property-removed", "GET /pets/{id}", "/components/schemas/Pet/properties/tag", finding.Breaking),
		change("operation-removed", "DELETE /pets/{id}", "/paths/~1pets~1{id}/delete", finding.Breaking),
	}
	var buf bytes.Buffer
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	require.NoError(t, config.WriteBaseline(&buf, in, now))
	assert.Contains(t, buf.String(), "baseline of 2026-11-24")
	pol, err := parsePolicy(t, buf.String())
	require.NoError(t, err)
	kept, stale, err := pol.Apply(in, now)
	require.NoError(t, err)
	assert.Empty(t, kept)
	assert.Empty(t, stale)
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
	pol, err := parsePolicy(t, "ignore:\n  - rule: response-field-dropped\n    reason: legacy\nseverity:\n  response-field-dropped: info\n")
	require.NoError(t, err)
	require.Len(t, pol.Notices, 2)
	assert.Equal(t, ".relay.yaml:2:5: rule response-field-dropped was retired in relay 0.3.0 (renamed); "+
		"this entry now applies to response-property-removed: name them instead", pol.Notices[0])
	assert.Equal(t, finding.Info, pol.severity["response-property-removed"])
	kept, stale, err := pol.Apply([]finding.Change{
		change("response-property-removed", "GET /pets", "/components/schemas/Pet/properties/a", finding.Breaking),
	}, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Empty(t, kept, "the ignore applies to the replacement")
	assert.Empty(t, stale)
}

func TestUnknownRuleIDsAreErrorsAtTheirLine(t *testing.T) {
	for text, want := range map[string]string{
		"ignore:\n  - rule: x-y\n    reason: r\n":                        `.relay.yaml:2:5: ignore entry names unknown rule "x-y"`,
		"severity:\n  no-such-rule: info\n":                              `.relay.yaml:2:3: severity names unknown rule "no-such-rule"`,
		"severity:\n  nope: info\nignore:\n  - {rule: x-y, reason: r}\n": `.relay.yaml:2:3: severity names unknown rule "nope"`,
		"ignore:\n  - {rule: x-y, reason: r}\nseverity:\n  nope: info\n": `.relay.yaml:2:5: ignore entry names unknown rule "x-y"`,
	} {
		_, err := parsePolicy(t, text)
		if assert.Error(t, err, text) {
			assert.Equal(t, want, err.Error(), text)
		}
	}
}

// TestRunsCountMatchesOnTheirOwn: one compiled policy serves concurrent
// runs (--all); an ignore that matched in one run is still stale in a run
// where it matched nothing.
func TestRunsCountMatchesOnTheirOwn(t *testing.T) {
	pol, err := parsePolicy(t, "ignore:\n  - {rule: operation-removed, operation: 'GET /a', reason: r}\n")
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	hit := []finding.Change{change("operation-removed", "GET /a", "/paths/~1a/get", finding.Breaking)}
	kept, stale, err := pol.Apply(hit, now)
	require.NoError(t, err)
	assert.Empty(t, kept)
	assert.Empty(t, stale)
	_, stale, err = pol.Apply(nil, now)
	require.NoError(t, err)
	assert.Len(t, stale, 1, "the first run's match must not leak into the second")
}

func TestFailOnPrecedence(t *testing.T) {
	pol, err := parsePolicy(t, "fail-on: warning\n")
	require.NoError(t, err)
	assert.Equal(t, finding.Warning, pol.FailOn(finding.Breaking, false), "the file beats the flag's default")
	assert.Equal(t, finding.Breaking, pol.FailOn(finding.Breaking, true), "an explicit flag beats the file")
	none, err := NewPolicy(nil)
	require.NoError(t, err)
	assert.Equal(t, finding.Breaking, none.FailOn(finding.Breaking, false))
}
