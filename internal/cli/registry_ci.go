package cli

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ciTarget is the branch a pull (merge) request targets, from the CI's
// environment: GitHub's GITHUB_BASE_REF, GitLab's
// CI_MERGE_REQUEST_TARGET_BRANCH_NAME. "" outside a pull request.
func ciTarget(getenv func(string) string) (name, from string) {
	for _, v := range []string{"GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"} {
		if t := getenv(v); t != "" {
			return t, v
		}
	}
	return "", ""
}

// useTargetRegistry makes --all in a pull request read the file registry
// as of the target branch: a pull request that publishes and approves its
// own version must not make it its own base. It applies only when no
// registry is named (--registry, $RELAY_REGISTRY_URL), and returns a
// cleanup for the temporary copy.
func (opts *DiffOptions) useTargetRegistry() (func(), error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	target, from := ciTarget(getenv)
	// --base git:REV replaces every base: no registry is read at all.
	if target == "" || opts.Registry != "" || getenv(RegistryEnv) != "" || opts.Base.Kind == sideGit {
		return func() {}, nil
	}
	g := gitRepo{dir: repoRoot()}
	commit, err := resolveTarget(g, target)
	if err != nil {
		return nil, fmt.Errorf("%s names the target branch %s, whose registry is the base, but %w", from, target, err)
	}
	dir, err := os.MkdirTemp("", "relay-registry-")
	if err != nil {
		return nil, err
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	reg := filepath.Join(dir, "registry")
	if err := extractRegistry(g, commit, reg); err != nil {
		cleanup()
		return nil, fmt.Errorf("cannot read %s at %s: %w", defaultRegistryDir, target, err)
	}
	opts.Registry = reg
	fmt.Fprintf(opts.IO.ErrOut, "relay: reading the registry as of the target branch %s (%s), not from this checkout\n", target, from)
	return cleanup, nil
}

// resolveTarget prefers the remote-tracking branch, which is what CI
// checkouts have, over a local one.
func resolveTarget(g gitRepo, target string) (string, error) {
	if strings.HasPrefix(target, "-") {
		return "", fmt.Errorf("%q is not a branch name", target)
	}
	for _, rev := range []string{"refs/remotes/origin/" + target, target} {
		if g.resolves(rev) {
			return g.resolve(rev)
		}
	}
	return "", fmt.Errorf("neither origin/%s nor %s is in this clone: fetch it (git fetch origin %s)", target, target, target)
}

// extractRegistry writes the registry directory of a commit under dir
// (which stays empty when the commit has none: every contract is then new).
// Only directories and regular files are written, at paths inside dir.
func extractRegistry(g gitRepo, commit, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if _, err := g.run("cat-file", "-e", commit+":"+defaultRegistryDir); err != nil {
		return nil //nolint:nilerr // no registry at the target: an empty one
	}
	out, err := g.run("archive", "--format=tar", commit, "--", defaultRegistryDir)
	if err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer func() { _ = root.Close() }()
	tr := tar.NewReader(bytes.NewReader(out))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, ok := strings.CutPrefix(path.Clean(h.Name), defaultRegistryDir)
		rel = strings.TrimPrefix(rel, "/")
		if !ok || rel == "" {
			continue
		}
		if err := writeEntry(root, h, rel, tr); err != nil {
			return err
		}
	}
}

func writeEntry(root *os.Root, h *tar.Header, rel string, r io.Reader) error {
	switch h.Typeflag {
	case tar.TypeDir:
		return root.MkdirAll(rel, 0o755)
	case tar.TypeReg:
		if err := root.MkdirAll(path.Dir(rel), 0o755); err != nil {
			return err
		}
		f, err := root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return nil // symlinks and the rest: a registry holds none
}
