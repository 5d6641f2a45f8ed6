package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/load"
)

// gitRepo runs git commands in one directory of a work tree.
type gitRepo struct{ dir string }

// run runs git and returns its stdout. A failure carries git's own message,
// which is the most precise thing relay can say about it.
func (g gitRepo) run(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = g.dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, errors.New("git is not installed (or not on PATH), and a git: base needs it")
		}
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, &gitError{args: args, msg: msg}
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return stdout.Bytes(), nil
}

// gitError is a git command that failed and said why on stderr.
type gitError struct {
	args []string
	msg  string
}

func (e *gitError) Error() string {
	return fmt.Sprintf("git %s failed: %s", e.args[0], strings.TrimPrefix(e.msg, "fatal: "))
}

func (g gitRepo) output(args ...string) (string, error) {
	out, err := g.run(args...)
	return strings.TrimSpace(string(out)), err
}

// gitLoadOptions resolves git:REV[:PATH]. Without PATH the base is the
// revision's own file at REV, found through the repository that holds the
// revision; an explicit PATH is relative to the root of the repository of
// the working directory, as in `git show REV:PATH`. The loader reads the
// file and everything it $refs from that commit, never from the work tree.
func gitLoadOptions(base, rev sideSpec) (load.Options, error) {
	repo := gitRepo{dir: "."}
	if base.Path == "" {
		repo.dir = filepath.Dir(rev.Path)
		if _, err := os.Stat(repo.dir); err != nil {
			return load.Options{}, fmt.Errorf("the revision contract %s does not exist", rev.Path)
		}
	}
	prefix, err := repo.prefix(base.Raw)
	if err != nil {
		return load.Options{}, err
	}
	p := base.Path
	if p == "" {
		p = path.Join(prefix, filepath.Base(rev.Path))
	}
	commit, err := repo.resolve(base.Rev)
	if err != nil {
		return load.Options{}, err
	}
	fsys := &gitFS{repo: repo, commit: commit, dir: path.Dir(p)}
	name := path.Base(p)
	if _, err := fs.Stat(fsys, name); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return load.Options{}, noBaseError{fmt.Errorf("%s does not exist at git revision %s", p, base.Rev)}
		}
		return load.Options{}, err
	}
	return load.Options{FS: fsys, Path: name, Display: "git:" + base.Rev + ":" + p}, nil
}

// prefix returns the directory's path from the repository root ("" at the
// root, else with a trailing slash). Asking git avoids comparing absolute
// paths, which symlinked temp and home directories make unreliable.
func (g gitRepo) prefix(spec string) (string, error) {
	out, err := g.output("rev-parse", "--show-prefix")
	var ge *gitError
	if errors.As(err, &ge) && strings.Contains(ge.msg, "not a git repository") {
		return "", fmt.Errorf("%s needs a git repository, but %s is not inside one", spec, g.displayDir())
	}
	return out, err
}

func (g gitRepo) displayDir() string {
	if g.dir == "." {
		return "the working directory"
	}
	return g.dir
}

// resolve turns a revision into a commit SHA, so that every file of the
// contract is read from the same commit even if a branch moves meanwhile.
func (g gitRepo) resolve(rev string) (string, error) {
	sha, err := g.output("rev-parse", "--verify", "--quiet", rev+"^{commit}")
	if err == nil && sha != "" {
		return sha, nil
	}
	var ge *gitError
	if err != nil && !errors.As(err, &ge) && !isExitError(err) {
		return "", err // git itself is missing or broken
	}
	if g.isShallow() {
		return "", fmt.Errorf("git revision %q is not in this shallow clone; fetch it with: %s", rev, g.fetchCommand(rev))
	}
	return "", g.missingRevision(rev)
}

// missingRevision explains a revision a full clone cannot resolve. Without
// a remote it is simply unknown; with one it may not have been fetched (a
// --single-branch clone, a CI checkout of one ref), so the message says
// how to fetch it.
func (g gitRepo) missingRevision(rev string) error {
	suffix := ancestry.FindString(rev)
	name := strings.TrimSuffix(rev, suffix)
	if len(g.remotes()) == 0 || (suffix != "" && g.resolves(name)) {
		return fmt.Errorf("unknown git revision %q", rev)
	}
	return fmt.Errorf("unknown git revision %q; if it exists on the remote, fetch it with: %s "+
		"(in CI, check out the history: actions/checkout needs fetch-depth: 0)", rev, g.fullFetchCommand(name))
}

