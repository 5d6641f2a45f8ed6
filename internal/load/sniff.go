package load

import (
	"cmp"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// detection is what the root's marker fields say about a document.
type detection struct {
	kind    Kind
	version string
	marker  *source.Node // the field that decided, for contradiction errors
}

// byRank is the kinds in the order their markers are looked for.
var byRank = rankedKinds()

func rankedKinds() []*kindSpec {
	out := make([]*kindSpec, len(kinds))
	for i := range kinds {
		out[i] = &kinds[i]
	}
	slices.SortStableFunc(out, func(a, b *kindSpec) int { return cmp.Compare(a.marker.rank, b.marker.rank) })
	return out
}

// noMarker is the message for a document that has none of the markers.
var noMarker = "document has no kind marker (" + markerHints() + "); pass --kind"

// markerHints names every marker in detection order, except that a marker
// that needs companion fields reads last: "…, $schema, or function with
// input/output".
func markerHints() string {
	var single, compound []string
	for _, s := range byRank {
		if len(s.marker.with) == 0 {
			single = append(single, s.marker.hint)
		} else {
			compound = append(compound, s.marker.hint)
		}
	}
	hints := append(single, compound...)
	last := len(hints) - 1
	return strings.Join(hints[:last], ", ") + ", or " + hints[last]
}

// sniff fills d.Kind, d.SpecVersion and d.APIVersion from the main file's
// root, honouring forced (Options.Kind) only when there is no marker.
func sniff(d *Document, forced Kind) *source.Error {
	root := d.Main.Root
	if forced != "" && !forced.Known() {
		return source.Errorf(root.ValuePos(), "unknown contract kind %s", quote(string(forced)))
	}
	det, e := detect(root)
	if e != nil {
		return e
	}
	switch {
	case det.kind == "" && forced == "":
		return source.Errorf(root.ValuePos(), "%s", noMarker)
	case det.kind == "":
		det.kind = forced
	case forced != "" && !compatible(det.kind, forced):
		return source.Errorf(det.marker.Pos(), "the document's %s field marks it as %s, which contradicts --kind %s",
			quote(det.marker.Key), det.kind, forced)
	}
	d.Kind, d.SpecVersion = det.kind, det.version
	d.APIVersion, e = apiVersion(root, specOf(det.kind).apiVersion)
	return e
}

// compatible allows --kind to name the kind found or one it answers to.
func compatible(found, forced Kind) bool {
	return found == forced || slices.Contains(specOf(found).answersTo, forced)
}

// detect reads the marker fields in rank order.
func detect(root *source.Node) (detection, *source.Error) {
	for _, s := range byRank {
		if n := s.marker.find(root); n != nil {
			return s.detected(n)
		}
	}
	return detection{}, nil
}

// find returns the marker field when root carries it with a companion.
func (m *marker) find(root *source.Node) *source.Node {
	n := root.Get(m.field)
	if n == nil || (len(m.with) > 0 && !slices.ContainsFunc(m.with, root.Has)) {
		return nil
	}
	return n
}

// detected checks the marker's value: a version field must be a string
// that the kind accepts.
func (s *kindSpec) detected(n *source.Node) (detection, *source.Error) {
	m := &s.marker
	if !m.spec {
		return detection{kind: s.kind, marker: n}, nil
	}
	if n.Kind != source.String {
		return detection{}, notString(n, n.Key)
	}
	if m.accepts != nil && !m.accepts(n.Value) {
		return detection{}, source.Errorf(n.ValuePos(), "unsupported %s version %s (relay reads %s)",
			n.Key, quote(n.Value), m.supported)
	}
	return detection{kind: s.kind, version: n.Value, marker: n}, nil
}

func notString(n *source.Node, field string) *source.Error {
	return source.Errorf(n.ValuePos(), "version field %s must be a string, got %s", quote(field), n.Kind)
}

// apiVersion reads the contract's own version at path. YAML turns
// `version: 1.0` into a number; its literal text is still the version the
// author meant.
func apiVersion(root *source.Node, path []string) (string, *source.Error) {
	if len(path) == 0 {
		return "", nil
	}
	n := root
	for _, key := range path {
		n = n.Get(key)
	}
	if n == nil {
		return "", nil
	}
	switch n.Kind {
	case source.String, source.Number:
		return n.Value, nil
	case source.Null:
		return "", nil
	}
	return "", notString(n, strings.Join(path, "."))
}
