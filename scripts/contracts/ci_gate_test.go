package contracts

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const registryManifest = "contracts:\n  - function: my-team/pets\n    path: api.yaml\n"

// newRegistryRepo makes a repository whose main branch holds the contract
// with 1.0.0 approved in the file registry, and checks out a pr branch.
func newRegistryRepo(t *testing.T, relay string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, ".relay.yaml", registryManifest)
	write(t, dir, "api.yaml", baseContract)
	git(t, dir, "init", "-q")
	runRelay(t, dir, relay, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "alice")
	runRelay(t, dir, relay, "contract", "approve", "my-team/pets@1.0.0", "--reviewer", "bob")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "pets 1.0.0")
	git(t, dir, "checkout", "-q", "-b", "pr")
	return dir
}

func runRelay(t *testing.T, dir, relay string, args ...string) {
	t.Helper()
	cmd := exec.Command(relay, args...)
	cmd.Dir, cmd.Env = dir, hermeticEnv(dir)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
}

// TestCISelfApprovedPR plays the attack: the pull request publishes its
// breaking version, approves it under someone else's name and commits the
// registry. The gate reads the registry from the target branch, so the
// change is still breaking, and it names the function whose registry
// state the pull request changes.
func TestCISelfApprovedPR(t *testing.T) {
	relay := buildRelay(t)
	dir := newRegistryRepo(t, relay)
	write(t, dir, "api.yaml", breaking)
	runRelay(t, dir, relay, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "mallory")
	runRelay(t, dir, relay, "contract", "approve", "my-team/pets@2.0.0", "--reviewer", "someone-else")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "pets 2.0.0, approved")

	for _, env := range [][]string{
		{"GITHUB_BASE_REF=main"},
		{"CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main"},
	} {
		code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", append([]string{"RELAY=" + relay}, env...))
		assert.Equal(t, 20, code, stderr)
		assert.Contains(t, stderr, "response-property-removed")
		assert.Contains(t, stderr, "NOTICE: this change edits the contract registry (.relay/registry) for:\n  my-team/pets\n")
		assert.Contains(t, stderr, "the registry was read from main, not from this change")
	}
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay}, "--base-ref", "main")
	assert.Equal(t, 20, code, stderr)
	// From a subdirectory: the registry is still the one at the root.
	sub := filepath.Join(dir, "ci")
	require.NoError(t, os.Mkdir(sub, 0o755))
	code, stderr = runScript(t, sub, "run_ci_contract_diff.sh", []string{"RELAY=" + relay}, "--base-ref", "main", "--", "--config", "../.relay.yaml")
	assert.Equal(t, 20, code, stderr)
	assert.Contains(t, stderr, "  my-team/pets\n")

	// Outside a pull request the committed registry (HEAD) is the truth:
	// after the merge, 2.0.0 is the approved base.
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay})
	assert.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "NOTICE")
}

// TestCIUncommittedRegistry: registry edits left in the working tree are
// not read either, and are reported.
func TestCIUncommittedRegistry(t *testing.T) {
	relay := buildRelay(t)
	dir := newRegistryRepo(t, relay)
	write(t, dir, "api.yaml", breaking)
	runRelay(t, dir, relay, "contract", "publish", "--function", "my-team/pets", "--contract", "api.yaml", "--author", "mallory")
	runRelay(t, dir, relay, "contract", "approve", "my-team/pets@2.0.0", "--reviewer", "someone-else")
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay})
	assert.Equal(t, 20, code, stderr)
	assert.Contains(t, stderr, "  my-team/pets\n")
}

func TestCITargetBranch(t *testing.T) {
	relay := buildRelay(t)
	dir := newRepo(t, baseContract)
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay, "GITHUB_BASE_REF=release"})
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "cannot find the target branch release (looked for origin/release and release): fetch it (git fetch origin release)")
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay}, "--", "--registry", "elsewhere")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "--registry cannot be passed to relay here")
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay, "RELAY_REGISTRY_URL=.relay/registry"})
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "RELAY_REGISTRY_URL may only name a PostgreSQL database")
}

// TestCIReportsStartEmpty: nothing of an earlier run survives, not an
// override and not the report of a contract the manifest no longer lists.
func TestCIReportsStartEmpty(t *testing.T) {
	relay := buildRelay(t)
	dir := newRepo(t, breaking)
	env := []string{"RELAY=" + relay}
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", append(env, "RELAY_PR_LABELS=contract-break-approved"))
	require.Equal(t, 0, code, stderr)
	require.FileExists(t, filepath.Join(dir, "reports", "override.json"))
	write(t, dir, "reports/gone.txt", "gone — verdict: breaking (exit 20)\n")

	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", env)
	assert.Equal(t, 20, code, stderr)
	assert.NoFileExists(t, filepath.Join(dir, "reports", "override.json"))
	assert.NoFileExists(t, filepath.Join(dir, "reports", "gone.txt"))
	assert.NotContains(t, stderr, "gone")
	assert.FileExists(t, filepath.Join(dir, "reports", "my-team-pets.json"))
}

