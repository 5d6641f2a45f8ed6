// Package contracts tests the CI and pre-commit scripts beside it: each test
// builds relay, makes a throwaway git repository and runs the script the way
// CI would, checking exit codes and the files it leaves.
package contracts

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const baseContract = `openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      responses:
        '200':
          description: the pets
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  tag: {type: string}
`

// additive adds an operation; breaking drops a response property clients read.
var (
	additive = baseContract + `  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: one pet}
`
	breaking = strings.Replace(baseContract, "                  tag: {type: string}\n", "", 1)
)

const manifest = "contracts:\n  - function: my-team/pets\n    path: api.yaml\n    base: main\n"

func TestCIScript(t *testing.T) {
	relay := buildRelay(t)
	event := `{"pull_request": {"number": 7, "labels": [{"name": "docs"}, {"name": "Contract-Break-Approved"}]}}`
	for _, c := range []struct {
		name, revision string
		args, env      []string
		event          string
		want           int
		override       bool
	}{
		{name: "no change", revision: baseContract, want: 0},
		{name: "additive", revision: additive, want: 0},
		{name: "breaking", revision: breaking, want: 20},
		{name: "breaking, other labels", revision: breaking, env: []string{"RELAY_PR_LABELS=docs,approved"}, want: 20},
		{name: "breaking, label from RELAY_PR_LABELS", revision: breaking, args: []string{"--override-label", "api-break-ok"},
			env: []string{"RELAY_PR_LABELS=docs, api-break-ok ", "RELAY_OVERRIDE_REASON=v2 \"launch\""}, want: 0, override: true},
		{name: "breaking, label from GITHUB_EVENT_PATH", revision: breaking, event: event, want: 0, override: true},
		{name: "bad input is never overridden", revision: "openapi: 3.0.3\ninfo: [", env: []string{"RELAY_PR_LABELS=contract-break-approved"}, want: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := newRepo(t, c.revision)
			env := append([]string{"RELAY=" + relay}, c.env...)
			if c.event != "" {
				p := filepath.Join(t.TempDir(), "event.json")
				require.NoError(t, os.WriteFile(p, []byte(c.event), 0o644))
				env = append(env, "GITHUB_EVENT_PATH="+p)
			}
			code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", env, c.args...)
			assert.Equal(t, c.want, code, stderr)
			if c.want != 1 {
				for _, ext := range []string{".json", ".md", ".sarif", ".txt"} {
					assert.FileExists(t, filepath.Join(dir, "reports", "my-team-pets"+ext))
				}
				assert.FileExists(t, filepath.Join(dir, "reports", "summary.json"))
			}
			checkOverride(t, dir, c.override, stderr)
			if c.revision == breaking {
				assert.Contains(t, stderr, "response-property", "findings are printed, overridden or not")
			}
		})
	}
}

func checkOverride(t *testing.T, dir string, want bool, stderr string) {
	t.Helper()
	p := filepath.Join(dir, "reports", "override.json")
	if !want {
		assert.NoFileExists(t, p)
		return
	}
	data, err := os.ReadFile(p)
	require.NoError(t, err)
	var rec map[string]any
	require.NoError(t, json.Unmarshal(data, &rec), string(data))
	assert.Equal(t, "breaking", rec["verdict"])
	assert.NotEmpty(t, rec["label"])
	assert.Contains(t, stderr, "BREAKING CONTRACT CHANGES ALLOWED")
	if strings.Contains(stderr, "reason:") {
		assert.Equal(t, `v2 "launch"`, rec["reason"])
	}
}

// TestCIScriptWithoutRelay: a missing binary is exit 1 with a message saying
// how to get one, whether RELAY names it or PATH lacks it.
func TestCIScriptWithoutRelay(t *testing.T) {
	dir := newRepo(t, baseContract)
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", []string{"RELAY=" + filepath.Join(dir, "no-relay")})
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "relay not found")
	code, stderr = runScript(t, dir, "run_ci_contract_diff.sh", []string{"PATH=" + t.TempDir()})
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "relay not found")
}

func TestCIScriptUsage(t *testing.T) {
	dir := newRepo(t, baseContract)
	code, stderr := runScript(t, dir, "run_ci_contract_diff.sh", nil, "--frob")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unknown argument: --frob")
}

// built is the relay binary shared by every test of this package: building
// it once spares the machine a link per test.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		_ = os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildRelay builds the real binary once per test binary run.
func buildRelay(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"bash", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "relay-scripts-test"); built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "relay")
		cmd := exec.Command("go", "build", "-o", built.path, "github.com/relay-dev/relay/cmd/relay")
		if b, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("%w: %s", err, b)
		}
	})
	require.NoError(t, built.err)
	return built.path
}

// newRepo makes a repository whose main branch holds the base contract and
// the manifest, then puts revision in the working tree.
func newRepo(t *testing.T, revision string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, ".relay.yaml", manifest)
	write(t, dir, "api.yaml", baseContract)
	git(t, dir, "init", "-q")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")
	write(t, dir, "api.yaml", revision)
	return dir
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, hermeticEnv(dir)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
}

// hermeticEnv keeps the machine's git configuration and the CI's own
// GitHub variables out of the tests.
func hermeticEnv(home string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GIT_") || strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RELAY") || k == "HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Relay Test", "GIT_AUTHOR_EMAIL=relay@example.com",
		"GIT_COMMITTER_NAME=Relay Test", "GIT_COMMITTER_EMAIL=relay@example.com",
		"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=init.defaultBranch", "GIT_CONFIG_VALUE_0=main")
}

// runScript runs a script of this directory in dir and returns its exit
// code and stderr. Later env entries win, so a test can replace PATH.
func runScript(t *testing.T, dir, script string, env []string, args ...string) (int, string) {
	t.Helper()
	code, _, stderr := runScriptOut(t, dir, script, env, args...)
	return code, stderr
}

// runScriptOut is runScript that also returns stdout.
func runScriptOut(t *testing.T, dir, script string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	require.NoError(t, err)
	abs, err := filepath.Abs(script)
	require.NoError(t, err)
	cmd := exec.Command(bash, append([]string{abs}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(hermeticEnv(dir), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String(), errOut.String()
	}
	require.NoError(t, err)
	return -1, "", ""
}
