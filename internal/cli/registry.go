package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/pgstore"
)

// RegistryEnv names the registry when --registry is not given.
const RegistryEnv = "RELAY_REGISTRY_URL"

// defaultRegistryDir is the file store's place in a repository.
const defaultRegistryDir = ".relay/registry"

// registryLocation decides which registry a command uses: --registry, then
// $RELAY_REGISTRY_URL, then the file store at the repository root (the
// working directory outside git). A plain path or file:// URL is a file
// store.
func registryLocation(flag string, getenv func(string) string) string {
	if flag != "" {
		return flag
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if env := getenv(RegistryEnv); env != "" {
		return env
	}
	return filepath.Join(repoRoot(), defaultRegistryDir)
}

// repoRoot is the git work tree's top directory, else the working directory.
func repoRoot() string {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err == nil {
		if top := strings.TrimSpace(string(out)); top != "" {
			return top
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	return wd
}

// openRegistry opens the store at loc: a directory or file://PATH is a
// file store, postgres:// or postgresql:// a PostgreSQL database.
func openRegistry(ctx context.Context, loc string, clock func() time.Time) (registry.Store, error) {
	scheme, _, hasScheme := strings.Cut(loc, "://")
	switch {
	case !hasScheme || scheme == "file":
		return filestore.Open(strings.TrimPrefix(loc, "file://"), filestore.Options{Clock: clock})
	case isPostgres(scheme):
		return pgstore.Open(ctx, loc, pgstore.Options{Clock: clock})
	}
	return nil, fmt.Errorf("unknown registry URL scheme %q in %s (want a directory, file://PATH or postgres://…)", scheme, redactURL(loc))
}

// isPostgres reports whether a URL scheme names the PostgreSQL backend;
// both spellings are libpq's.
func isPostgres(scheme string) bool {
	return scheme == "postgres" || scheme == "postgresql"
}

// redactURL hides a password in a database URL before it reaches a message.
func redactURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	creds, host, ok := strings.Cut(rest, "@")
	if !ok {
		return u
	}
	if user, _, hasPass := strings.Cut(creds, ":"); hasPass {
		return scheme + "://" + user + ":***@" + host
	}
	return u
}

// registryRef reads FUNCTION[@VERSION] from a registry: spec.
func registryRef(s sideSpec) (function, version string, err error) {
	function, version, err = splitRef(strings.TrimPrefix(s.Raw, "registry:"), false)
	if err != nil {
		return "", "", usageErrorf("%s: %v", s.Raw, err)
	}
	return function, version, nil
}

// registryVersion fetches the version a registry: side names: the given
// one, else the function's active version.
func (o *DiffOptions) registryVersion(ctx context.Context, s sideSpec) (registry.Version, error) {
	function, version, err := registryRef(s)
	if err != nil {
		return registry.Version{}, err
	}
	loc := registryLocation(o.Registry, o.Getenv)
	store, err := openRegistry(ctx, loc, nil)
	if err != nil {
		return registry.Version{}, err
	}
	defer func() { _ = store.Close() }() // read-mostly; a close error cannot change the answer
	if version != "" {
		return store.Get(ctx, function, version)
	}
	v, err := store.Active(ctx, function)
	if registry.IsNotFound(err) {
		return v, noBaseError{fmt.Errorf("%s has no approved version in the registry at %s: publish and approve one "+
			"(relay contract publish, relay contract approve), or compare against --base PATH or git:REV", function, redactURL(loc))}
	}
	return v, err
}

// registryOptions loads a registry version's bundle from memory; $refs
// between its files resolve as they did when it was published.
func (o *DiffOptions) registryOptions(ctx context.Context, s sideSpec) (load.Options, error) {
	v := o.registryBase
	if v == nil {
		got, err := o.registryVersion(ctx, s)
		if err != nil {
			return load.Options{}, err
		}
		v = &got
	}
	return load.Options{FS: bundleFS(v.Files), Path: v.Main,
		Display: "registry:" + v.Ref() + "/" + v.Main}, nil
}

// bundleFS is a read-only file system over a version's files.
type bundleFS map[string][]byte

func (b bundleFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	data, ok := b[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return &bundleFile{name: path.Base(name), r: strings.NewReader(string(data)), size: int64(len(data))}, nil
}

type bundleFile struct {
	name string
	r    *strings.Reader
	size int64
}

func (f *bundleFile) Read(p []byte) (int, error)         { return f.r.Read(p) }
func (f *bundleFile) Close() error                       { return nil }
func (f *bundleFile) Stat() (fs.FileInfo, error)         { return bundleInfo{f}, nil }
func (f *bundleFile) Seek(o int64, w int) (int64, error) { return f.r.Seek(o, w) }

type bundleInfo struct{ f *bundleFile }

func (i bundleInfo) Name() string       { return i.f.name }
func (i bundleInfo) Size() int64        { return i.f.size }
func (i bundleInfo) Mode() fs.FileMode  { return 0o444 }
func (i bundleInfo) ModTime() time.Time { return time.Time{} }
func (i bundleInfo) IsDir() bool        { return false }
func (i bundleInfo) Sys() any           { return nil }

// readBundle collects the exact bytes of a loaded contract and every file
// it $refs, keyed by their paths relative to the contract's directory.
func readBundle(l *check.Loaded) (files map[string][]byte, main string, err error) {
	if l.Options.FS == nil || l.Options.Data != nil {
		return nil, "", errors.New("a contract read from standard input cannot be published: give its path")
	}
	if len(l.Doc.Remote) > 0 {
		return nil, "", errors.New("a contract with remote $refs cannot be published: the registry stores exact local bytes")
	}
	files = map[string][]byte{}
	for _, f := range l.Doc.Files {
		p := l.Doc.Paths[f]
		data, err := fs.ReadFile(l.Options.FS, p)
		if err != nil {
			return nil, "", fmt.Errorf("cannot read %s for publishing: %w", p, err)
		}
		files[p] = data
	}
	return files, l.Doc.Paths[l.Doc.Main], nil
}

// gitUser is the default author: git's user.name, then $USER.
func gitUser(getenv func(string) string) string {
	if out, err := exec.Command("git", "config", "user.name").Output(); err == nil {
		if name := strings.TrimSpace(string(out)); name != "" {
			return name
		}
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	return getenv("USER")
}

// printVersionsTable writes versions as an aligned table.
func printVersionsTable(w io.Writer, vs []registry.Version) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tSTATUS\tAUTHOR\tREVIEWER\tCREATED\tDIFF")
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", v.Version, v.Status, v.Author, orDash(v.Reviewer),
			v.CreatedAt.UTC().Format(time.RFC3339), diffText(v.Diff))
	}
	_ = tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// diffText summarises a version's diff against its predecessor.
func diffText(d *registry.DiffSummary) string {
	if d == nil {
		return "first version"
	}
	return fmt.Sprintf("%s vs %s (%d breaking, %d warning, %d non-breaking, %d info)",
		orDash(d.Verdict), d.Base, d.Breaking, d.Warning, d.NonBreaking, d.Info)
}
