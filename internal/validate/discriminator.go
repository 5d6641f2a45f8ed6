package validate

import (
	"net/url"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// A discriminator's mapping values name schemas without $ref: a schema
// name under components/schemas, or a reference. The loader does not
// resolve them (they are not $refs), so they are checked here: a local
// reference must reach a schema, a name must be one. References to other
// files are left alone; the loader never read them.

// checkMapping checks the mapping of the discriminator object d.
func (w *walker) checkMapping(d *source.Node) {
	m := d.Get("mapping")
	if m == nil || m.Kind != source.Object || w.skip[m] {
		return
	}
	schemas := w.doc.Main.Root.Get("components").Get("schemas")
	for _, v := range m.Children {
		if v.Kind != source.String || w.skip[v] {
			continue
		}
		if !strings.ContainsAny(v.Value, "#/.") {
			if schemas.Get(v.Value) == nil {
				w.p.add(v, "discriminator mapping names the schema %s, which components.schemas does not define", quote(v.Value))
			}
			continue
		}
		w.mappingRef(v, d.File)
	}
}

// mappingRef checks a mapping value written as a reference into the same
// file.
func (w *walker) mappingRef(v *source.Node, f *source.File) {
	loc, frag, ok := strings.Cut(v.Value, "#")
	if !ok || loc != "" || f == nil {
		return
	}
	if dec, err := url.PathUnescape(frag); err == nil {
		frag = dec
	}
	t, found := f.Root.Lookup(frag)
	schema := w.set.types["schema"]
	switch {
	case !found:
		w.p.add(v, "discriminator mapping %s points at nothing", quote(v.Value))
	case w.mismatch(t, schema) != "":
		w.p.add(v, "discriminator mapping %s points at %s, not at a schema", quote(v.Value), w.mismatch(t, schema))
	}
}
