package load

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// Load reads, guards, parses and sniffs the main file, then loads and checks
// every file it $refs. Every error for bad input is a *source.Error whose
// message is one sentence naming the file and line.
func Load(opts Options) (*Document, error) {
	l := newLoader(opts)
	doc, e := l.load()
	if e != nil {
		return nil, e
	}
	return doc, nil
}

// loader holds the state of one Load call.
type loader struct {
	opts    Options
	lim     Limits
	doc     *Document
	byKey   map[string]*source.File // by FS path or URL, so each file parses once
	pending []*source.File          // loaded files whose refs are not resolved yet
	order   []*source.Node          // objects holding a $ref, in resolution order
	fetcher *fetcher                // created on the first remote fetch
	ids     *idIndex                // JSON Schema kinds: $id-based resolution (ids.go)
	opaque  map[*source.Node]bool   // AsyncAPI subtrees compared as written, never loaded (asyncapi.go)
	bytes   int                     // bytes of every file parsed so far (Limits.MaxTotalBytes)
	nodes   int                     // nodes of every file parsed so far (Limits.MaxTotalNodes)
}

func newLoader(opts Options) *loader {
	if opts.Display == "" {
		opts.Display = opts.Path
	}
	return &loader{
		opts:  opts,
		lim:   opts.Limits.withDefaults(),
		byKey: map[string]*source.File{},
	}
}

func (l *loader) load() (*Document, *source.Error) {
	data := l.opts.Data
	if data == nil {
		var e *source.Error
		if data, e = l.readFS(l.opts.Path, l.opts.Display); e != nil {
			return nil, e
		}
	}
	if e := l.charge(l.opts.Display, data); e != nil {
		return nil, e
	}
	main, e := parseFile(l.opts.Display, l.opts.Path, data, l.lim)
	if e != nil {
		return nil, e
	}
	if e := l.budget(main); e != nil {
		return nil, e
	}
	if main.Root.Kind != source.Object {
		return nil, source.Errorf(main.Root.ValuePos(),
			"the document root must be a mapping, got %s", main.Root.Kind)
	}
	l.doc = l.newDocument(main, data)
	for _, step := range []func() *source.Error{
		func() *source.Error { return sniff(l.doc, l.opts.Kind) },
		func() *source.Error { return lint(main) },
		l.resolveAll,
		func() *source.Error {
			if l.opts.DeferContractCheck {
				return nil
			}
			l.doc.ContractChecked = true
			return checkContract(l.doc)
		},
	} {
		if e := step(); e != nil {
			return nil, e
		}
	}
	return l.doc, nil
}

// newDocument starts the document around its parsed main file.
func (l *loader) newDocument(main *source.File, data []byte) *Document {
	p := path.Clean(l.opts.Path)
	l.byKey[fsKey(p)] = main
	sum := sha256.Sum256(data)
	doc := &Document{
		Main:   main,
		Files:  []*source.File{main},
		Paths:  map[*source.File]string{main: p},
		Remote: map[*source.File]string{},
		SHA256: hex.EncodeToString(sum[:]),
		refs:   map[*source.Node]*source.Node{},
	}
	if l.opts.URL != "" {
		doc.Remote[main] = l.opts.URL
	}
	return doc
}

// readCap is how many bytes the next file may hold: the per-file limit, or
// what the contract's total leaves if that is less.
func (l *loader) readCap() int {
	return max(0, min(l.lim.MaxFileBytes, l.lim.MaxTotalBytes-l.bytes))
}

// charge counts a file's bytes towards the contract's total before it is
// parsed, so that the total bounds the parsing too. A file over the
// per-file limit is left to checkCommon, which says so.
func (l *loader) charge(display string, data []byte) *source.Error {
	if len(data) > l.lim.MaxTotalBytes-l.bytes && len(data) <= l.lim.MaxFileBytes {
		return wholeFile(display, "the contract's files hold more than %d bytes together, the limit; "+
			"raise it with --max-total-bytes if the contract really is this large", l.lim.MaxTotalBytes)
	}
	l.bytes += len(data)
	return nil
}

// readFS reads an FS file, reading at most one byte past readCap so a
// huge file, or one that would take the contract past its total, is
// refused without being read whole.
func (l *loader) readFS(p, display string) ([]byte, *source.Error) {
	if l.opts.FS == nil {
		return nil, wholeFile(display, "cannot read the file: no file system was given")
	}
	f, err := l.opts.FS.Open(p)
	if err != nil {
		return nil, wholeFile(display, "cannot read the file: %s", ioReason(err))
	}
	defer func() { _ = f.Close() }() // read-only: nothing to lose
	b, err := io.ReadAll(io.LimitReader(f, int64(l.readCap())+1))
	if err != nil {
		return nil, wholeFile(display, "cannot read the file: %s", ioReason(err))
	}
	return b, nil
}

// ioReason is the part of an I/O error worth a user's time.
func ioReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// parseFile guards b and parses it as JSON or YAML: by extension, else by
// its first non-space byte.
func parseFile(display, name string, b []byte, lim Limits) (*source.File, *source.Error) {
	b = stripBOM(b)
	if e := checkCommon(display, b, lim); e != nil {
		return nil, e
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return parseJSON(display, b, lim)
	case ".yaml", ".yml":
		return parseYAML(display, b, lim)
	}
	if looksLikeJSON(b) {
		return parseJSON(display, b, lim)
	}
	return parseYAML(display, b, lim)
}

// looksLikeJSON reports whether the first non-space byte opens a JSON
// object or array (stdin and unknown extensions).
func looksLikeJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

func fsKey(p string) string { return "fs:" + p }

// displayFor names an FS file in messages: relative to the main file's
// display path, keeping a git:REV: prefix.
func (l *loader) displayFor(fsPath string) string {
	rel := relPath(path.Dir(path.Clean(l.opts.Path)), fsPath)
	disp, prefix := l.opts.Display, ""
	if strings.HasPrefix(disp, "git:") {
		if i := strings.Index(disp[len("git:"):], ":"); i >= 0 {
			cut := len("git:") + i + 1
			prefix, disp = disp[:cut], disp[cut:]
		}
	}
	return prefix + path.Join(path.Dir(disp), rel)
}

// relPath returns target relative to dir; both are clean slash paths
// inside the same FS.
func relPath(dir, target string) string {
	split := func(p string) []string {
		if p == "." || p == "" {
			return nil
		}
		return strings.Split(p, "/")
	}
	d, t := split(dir), split(target)
	i := 0
	for i < len(d) && i < len(t) && d[i] == t[i] {
		i++
	}
	parts := make([]string, 0, len(d)-i+len(t)-i)
	for range d[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// ParseFile parses one standalone JSON or YAML file (relay's own inputs,
// such as .relay.yaml) with the same guards as contracts, without kind
// sniffing or $ref resolution.
func ParseFile(display string, data []byte) (*source.File, error) {
	f, e := parseFile(display, display, data, Limits{}.withDefaults())
	if e != nil {
		return nil, e
	}
	return f, nil
}
