package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// sideKind says where one side of a diff is read from.
type sideKind int

const (
	sideFile     sideKind = iota // a path in the working tree
	sideStdin                    // "-"
	sideGit                      // git:REV[:PATH]
	sideRegistry                 // registry:FUNCTION[@VERSION], or --function alone
	sideURL                      // an http(s) URL, fetched only with --allow-remote-refs
)

// sideSpec is one side of a diff as the user gave it.
type sideSpec struct {
	Kind sideKind
	// Path is the file path as typed (sideFile), or the path inside the
	// repository (sideGit; "" means the revision's own path).
	Path string
	Rev  string // sideGit: the revision as typed
	Raw  string // the whole spec as typed
}

// stdinName is how standard input is written and displayed.
const stdinName = "-"

// resolveSides works out both sides from the positional arguments and the
// --base / --contract / --function flags. The forms are BASE REVISION,
// --base SPEC --contract PATH, and --base SPEC REVISION; anything else is a
// usage error, and so is reading both sides from stdin.
func resolveSides(args []string, baseFlag, contractFlag, function string) (base, rev sideSpec, err error) {
	baseArg, revArg, err := pickSides(args, baseFlag, contractFlag)
	if err != nil {
		return base, rev, err
	}
	if rev, err = parseRevisionSpec(revArg); err != nil {
		return base, rev, err
	}
	switch {
	case baseArg != "":
		base, err = parseBaseSpec(baseArg)
	case function != "":
		base = sideSpec{Kind: sideRegistry, Raw: "registry:" + function}
	default:
		err = usageErrorf("missing the base: give BASE REVISION, or --base SPEC (a path, git:REV[:PATH] or -)")
	}
	if err != nil {
		return base, rev, err
	}
	return base, rev, checkSidePair(base, rev)
}

// pickSides chooses between positional arguments and flags.
func pickSides(args []string, baseFlag, contractFlag string) (baseArg, revArg string, err error) {
	for _, a := range args {
		if a == "" {
			return "", "", usageErrorf("an argument is empty; give BASE and REVISION as paths, git:REV[:PATH] or -")
		}
	}
	switch len(args) {
	case 0:
		if contractFlag == "" {
			return "", "", usageErrorf("missing the contract to check: give BASE REVISION, or --base SPEC and --contract PATH")
		}
		return baseFlag, contractFlag, nil
	case 1:
		if contractFlag != "" {
			return "", "", usageErrorf("got --contract and the argument %q: give BASE REVISION, or --base SPEC and --contract PATH", args[0])
		}
		return baseFlag, args[0], nil
	case 2:
		if baseFlag != "" || contractFlag != "" {
			return "", "", usageErrorf("give BASE and REVISION either as arguments or as --base and --contract, not both")
		}
		return args[0], args[1], nil
	}
	return "", "", usageErrorf("expected BASE and REVISION, got %d arguments", len(args))
}

func checkSidePair(base, rev sideSpec) error {
	if base.Kind == sideStdin && rev.Kind == sideStdin {
		return usageErrorf("only one of the base and the revision can be read from standard input (-)")
	}
	if base.Kind == sideGit && base.Path == "" && rev.Kind != sideFile {
		return usageErrorf("%s needs a path (git:%s:PATH) when the revision is read from standard input", base.Raw, base.Rev)
	}
	return nil
}

// parseBaseSpec reads PATH | git:REV[:PATH] | registry:FUNCTION[@VERSION] | -.
// A file whose name starts with "git:" can be given as ./git:….
func parseBaseSpec(s string) (sideSpec, error) {
	switch {
	case s == stdinName:
		return sideSpec{Kind: sideStdin, Raw: s}, nil
	case strings.HasPrefix(s, "git:"):
		return parseGitSpec(s)
	case strings.HasPrefix(s, "registry:"):
		return sideSpec{Kind: sideRegistry, Raw: s}, nil
	case isHTTPURL(s):
		return sideSpec{Kind: sideURL, Raw: s}, nil
	}
	return sideSpec{Kind: sideFile, Path: s, Raw: s}, nil
}

