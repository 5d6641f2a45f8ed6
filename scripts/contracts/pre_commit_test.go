package contracts

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPreCommit runs the hook's entry script as pre-commit would: from the
// repository root, with the changed files as arguments.
func TestPreCommit(t *testing.T) {
	relay := buildRelay(t)
	env := []string{"RELAY=" + relay}
	for _, c := range []struct {
		name     string
		revision string
		args     []string
		want     int
		stderr   string
	}{
		{name: "unchanged", revision: baseContract, args: []string{"api.yaml"}, want: 0},
		{name: "additive", revision: additive, args: []string{"api.yaml"}, want: 0},
		{name: "breaking", revision: breaking, args: []string{"api.yaml"}, want: 20, stderr: "breaking contract changes"},
		{name: "relay args before --", revision: additive, args: []string{"--fail-on", "warning", "--format", "text", "--", "api.yaml"}, want: 0},
		{name: "file of no contract skipped", revision: baseContract, args: []string{"new.yaml"}, want: 0, stderr: "relay: new.yaml belongs to no contract of .relay.yaml; skipped"},
		{name: "breaking and new", revision: breaking, args: []string{"new.yaml", "api.yaml"}, want: 20},
		{name: "bad input", revision: "openapi: 3.0.3\ninfo: [", args: []string{"api.yaml"}, want: 1},
		{name: "no files", revision: breaking, want: 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := newRepo(t, c.revision)
			write(t, dir, "new.yaml", additive)
			code, stderr := runScript(t, dir, "pre_commit.sh", env, c.args...)
			assert.Equal(t, c.want, code, stderr)
			assert.Contains(t, stderr, c.stderr)
		})
	}
}

func TestPreCommitWithoutRelay(t *testing.T) {
	dir := newRepo(t, breaking)
	code, stderr := runScript(t, dir, "pre_commit.sh", []string{"PATH=" + t.TempDir()}, "api.yaml")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "relay not found")
}

const refManifest = `contracts:
  - function: my-team/payments
    path: payments.yml
  - path: "git:orders.yml"
    base: main
`

const payments = `openapi: 3.0.3
info: {title: Payments, version: 1.0.0}
paths:
  /charges:
    get:
      responses:
        '200':
          description: a charge
          content:
            application/json:
              schema: {$ref: 'schemas/charge.yml'}
`

const charge = "type: object\nproperties:\n  id: {type: string}\n  amount: {type: integer}\n"

// newRefRepo commits a manifest whose payments contract $refs
// schemas/charge.yml, and an orders contract whose name starts with git:.
func newRefRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "schemas"), 0o755))
	write(t, dir, ".relay.yaml", refManifest)
	write(t, dir, "payments.yml", payments)
	write(t, dir, "schemas/charge.yml", charge)
	write(t, dir, "git:orders.yml", baseContract)
	write(t, dir, "README.md", "docs\n")
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	return dir
}

// TestPreCommitRefdFile: staging only a $ref'd schema checks the contract
// that uses it, against HEAD; a file of no contract is skipped with a
// notice; a contract named git:… is a path, not a base spec.
func TestPreCommitRefdFile(t *testing.T) {
	relay := buildRelay(t)
	env := []string{"RELAY=" + relay}
	dir := newRefRepo(t)
	write(t, dir, "schemas/charge.yml", "type: object\nproperties:\n  id: {type: string}\n")
	code, stderr := runScript(t, dir, "pre_commit.sh", env, "schemas/charge.yml", "README.md")
	assert.Equal(t, 20, code, stderr)
	assert.Contains(t, stderr, "response-property-removed")
	assert.Contains(t, stderr, "my-team/payments (payments.yml)")
	assert.Contains(t, stderr, "relay: README.md belongs to no contract of .relay.yaml; skipped\n")
	assert.NotContains(t, stderr, "kind marker")

	code, stderr = runScript(t, dir, "pre_commit.sh", env, "README.md")
	assert.Equal(t, 0, code, stderr)

	write(t, dir, "git:orders.yml", breaking)
	code, stderr = runScript(t, dir, "pre_commit.sh", env, "git:orders.yml")
	assert.Equal(t, 20, code, stderr)
	assert.Contains(t, stderr, "git:orders.yml")
}

// TestPreCommitNewContract: a manifest contract with no version at HEAD
// is an addition and passes.
func TestPreCommitNewContract(t *testing.T) {
	relay := buildRelay(t)
	dir := newRefRepo(t)
	write(t, dir, ".relay.yaml", refManifest+"  - path: new.yml\n    base: main\n")
	write(t, dir, "new.yml", additive)
	code, stderr := runScript(t, dir, "pre_commit.sh", []string{"RELAY=" + relay}, "new.yml", ".relay.yaml")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "contract-added")
}

// TestPreCommitOddNames: without a manifest each file is a contract, and
// names that start with git: or registry: or hold a newline are paths.
func TestPreCommitOddNames(t *testing.T) {
	relay := buildRelay(t)
	env := []string{"RELAY=" + relay}
	for _, name := range []string{"git:api.yaml", "registry:api.yaml", "odd\nname.yaml"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, name, baseContract)
			git(t, dir, "init", "-q")
			git(t, dir, "add", "-A")
			git(t, dir, "commit", "-q", "-m", "base")
			code, stderr := runScript(t, dir, "pre_commit.sh", env, name)
			assert.Equal(t, 0, code, stderr)
			write(t, dir, name, breaking)
			code, stderr = runScript(t, dir, "pre_commit.sh", env, name)
			assert.Equal(t, 20, code, stderr)
			assert.Contains(t, stderr, "response-property-removed")
		})
	}
}
