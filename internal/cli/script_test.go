package cli_test

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/relay-dev/relay/internal/cli"
	"github.com/relay-dev/relay/internal/iostreams"
)

var update = flag.Bool("update", false, "rewrite cmp targets inside the txtar scripts")

// TestMain makes the test binary double as the relay binary: testscript
// puts a copy named "relay" on the scripts' PATH, and running it lands in
// cli.Main, so the scripts exercise the real command, exit codes included,
// without a separate build.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"relay": func() { os.Exit(cli.Main(os.Args[1:], iostreams.System())) },
	})
}

// TestScripts runs testdata/script/*.txtar. Besides the standard commands
// they have relay-exit CODE ARGS…, which runs relay and insists on the
// exact exit code (`! exec` only says "non-zero", which cannot tell a
// breaking verdict from a crash).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		Setup:               setupScriptEnv,
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"relay-exit": cmdRelayExit},
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
	})
}

// setupScriptEnv makes git hermetic: no user or system config, a fixed
// identity and dates (so commit SHAs are stable), and main as the initial
// branch whatever the machine's git defaults to.
func setupScriptEnv(env *testscript.Env) error {
	for k, v := range map[string]string{
		"HOME":                env.WorkDir,
		"XDG_CONFIG_HOME":     filepath.Join(env.WorkDir, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1",
		// A $WORK inside some checkout must still look like no repository.
		"GIT_CEILING_DIRECTORIES": filepath.Dir(env.WorkDir),
		"GIT_AUTHOR_NAME":         "Relay Test",
		"GIT_AUTHOR_EMAIL":        "relay@example.com",
		"GIT_AUTHOR_DATE":         "2026-01-02T03:04:05Z",
		"GIT_COMMITTER_NAME":      "Relay Test",
		"GIT_COMMITTER_EMAIL":     "relay@example.com",
		"GIT_COMMITTER_DATE":      "2026-01-02T03:04:05Z",
		"GIT_CONFIG_COUNT":        "2",
		"GIT_CONFIG_KEY_0":        "init.defaultBranch",
		"GIT_CONFIG_VALUE_0":      "main",
		"GIT_CONFIG_KEY_1":        "advice.detachedHead",
		"GIT_CONFIG_VALUE_1":      "false",
		"NO_COLOR":                "",
		"RELAY_DEBUG":             "",
	} {
		env.Setenv(k, v)
	}
	return nil
}

// cmdRelayExit implements `relay-exit CODE ARGS…`.
func cmdRelayExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("relay-exit takes no '!': its first argument is the expected exit code")
	}
	if len(args) < 1 {
		ts.Fatalf("usage: relay-exit CODE [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("relay-exit: %q is not an exit code", args[0])
	}
	got := 0
	if err := ts.Exec("relay", args[1:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("relay-exit: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("relay exited %d, want %d", got, want)
	}
}
