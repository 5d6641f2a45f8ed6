package contracts

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
		{name: "new file skipped", revision: baseContract, args: []string{"new.yaml"}, want: 0, stderr: "new.yaml: new file (no version at HEAD)"},
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
