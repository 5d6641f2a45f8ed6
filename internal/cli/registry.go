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
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/source"
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

// registryFrom names where an explicit registry location came from, for
// messages: "--registry", "$RELAY_REGISTRY_URL", or "" for the default.
func registryFrom(flag string, getenv func(string) string) string {
	if flag != "" {
		return "--registry"
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	if getenv(RegistryEnv) != "" {
		return "$" + RegistryEnv
	}
	return ""
}

// checkFileStore refuses a file store that a user named (--registry or
// $RELAY_REGISTRY_URL) but that does not exist, so that a typo reads as
// "no registry" instead of an empty one, and is not created by accident.
// The default location is an empty registry until the first publish
// creates it; publish (create) may also create a named directory whose
// parent exists, as mkdir would.
func checkFileStore(loc, from string, create bool) error {
	scheme, rest, hasScheme := strings.Cut(loc, "://")
	if from == "" || (hasScheme && scheme != "file") || isKeywordValueDSN(loc) {
		return nil // not a directory: opening the database says what is wrong
	}
	if hasScheme {
		loc = rest
	}
	if _, err := os.Stat(loc); !errors.Is(err, fs.ErrNotExist) {
		return nil // present, or a problem the store reports itself
	}
	if !create {
		return fmt.Errorf("no registry at %s: the directory does not exist (check %s; a first publish creates a registry)", loc, from)
	}
	parent := filepath.Dir(filepath.Clean(loc))
	if _, err := os.Stat(parent); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no registry at %s: its parent directory %s does not exist (check %s, or create it with mkdir -p)", loc, parent, from)
	}
	return nil
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
// file store; a postgres:// or postgresql:// URL, or libpq's keyword/value
// form (host=… dbname=…), a PostgreSQL database. A URL is parsed with
// net/url and handed to the driver re-encoded, so that a raw @ in the
// password cannot be read as part of the host.
func openRegistry(ctx context.Context, loc string, clock func() time.Time) (registry.Store, error) {
	conn, isPG, err := postgresConn(loc)
	switch {
	case err != nil:
		return nil, err
	case isPG:
		// The reviewer is the database login, not a name anyone can type.
		return pgstore.Open(ctx, conn, pgstore.Options{Clock: clock, ActorIsDatabaseUser: true})
	}
	return filestore.Open(strings.TrimPrefix(loc, "file://"), filestore.Options{Clock: clock})
}

// postgresConn decides whether loc names a PostgreSQL database and returns
// the connection string to hand the driver: a keyword/value string as is,
// a URL re-encoded by net/url. A plain path or file:// URL is not one;
// another scheme is an error.
func postgresConn(loc string) (conn string, isPG bool, err error) {
	if isKeywordValueDSN(loc) {
		return loc, true, nil
	}
	scheme, _, hasScheme := strings.Cut(loc, "://")
	if !hasScheme || scheme == "file" {
		return "", false, nil
	}
	u, err := parseRegistryURL(loc)
	if err != nil {
		return "", false, err
	}
	if !isPostgres(u.Scheme) {
		return "", false, fmt.Errorf("unknown registry URL scheme %q in %s (want a directory, file://PATH, postgres://… or host=… dbname=…)",
			source.Truncate(u.Scheme, 40), redactedURL(u))
	}
	if err := checkRegistryQuery(u); err != nil {
		return "", false, err
	}
	return u.String(), true, nil
}

// isPostgres reports whether a URL scheme names the PostgreSQL backend;
// both spellings are libpq's.
func isPostgres(scheme string) bool {
	return scheme == "postgres" || scheme == "postgresql"
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
	r := RegistryOptions{IO: o.IO, Registry: o.Registry, Getenv: o.Getenv, AllowedSigners: o.AllowedSigners,
		ConfigPath: o.ConfigPath}
	store, err := r.open(ctx)
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", safe(v.Version), safe(string(v.Status)), safe(v.Author), safe(orDash(v.Reviewer)),
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
		safe(orDash(d.Verdict)), safe(d.Base), d.Breaking, d.Warning, d.NonBreaking, d.Info)
}

// isPostgresLocation reports whether loc names a PostgreSQL registry (a
// postgres:// URL or a keyword/value string). A malformed URL is not one
// here; opening it says what is wrong.
func isPostgresLocation(loc string) bool {
	_, isPG, _ := postgresConn(loc)
	return isPG
}

// safe escapes registry metadata for a terminal or CI log: names, reasons
// and versions are typed by people, and a file store is edited in the
// pull requests it gates (report.SafeText says what is escaped and why).
func safe(s string) string { return report.SafeText(s) }
