package load

import (
	"io/fs"
	"net/url"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// JSON Schema documents (and function contracts, whose parts are JSON
// Schemas) resolve $ref the way JSON Schema does: against the base URI the
// nearest enclosing absolute $id sets (`id` in draft-04). A reference
// reaches a schema resource declared anywhere in the loaded files by its
// $id, a $anchor in it, or a sibling file: a URI under the directory of the
// main file's $id maps onto the same relative path in the contract's tree,
// so `$id: https://example.com/schemas/person.json` with `$ref: address.json`
// reads ./address.json. Nothing is fetched: any other URI is a remote $ref,
// refused unless --allow-remote-refs. A document without an absolute $id
// resolves references by file path, as every other kind does.

// idIndex maps the schema resources and anchors of loaded files to nodes.
type idIndex struct {
	key       string                  // "$id", or "id" for draft-04
	resources map[string]*source.Node // absolute URI without fragment → resource root
	anchors   map[string]*source.Node // absolute URI#name → schema
	indexed   map[*source.File]bool
	bases     map[*source.Node]string // memo: object holding an id → absolute base ("" = none)
}

func newIDIndex(key string) *idIndex {
	return &idIndex{key: key, resources: map[string]*source.Node{}, anchors: map[string]*source.Node{},
		indexed: map[*source.File]bool{}, bases: map[*source.Node]string{}}
}

// idKeyword is the identifier keyword of the document's draft.
func idKeyword(d *Document) string {
	if d.Draft() == Draft04 {
		return "id"
	}
	return "$id"
}

// index records a file's resources and anchors once.
func (ix *idIndex) index(f *source.File) {
	if ix.indexed[f] {
		return
	}
	ix.indexed[f] = true
	_ = walkKeywords(f.Root, "", func(obj *source.Node) *source.Error {
		if id := obj.Str(ix.key); id != "" && id[0] != '#' {
			if base := ix.baseOf(obj); base != "" && ix.resources[base] == nil {
				ix.resources[base] = obj
			}
		}
		for _, name := range ix.anchorNames(obj) {
			if base := ix.baseOf(obj); base != "" && ix.anchors[base+"#"+name] == nil {
				ix.anchors[base+"#"+name] = obj
			}
		}
		return nil
	})
}

// anchorNames lists the plain-name fragments an object declares: $anchor
// (2019-09+) and an id that is only a fragment (draft-06/07 style).
func (ix *idIndex) anchorNames(obj *source.Node) []string {
	var out []string
	if a := obj.Str("$anchor"); a != "" {
		out = append(out, a)
	}
	if id := obj.Str(ix.key); len(id) > 1 && id[0] == '#' {
		out = append(out, id[1:])
	}
	return out
}

// baseOf is the absolute base URI in effect at n: the nearest enclosing
// object's id, resolved against its own ancestors'; "" when no absolute
// id is in scope.
func (ix *idIndex) baseOf(n *source.Node) string {
	for c := n; c != nil; c = c.Parent {
		if c.Kind != source.Object {
			continue
		}
		if id := c.Str(ix.key); id != "" && id[0] != '#' {
			return ix.resourceBase(c, id)
		}
	}
	return ""
}

func (ix *idIndex) resourceBase(c *source.Node, id string) string {
	if b, ok := ix.bases[c]; ok {
		return b
	}
	ix.bases[c] = "" // an id resolved against itself is no base
	u, err := url.Parse(id)
	out := ""
	switch {
	case err != nil:
	case u.IsAbs():
		out = withoutFragment(u)
	case c.Parent != nil:
		if pb := ix.baseOf(c.Parent); pb != "" {
			if b, err := url.Parse(pb); err == nil {
				out = withoutFragment(b.ResolveReference(u))
			}
		}
	}
	ix.bases[c] = out
	return out
}

func withoutFragment(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// resolveByID resolves ref by URI when an absolute id is in scope or the
// reference is itself absolute. handled is false when plain file-path
// resolution applies instead.
func (l *loader) resolveByID(from *source.File, ref *source.Node) (target *source.Node, handled bool, e *source.Error) {
	ix := l.ids
	ix.index(from)
	r, err := url.Parse(ref.Value)
	if err != nil {
		return nil, false, nil
	}
	base := ix.baseOf(ref.Parent)
	var abs *url.URL
	switch {
	case r.IsAbs() && len(r.Scheme) > 1:
		abs = r.ResolveReference(&url.URL{}) // removes dot segments
	case base != "":
		b, err := url.Parse(base)
		if err != nil {
			return nil, false, nil
		}
		abs = b.ResolveReference(r)
	default:
		return nil, false, nil
	}
	_, frag, _ := strings.Cut(ref.Value, "#")
	uri := withoutFragment(abs)
	if res := ix.resources[uri]; res != nil {
		n, e := ix.inResource(res, uri, frag, ref)
		return n, true, e
	}
	if r.IsAbs() && base == "" && !l.hasSchemeOf(r) {
		return nil, false, nil // e.g. an http(s) URL with no id in scope: the remote path decides
	}
	f, e := l.idFile(from, uri, ref, r.IsAbs())
	if e != nil {
		return nil, true, e
	}
	ix.index(f)
	if res := ix.resources[uri]; res != nil {
		n, e := ix.inResource(res, uri, frag, ref)
		return n, true, e
	}
	n, e := ix.inResource(f.Root, uri, frag, ref)
	return n, true, e
}

// hasSchemeOf reports URIs whose scheme only ids can resolve (urn:, tag:…).
func (l *loader) hasSchemeOf(u *url.URL) bool {
	return u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "file"
}

// idFile finds the file an absolute URI names: a sibling of the referring
// file when the URI lies under its $id's directory, else a remote file
// (refused unless remote refs are allowed).
// A sibling that is missing is looked for remotely when remote refs are
// allowed or the reference was written as a URL (so the message says the
// remote $ref is refused).
func (l *loader) idFile(from *source.File, uri string, ref *source.Node, written bool) (*source.File, *source.Error) {
	fsPath, local := l.doc.Paths[from]
	if rootID := l.ids.baseOf(from.Root); local && rootID != "" {
		dir := rootID[:strings.LastIndexByte(rootID, '/')+1]
		if rel, ok := strings.CutPrefix(uri, dir); ok && rel != "" {
			if dec, err := url.PathUnescape(rel); err == nil {
				rel = dec
			}
			p := path.Join(path.Dir(fsPath), rel)
			if p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p) {
				return nil, source.Errorf(ref.ValuePos(), "$ref %s points outside the contract's directory", quote(ref.Value))
			}
			_, err := fs.Stat(l.opts.FS, p)
			if err == nil || !isHTTP(uri) || (l.opts.Fetch == nil && !written) {
				return l.localFile(p, ref)
			}
		}
	}
	if isHTTP(uri) {
		return l.remoteFile("", uri, ref)
	}
	return nil, source.Errorf(ref.ValuePos(), "unresolvable $ref %s: no loaded schema has the $id %s",
		quote(ref.Value), quote(uri))
}

func isHTTP(uri string) bool {
	return strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://")
}

// inResource resolves a fragment inside one schema resource: a JSON
// pointer from the resource's root, or a plain-name anchor.
func (ix *idIndex) inResource(res *source.Node, uri, frag string, ref *source.Node) (*source.Node, *source.Error) {
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	var n *source.Node
	ok := false
	switch {
	case frag == "" || frag[0] == '/':
		n, ok = res.Lookup(frag)
	default:
		if n = ix.anchors[uri+"#"+frag]; n != nil {
			ok = true
		} else {
			n, ok = lookupFragment(res, frag)
		}
	}
	if !ok {
		return nil, source.Errorf(ref.ValuePos(), "unresolvable $ref %s: no such node", quote(ref.Value))
	}
	return n, nil
}
