package cli

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestGenerations(t *testing.T) {
	for suffix, want := range map[string]int{"": 0, "~": 1, "^": 1, "~3": 3, "^2": 1, "~2^": 3, "^^~": 3, "~10": 10} {
		if got := generations(suffix); got != want {
			t.Errorf("generations(%q) = %d, want %d", suffix, got, want)
		}
	}
}

// newTestRepo makes a git repository with two commits under a temp dir:
// c1 has docs/api.yaml and docs/schemas/pet.yaml, c2 changes pet.yaml.
func newTestRepo(t *testing.T) gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("HOME", dir)
	t.Setenv("GIT_AUTHOR_NAME", "t")
	t.Setenv("GIT_AUTHOR_EMAIL", "t@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "t")
	t.Setenv("GIT_COMMITTER_EMAIL", "t@example.com")
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := gitRepo{dir: dir}
	mustGit := func(args ...string) {
		if _, err := g.run(args...); err != nil {
			t.Fatal(err)
		}
	}
	mustGit("init", "-q")
	write("docs/api.yaml", "openapi: 3.0.3\n")
	write("docs/schemas/pet.yaml", "type: object\n")
	write("docs/odd name\tx.yaml", "odd: true\n")
	write("docs/new\nline.yaml", "odd: true\n")
	mustGit("add", "-A")
	mustGit("commit", "-q", "-m", "c1")
	write("docs/schemas/pet.yaml", "type: string\n")
	mustGit("commit", "-q", "-am", "c2")
	mustGit("remote", "add", "upstream", "https://example.invalid/x.git")
	return g
}

func TestGitFS(t *testing.T) {
	g := newTestRepo(t)
	commit, err := g.resolve("HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	fsys := &gitFS{repo: g, commit: commit, dir: "docs"}
	if err := fstest.TestFS(fsys, "api.yaml", "schemas/pet.yaml", "odd name\tx.yaml", "new\nline.yaml"); err != nil {
		t.Fatal(err)
	}
	// The sibling comes from the same commit, not from the work tree or HEAD.
	b, err := fs.ReadFile(fsys, "schemas/pet.yaml")
	if err != nil || string(b) != "type: object\n" {
		t.Fatalf("schemas/pet.yaml at HEAD~1 = %q, %v; want the c1 content", b, err)
	}
	for _, name := range []string{"missing.yaml", "schemas/missing.yaml"} {
		if _, err := fsys.Open(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) error = %v, want fs.ErrNotExist", name, err)
		}
	}
	if _, err := fsys.Open("../README"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open(../README) error = %v, want fs.ErrInvalid: the FS must not reach above its directory", err)
	}
}

func TestGitResolveErrors(t *testing.T) {
	g := newTestRepo(t)
	// The test repository has a remote, so the revision may just not be
	// fetched yet: the message says how.
	_, err := g.resolve("nope")
	want := `unknown git revision "nope"; if it exists on the remote, fetch it with: git fetch --no-tags upstream nope:nope ` +
		`(in CI, check out the history: actions/checkout needs fetch-depth: 0)`
	if err == nil || err.Error() != want {
		t.Errorf("resolve(nope) error = %v, want %s", err, want)
	}
	if _, err := g.resolve("HEAD~5"); err == nil || !strings.Contains(err.Error(), `unknown git revision "HEAD~5"`) {
		t.Errorf("resolve(HEAD~5) error = %v", err)
	}
}

// TestFetchCommand checks the shallow-clone hints. The script test
// (git.txtar) runs the common ones against a real shallow clone.
func TestFetchCommand(t *testing.T) {
	g := newTestRepo(t) // remote "upstream" only
	sha := strings.Repeat("a", 40)
	for rev, want := range map[string]string{
		"HEAD~3":                  "git fetch --no-tags --deepen=3 upstream",
		"HEAD^":                   "git fetch --no-tags --deepen=1 upstream",
		"release":                 "git fetch --no-tags --depth=1 upstream release:release",
		"release~2":               "git fetch --no-tags --depth=3 upstream release:release",
		"upstream/release":        "git fetch --no-tags --depth=1 upstream +refs/heads/release:refs/remotes/upstream/release",
		"refs/remotes/upstream/x": "git fetch --no-tags --depth=1 upstream +refs/heads/x:refs/remotes/upstream/x",
		"refs/tags/v1.0.0":        "git fetch --no-tags --depth=1 upstream +refs/tags/v1.0.0:refs/tags/v1.0.0",
		"feature/login":           "git fetch --no-tags --depth=1 upstream feature/login:feature/login",
		sha:                       "git fetch --no-tags --depth=1 upstream " + sha,
		"abc1234":                 "git fetch --no-tags --depth=1 upstream <the full SHA of abc1234>",
		"main@{upstream}":         "git fetch --no-tags --unshallow upstream",
	} {
		if got := g.fetchCommand(rev); got != want {
			t.Errorf("fetchCommand(%q)\n got %s\nwant %s", rev, got, want)
		}
	}
}