// fullFetchCommand is fetchCommand for a clone with its whole history: no
// --depth, which would make it shallow.
func (g gitRepo) fullFetchCommand(name string) string {
	remote := g.remote()
	fetch := "git fetch --no-tags " + remote
	switch {
	case hexRev.MatchString(name) && (len(name) == 40 || len(name) == 64):
		return fetch + " " + name
	case hexRev.MatchString(name), strings.ContainsAny(name, ":@{}") || name == "":
		return "git fetch " + remote
	case strings.HasPrefix(name, "refs/heads/"), strings.HasPrefix(name, "refs/tags/"):
		return fmt.Sprintf("%s +%s:%s", fetch, name, name)
	}
	if r, branch, ok := g.remoteTracking(strings.TrimPrefix(name, "refs/remotes/")); ok {
		return fmt.Sprintf("git fetch --no-tags %s +refs/heads/%s:refs/remotes/%s/%s", r, branch, r, branch)
	}
	return fmt.Sprintf("%s %s:%s", fetch, name, name)
}

func isExitError(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

func (g gitRepo) isShallow() bool {
	out, err := g.output("rev-parse", "--is-shallow-repository")
	return err == nil && out == "true"
}

// ancestry matches the ~N / ^N suffixes of a revision (HEAD~2, main^^).
var ancestry = regexp.MustCompile(`(?:[~^][0-9]*)+$`)

var hexRev = regexp.MustCompile(`^[0-9a-f]{7,64}$`)

// fetchCommand says what makes rev resolvable in a shallow clone. A fetch
// by name lands in FETCH_HEAD only, which `git:main` does not read, so each
// form of revision needs its own destination: a local branch of the same
// name, the remote-tracking ref origin/main reads, or more history below
// the commits already present (HEAD~1).
func (g gitRepo) fetchCommand(rev string) string {
	suffix := ancestry.FindString(rev)
	name := strings.TrimSuffix(rev, suffix)
	gens := generations(suffix)
	remote := g.remote()
	if gens > 0 && g.resolves(name) {
		return fmt.Sprintf("git fetch --no-tags --deepen=%d %s", gens, remote)
	}
	fetch := fmt.Sprintf("git fetch --no-tags --depth=%d %s", gens+1, remote)
	switch {
	case hexRev.MatchString(name) && (len(name) == 40 || len(name) == 64):
		return fetch + " " + name
	case hexRev.MatchString(name):
		// Servers only hand out objects by their full SHA.
		return fetch + " <the full SHA of " + name + ">"
	case strings.HasPrefix(name, "refs/heads/"), strings.HasPrefix(name, "refs/tags/"):
		return fmt.Sprintf("%s +%s:%s", fetch, name, name)
	}
	if r, branch, ok := g.remoteTracking(strings.TrimPrefix(name, "refs/remotes/")); ok {
		return fmt.Sprintf("git fetch --no-tags --depth=%d %s +refs/heads/%s:refs/remotes/%s/%s", gens+1, r, branch, r, branch)
	}
	if strings.ContainsAny(name, ":@{}") || name == "" {
		return "git fetch --no-tags --unshallow " + remote
	}
	return fmt.Sprintf("%s %s:%s", fetch, name, name)
}

// generations counts the first-parent steps of a suffix such as ~2^ (3).
func generations(suffix string) int {
	n := 0
	for i := 0; i < len(suffix); {
		j := i + 1
		for j < len(suffix) && suffix[j] >= '0' && suffix[j] <= '9' {
			j++
		}
		step := 1
		if suffix[i] == '~' && j > i+1 {
			step, _ = strconv.Atoi(suffix[i+1 : j])
		}
		n += step // ^N picks the Nth parent: one generation
		i = j
	}
	return n
}

func (g gitRepo) resolves(rev string) bool {
	_, err := g.run("rev-parse", "--verify", "--quiet", rev+"^{commit}")
	return err == nil
}

// remote is the remote to fetch from: origin when it exists, else the
// first configured one.
func (g gitRepo) remote() string {
	remotes := g.remotes()
	for _, r := range remotes {
		if r == "origin" {
			return r
		}
	}
	if len(remotes) > 0 {
		return remotes[0]
	}
	return "origin"
}

func (g gitRepo) remotes() []string {
	out, err := g.output("remote")
	if err != nil || out == "" {
		return nil
	}
	return strings.Fields(out)
}

// remoteTracking splits origin/main into a configured remote and a branch.
func (g gitRepo) remoteTracking(name string) (remote, branch string, ok bool) {
	for _, r := range g.remotes() {
		if b, found := strings.CutPrefix(name, r+"/"); found && b != "" {
			return r, b, true
		}
	}
	return "", "", false
}