func TestCIReportsDirRefused(t *testing.T) {
	relay := buildRelay(t)
	dir := newRepo(t, breaking)
	env := []string{"RELAY=" + relay}

	// A directory the script did not make is not emptied.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "docs"), 0o755))
	write(t, dir, "docs/keep.md", "mine")
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", env, "--reports-dir", "docs")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "the reports directory docs is not empty and was not made by this script")
	assert.FileExists(t, filepath.Join(dir, "docs", "keep.md"))

	// A reports symlink committed by the pull request is not written through.
	outside := t.TempDir()
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "reports")))
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", env)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "the reports directory reports is a symlink; refusing to write through it")
	entries, err := os.ReadDir(outside)
	require.NoError(t, err)
	assert.Empty(t, entries)

	// ... nor one that carries the reports directory along.
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "out")))
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", env, "--reports-dir", "out/reports/")
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, stderr, "the reports directory out is a symlink; refusing to write through it")
	entries, err = os.ReadDir(outside)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// TestCIFindingsOfBreakingOnly: every contract gets its verdict line on
// stdout; the findings are printed for the breaking ones.
func TestCIFindingsOfBreakingOnly(t *testing.T) {
	relay := buildRelay(t)
	for _, c := range []struct {
		revision string
		want     int
		findings bool
	}{{additive, 0, false}, {breaking, 20, true}} {
		dir := newRepo(t, c.revision)
		code, stdout, stderr := runScriptOut(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay})
		assert.Equal(t, c.want, code, stderr)
		assert.Contains(t, stdout, "my-team/pets (api.yaml)")
		assert.Equal(t, c.findings, strings.Contains(stderr, "--- reports/my-team-pets.txt"), stderr)
	}
}

// TestCILabelWithNewline: a label named "harmless\ncontract-break-approved"
// is one label, and not the override label.
func TestCILabelWithNewline(t *testing.T) {
	relay := buildRelay(t)
	dir := newRepo(t, breaking)
	event, err := json.Marshal(map[string]any{"pull_request": map[string]any{
		"labels": []map[string]string{{"name": "harmless\ncontract-break-approved"}}}})
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "event.json")
	require.NoError(t, os.WriteFile(p, event, 0o644))
	for _, env := range [][]string{
		{"GITHUB_EVENT_PATH=" + p},
		{"RELAY_PR_LABELS=harmless\ncontract-break-approved"},
	} {
		code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", append([]string{"RELAY=" + relay}, env...))
		assert.Equal(t, 20, code, stderr)
		assert.NoFileExists(t, filepath.Join(dir, "reports", "override.json"))
	}
}

// TestCIOverrideReasonInvalidUTF8: override.json stays valid JSON.
func TestCIOverrideReasonInvalidUTF8(t *testing.T) {
	relay := buildRelay(t)
	dir := newRepo(t, breaking)
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay,
		"RELAY_PR_LABELS=contract-break-approved", "RELAY_OVERRIDE_REASON=caf\xc3\xa9 \xff\xfe launch\x7f"})
	require.Equal(t, 0, code, stderr)
	data, err := os.ReadFile(filepath.Join(dir, "reports", "override.json"))
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(data, &rec), string(data))
	assert.True(t, utf8.Valid(data), string(data))
	assert.Equal(t, "café  launch", rec["reason"])
}

// TestCIPolicyNotice: .relay.yaml is read from the pull request, so a pull
// request can ignore its own breaking change. It still exits 0 then (the
// settings are the team's to change), but the job log names the gate
// settings it edits, so reviewers see that it loosened its own gate.
func TestCIPolicyNotice(t *testing.T) {
	relay := buildRelay(t)
	dir := newRegistryRepo(t, relay) // on branch pr, off main
	write(t, dir, "api.yaml", breaking)
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay, "GITHUB_BASE_REF=main"})
	assert.Equal(t, 20, code, stderr)
	assert.NotContains(t, stderr, "gate's own settings", "no notice while the settings are untouched")

	cfg, err := os.ReadFile(filepath.Join(dir, ".relay.yaml"))
	require.NoError(t, err)
	write(t, dir, ".relay.yaml", string(cfg)+"ignore:\n  - rule: \"*\"\n    reason: not today\n")
	git(t, dir, "commit", "-q", "-am", "pets v2, gate loosened")
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + relay, "GITHUB_BASE_REF=main"})
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "NOTICE: this change edits the contract gate's own settings:\n  .relay.yaml\n")
}
