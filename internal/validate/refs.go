package validate

import (
	"github.com/relay-dev/relay/internal/source"
)

// A $ref is judged by what its target is, not by whether it resolves (the
// loader has already made sure every one does). The target is the kind of
// object the walker typed it as when it reached it by descent (a response
// under components/responses, the info object, an operation under a path
// item), or, for a target no descent reaches (another file, a fragment
// under an unknown field), whatever the referring site expects: it is then
// walked as that, so its own fields are checked against the right type.

// refSite records a Reference Object to judge once the descent is over, so
// every target the descent reaches has its type by then.
func (w *walker) refSite(n, ref *source.Node, t *objType) {
	if ref.Kind != source.String {
		w.p.add(ref, "$ref must be a string, not %s", kindNoun(ref.Kind))
		w.skip[ref] = true
		w.badRef[n] = true
		return
	}
	w.pending = append(w.pending, refSite{site: n, want: t})
}

// checkRef judges one Reference Object.
func (w *walker) checkRef(r refSite) {
	target := w.doc.Deref(r.site)
	if target == nil || target == r.site {
		return // the loader did not resolve it (it lies where refs are data)
	}
	w.targets[target] = true
	if found := w.mismatch(target, r.want); found != "" {
		ref := r.site.Get("$ref")
		w.p.add(ref, "$ref %s points at %s, not at %s", quote(ref.Value), found, article(r.want.name))
		w.badRef[r.site] = true
		return
	}
	w.object(target, r.want)
}

// mismatch says what target is when it is not a want, else "".
func (w *walker) mismatch(target *source.Node, want *objType) string {
	switch {
	case target.Kind == source.Bool && want.boolean:
		return ""
	case target.Kind != source.Object:
		return kindNoun(target.Kind)
	}
	if t, ok := w.typed[target]; ok && t != want {
		return article(t.name)
	}
	if h, ok := w.holds[target]; ok {
		return h
	}
	return ""
}

// target follows n's $ref hops to the object they end at, or nil when n is
// not a reference (or its target is not usable: already reported).
func (w *walker) target(n *source.Node) *source.Node {
	if w.badRef[n] {
		return nil
	}
	t := w.doc.Deref(n)
	if t == n {
		return nil
	}
	return t
}