// isHTTPURL says s is an http:// or https:// URL rather than a path.
func isHTTPURL(s string) bool {
	lower := strings.ToLower(s)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// parseGitSpec splits git:REV[:PATH] at the first colon after the
// revision: revision names cannot contain ':' (git check-ref-format), while
// paths can.
func parseGitSpec(s string) (sideSpec, error) {
	rev, p, hasPath := strings.Cut(strings.TrimPrefix(s, "git:"), ":")
	if rev == "" {
		return sideSpec{}, usageErrorf("%q names no git revision; write git:REV or git:REV:PATH, as in git:main or git:HEAD~1:api.yaml", s)
	}
	if strings.HasPrefix(rev, "-") || strings.ContainsAny(rev, " \t\n") {
		return sideSpec{}, usageErrorf("%q is not a git revision", rev)
	}
	if hasPath {
		clean := path.Clean(p)
		if p == "" || !fs.ValidPath(clean) || clean == "." {
			return sideSpec{}, usageErrorf("the path in %q must name a file relative to the repository root", s)
		}
		p = clean
	}
	return sideSpec{Kind: sideGit, Rev: rev, Path: p, Raw: s}, nil
}

// parseRevisionSpec reads the revision: a working-tree file or -.
func parseRevisionSpec(s string) (sideSpec, error) {
	if s == stdinName {
		return sideSpec{Kind: sideStdin, Raw: s}, nil
	}
	if strings.HasPrefix(s, "git:") || strings.HasPrefix(s, "registry:") {
		return sideSpec{}, usageErrorf("the revision must be a file or -, not %q (git: and registry: are for --base; write ./%s for a file of that name)", s, s)
	}
	if isHTTPURL(s) {
		return sideSpec{Kind: sideURL, Raw: s}, nil
	}
	return sideSpec{Kind: sideFile, Path: s, Raw: s}, nil
}

// opener returns how check.Run finds one side. role is "base" or
// "revision", for messages. Remote $refs are fetched only when
// --allow-remote-refs hands the loader the CLI's fetcher.
func (o *DiffOptions) opener(s sideSpec, role string) func(context.Context) (load.Options, error) {
	return func(ctx context.Context) (load.Options, error) {
		lo, err := o.sideOptions(ctx, s, role)
		if err == nil && o.AllowRemoteRefs {
			lo.Fetch = fetchRemoteRef
		}
		lo.Limits.MaxFiles = o.MaxFiles
		lo.Limits.MaxTotalBytes = o.MaxTotalBytes
		return lo, err
	}
}

func (o *DiffOptions) sideOptions(ctx context.Context, s sideSpec, role string) (load.Options, error) {
	switch s.Kind {
	case sideStdin:
		return stdinLoadOptions(ctx, o.IO, role)
	case sideGit:
		return gitLoadOptions(s, o.Revision)
	case sideRegistry:
		return o.registryOptions(ctx, s)
	case sideURL:
		return o.urlLoadOptions(ctx, s, role)
	}
	return fileLoadOptions(s.Path, role)
}

// load reads one side on its own (publish and --changed-since need the
// revision's files before any comparison).
func (o *DiffOptions) load(ctx context.Context, s sideSpec, role string) (*check.Loaded, error) {
	lo, err := o.opener(s, role)(ctx)
	if err != nil {
		return nil, err
	}
	lo.Kind = o.Kind
	doc, err := load.Load(lo)
	if err != nil {
		return nil, check.LoadError(err, role, lo.Display)
	}
	return &check.Loaded{Doc: doc, Options: lo}, nil
}

// fileLoadOptions roots the loader at the file's directory, which is what
// confines its $refs to that tree.
func fileLoadOptions(p, role string) (load.Options, error) {
	info, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return load.Options{}, fmt.Errorf("the %s contract %s does not exist", role, p)
	case err != nil:
		return load.Options{}, fmt.Errorf("cannot read the %s contract %s: %w", role, p, pathErrCause(err))
	case info.IsDir():
		return load.Options{}, fmt.Errorf("the %s contract %s is a directory, not a file", role, p)
	}
	fsys, err := confinedFS(filepath.Dir(p))
	if err != nil {
		return load.Options{}, fmt.Errorf("cannot read the %s contract %s: %w", role, p, pathErrCause(err))
	}
	return load.Options{FS: fsys, Path: filepath.Base(p), Display: p}, nil
}

// urlLoadOptions fetches a side given as an http(s) URL. The network is
// touched only when --allow-remote-refs says so; the fetch is bounded in
// time and size, and the document's relative $refs are remote too.
func (o *DiffOptions) urlLoadOptions(ctx context.Context, s sideSpec, role string) (load.Options, error) {
	shown := source.Truncate(s.Raw, 200)
	if !o.AllowRemoteRefs {
		return load.Options{}, usageErrorf("the %s contract %s is a URL: pass --allow-remote-refs to fetch it", role, shown)
	}
	data, err := fetchContract(ctx, s.Raw)
	if err != nil {
		return load.Options{}, fmt.Errorf("cannot fetch the %s contract %s: %w", role, shown, err)
	}
	name := "contract"
	if u, err := url.Parse(s.Raw); err == nil && path.Base(u.Path) != "/" && path.Base(u.Path) != "." {
		name = path.Base(u.Path)
	}
	return load.Options{Path: name, Display: s.Raw, Data: data, URL: s.Raw}, nil
}

// confinedFS opens dir as an os.Root: unlike os.DirFS, a symlink inside the
// tree cannot lead a $ref outside it. The root stays open for the rest of
// the run (the loader reads lazily) and is released when the process exits.
func confinedFS(dir string) (fs.FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return root.FS(), nil
}

// maxStdinBytes bounds what is read from stdin; the loader's own size limit
// (64 MiB by default) then rejects anything over it with a proper message.
const maxStdinBytes = 256 << 20

// stdinLoadOptions reads standard input; $refs resolve against the working
// directory.
func stdinLoadOptions(ctx context.Context, ios *iostreams.IOStreams, role string) (load.Options, error) {
	data, err := readAllContext(ctx, io.LimitReader(ios.In, maxStdinBytes+1))
	if err != nil {
		return load.Options{}, fmt.Errorf("cannot read the %s contract from standard input: %w", role, err)
	}
	if len(data) > maxStdinBytes {
		return load.Options{}, fmt.Errorf("the %s contract on standard input is larger than %d MiB", role, maxStdinBytes>>20)
	}
	fsys, err := confinedFS(".")
	if err != nil {
		return load.Options{}, fmt.Errorf("cannot read the working directory: %w", err)
	}
	return load.Options{FS: fsys, Path: stdinName, Display: stdinName, Data: data}, nil
}

// pathErrCause drops the *fs.PathError wrapper, whose "open x:" prefix
// would repeat the path the message already names.
func pathErrCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// readAllContext is io.ReadAll that gives up when ctx is cancelled: a
// terminal on stdin never reaches EOF by itself, and Ctrl-C must still
// stop relay. The abandoned read ends with the process.
func readAllContext(ctx context.Context, r io.Reader) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(r)
		done <- result{data, err}
	}()
	select {
	case res := <-done:
		return res.data, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
