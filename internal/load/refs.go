package load

import (
	"net/url"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// resolveAll resolves the $refs of every loaded file, loading referenced
// files as they are met (so Files is in first-reference order), then
// rejects $ref chains that loop without reaching content.
func (l *loader) resolveAll() *source.Error {
	if l.doc.Kind == JSONSchema || l.doc.Kind == Function {
		l.ids = newIDIndex(idKeyword(l.doc))
	}
	l.pending = []*source.File{l.doc.Main}
	for len(l.pending) > 0 {
		f := l.pending[0]
		l.pending = l.pending[1:]
		if l.doc.Kind == AsyncAPI {
			l.markOpaque(f)
		}
		if e := walkKeywords(f.Root, "", l.resolveObject(f)); e != nil {
			return e
		}
	}
	return checkCycles(l.doc, l.order)
}

// resolveObject returns the walker callback recording obj's $ref target.
func (l *loader) resolveObject(f *source.File) func(*source.Node) *source.Error {
	return func(obj *source.Node) *source.Error {
		ref := obj.Get("$ref")
		if ref == nil || ref.Kind != source.String || l.insideOpaque(obj) {
			return nil
		}
		t, e := l.resolve(f, ref)
		if e != nil {
			return e
		}
		l.doc.refs[obj] = t
		l.order = append(l.order, obj)
		return nil
	}
}

// resolve finds the node a $ref string points at, loading its file first.
func (l *loader) resolve(from *source.File, ref *source.Node) (*source.Node, *source.Error) {
	if l.ids != nil {
		if t, handled, e := l.resolveByID(from, ref); handled {
			return t, e
		}
	}
	loc, frag, _ := strings.Cut(ref.Value, "#")
	target := from
	if loc != "" {
		var e *source.Error
		if target, e = l.fileFor(from, loc, ref); e != nil {
			return nil, e
		}
	}
	n, ok := lookupFragment(target.Root, frag)
	if ok {
		return n, nil
	}
	if n, ok, e := l.resolveSlashKeys(target.Root, decodeFragment(frag), ref); ok {
		return n, e
	}
	return nil, source.Errorf(ref.ValuePos(), "unresolvable $ref %s: no such node", quote(ref.Value))
}

// lookupFragment resolves a URI fragment: an RFC 6901 pointer (percent-
// encoded, as URI fragments are), or a plain name given by $anchor or id.
func lookupFragment(root *source.Node, frag string) (*source.Node, bool) {
	frag = decodeFragment(frag)
	if frag == "" || frag[0] == '/' {
		return root.Lookup(frag)
	}
	var found *source.Node
	root.Walk(func(n *source.Node) bool {
		if found != nil {
			return false
		}
		if n.Kind == source.Object && (n.Str("$anchor") == frag || n.Str("$id") == "#"+frag || n.Str("id") == "#"+frag) {
			found = n
		}
		return true
	})
	return found, found != nil
}

// decodeFragment undoes a fragment's percent-encoding, when it has valid
// encoding.
func decodeFragment(frag string) string {
	if dec, err := url.PathUnescape(frag); err == nil {
		return dec
	}
	return frag
}

// fileFor loads (once) the file a $ref's location part names.
func (l *loader) fileFor(from *source.File, loc string, ref *source.Node) (*source.File, *source.Error) {
	if base, ok := l.doc.Remote[from]; ok {
		return l.remoteFile(base, loc, ref)
	}
	u, err := url.Parse(loc)
	switch {
	case err == nil && (u.Scheme == "http" || u.Scheme == "https"):
		return l.remoteFile("", loc, ref)
	case err == nil && len(u.Scheme) > 1 && u.Scheme != "file":
		return nil, source.Errorf(ref.ValuePos(), "$ref %s uses the unsupported scheme %s",
			quote(ref.Value), quote(u.Scheme))
	}
	p := loc
	if dec, err := url.PathUnescape(loc); err == nil {
		p = dec
	}
	joined := path.Join(path.Dir(l.doc.Paths[from]), p)
	if (err == nil && u.Scheme != "") || path.IsAbs(p) || joined == ".." || strings.HasPrefix(joined, "../") {
		return nil, source.Errorf(ref.ValuePos(), "$ref %s points outside the contract's directory", quote(ref.Value))
	}
	return l.localFile(joined, ref)
}

// localFile loads an FS file reached through ref.
func (l *loader) localFile(p string, ref *source.Node) (*source.File, *source.Error) {
	if f := l.byKey[fsKey(p)]; f != nil {
		return f, nil
	}
	if e := l.checkFileCount(ref); e != nil {
		return nil, e
	}
	display := l.displayFor(p)
	data, e := l.readFS(p, display)
	if e != nil {
		return nil, source.Errorf(ref.ValuePos(), "unresolvable $ref %s: %s", quote(ref.Value), stripPos(e))
	}
	f, e := l.addFile(display, p, data)
	if e != nil {
		return nil, e
	}
	l.doc.Paths[f] = p
	l.byKey[fsKey(p)] = f
	return f, nil
}

// stripPos is an error's message without its position, for re-reporting
// a read failure at the $ref that caused it.
func stripPos(e *source.Error) string {
	return strings.TrimPrefix(e.Msg, "cannot read the file: ")
}

func (l *loader) checkFileCount(ref *source.Node) *source.Error {
	if len(l.doc.Files) >= l.lim.MaxFiles {
		return source.Errorf(ref.ValuePos(),
			"the contract spans more than %d files, the limit; raise it with --max-files if the contract really is this large",
			l.lim.MaxFiles)
	}
	return nil
}

// addFile parses and lints a referenced file and queues its own refs.
func (l *loader) addFile(display, name string, data []byte) (*source.File, *source.Error) {
	if e := l.charge(display, data); e != nil {
		return nil, e
	}
	f, e := parseFile(display, name, data, l.lim)
	if e != nil {
		return nil, e
	}
	if e := l.budget(f); e != nil {
		return nil, e
	}
	if e := lint(f); e != nil {
		return nil, e
	}
	l.doc.Files = append(l.doc.Files, f)
	l.pending = append(l.pending, f)
	return f, nil
}

// checkCycles follows every $ref chain once; meeting a node already on the
// current chain means the chain never reaches content.
func checkCycles(d *Document, order []*source.Node) *source.Error {
	const (
		onChain = 1
		done    = 2
	)
	state := make(map[*source.Node]uint8, len(order))
	for _, start := range order {
		var chain []*source.Node
		n := start
		for n != nil && state[n] == 0 && d.refs[n] != nil {
			state[n] = onChain
			chain = append(chain, n)
			n = d.refs[n]
		}
		if n != nil && state[n] == onChain {
			return cycleError(d, chain, n)
		}
		for _, c := range chain {
			state[c] = done
		}
	}
	return nil
}

// cycleError names the loop from its first repeated node.
func cycleError(d *Document, chain []*source.Node, repeat *source.Node) *source.Error {
	i := 0
	for chain[i] != repeat {
		i++
	}
	names := make([]string, 0, len(chain)-i+1)
	for _, n := range chain[i:] {
		names = append(names, refName(d, n))
	}
	names = append(names, refName(d, repeat))
	return source.Errorf(repeat.Get("$ref").ValuePos(), "$ref cycle: %s", source.Truncate(strings.Join(names, " → "), 4*echoMax))
}

// refName names a node as a reference would: #/pointer in the main file,
// file#/pointer elsewhere.
func refName(d *Document, n *source.Node) string {
	name := "#" + n.Pointer()
	if n.File != d.Main && n.File != nil {
		name = n.File.Path + name
	}
	return name
}

// budget charges a parsed file to the bundle's node total. It runs after
// the parse, which the per-file limits already bound, so a load holds at
// most the totals plus one file; bytes are charged before the parse
// (charge).
func (l *loader) budget(f *source.File) *source.Error {
	l.nodes += f.Nodes
	if l.nodes > l.lim.MaxTotalNodes {
		return wholeFile(f.Path, "the contract's files hold more than %d nodes together, the limit", l.lim.MaxTotalNodes)
	}
	return nil
}
