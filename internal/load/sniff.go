package load

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// detection is what the root's marker fields say about a document.
type detection struct {
	kind    Kind
	version string
	marker  *source.Node // the field that decided, for contradiction errors
}

// sniff fills d.Kind, d.SpecVersion and d.APIVersion from the main file's
// root, honouring forced (Options.Kind) only when there is no marker.
func sniff(d *Document, forced Kind) *source.Error {
	root := d.Main.Root
	if forced != "" && !knownKind(forced) {
		return source.Errorf(root.ValuePos(), "unknown contract kind %s", quote(string(forced)))
	}
	det, e := detect(root)
	if e != nil {
		return e
	}
	switch {
	case det.kind == "" && forced == "":
		return source.Errorf(root.ValuePos(), "document has no kind marker "+
			"(openapi, swagger, asyncapi, $schema, or function with input/output); pass --kind")
	case det.kind == "":
		det.kind = forced
	case forced != "" && !compatible(det.kind, forced):
		return source.Errorf(det.marker.Pos(), "the document's %s field marks it as %s, which contradicts --kind %s",
			quote(det.marker.Key), det.kind, forced)
	}
	d.Kind, d.SpecVersion = det.kind, det.version
	d.APIVersion, e = apiVersion(root, det.kind)
	return e
}

func knownKind(k Kind) bool {
	switch k {
	case OpenAPI, Swagger, JSONSchema, Function, AsyncAPI:
		return true
	}
	return false
}

// compatible allows --kind openapi for a Swagger 2.0 document, which is
// "OpenAPI 2.0" to most people.
func compatible(found, forced Kind) bool {
	return found == forced || (found == Swagger && forced == OpenAPI)
}

// detect reads the marker fields in priority order.
func detect(root *source.Node) (detection, *source.Error) {
	if n := root.Get("openapi"); n != nil {
		return versioned(n, OpenAPI, "3.0.x and 3.1.x", func(v string) bool {
			return hasVersionPrefix(v, "3.0") || hasVersionPrefix(v, "3.1")
		})
	}
	if n := root.Get("swagger"); n != nil {
		return versioned(n, Swagger, "2.0", func(v string) bool { return v == "2.0" })
	}
	if n := root.Get("asyncapi"); n != nil {
		// 3.1 only adds to 3.0, so it reads the same way.
		return versioned(n, AsyncAPI, "2.x, 3.0.x and 3.1.x", func(v string) bool {
			return hasVersionPrefix(v, "2") || hasVersionPrefix(v, "3.0") || hasVersionPrefix(v, "3.1")
		})
	}
	if fn := root.Get("function"); fn != nil && (root.Has("input") || root.Has("output") || root.Has("relay")) {
		return detection{kind: Function, marker: fn}, nil
	}
	if n := root.Get("$schema"); n != nil {
		if n.Kind != source.String {
			return detection{}, notString(n, "$schema")
		}
		return detection{kind: JSONSchema, version: n.Value, marker: n}, nil
	}
	return detection{}, nil
}

// versioned checks a version marker: a string the predicate accepts.
func versioned(n *source.Node, k Kind, supported string, ok func(string) bool) (detection, *source.Error) {
	if n.Kind != source.String {
		return detection{}, notString(n, n.Key)
	}
	if !ok(n.Value) {
		return detection{}, source.Errorf(n.ValuePos(), "unsupported %s version %s (relay reads %s)",
			n.Key, quote(n.Value), supported)
	}
	return detection{kind: k, version: n.Value, marker: n}, nil
}

// hasVersionPrefix reports whether v is prefix itself or prefix followed by
// a dot (so "3.0" matches "3.0.3" but not "3.01").
func hasVersionPrefix(v, prefix string) bool {
	return v == prefix || strings.HasPrefix(v, prefix+".")
}

func notString(n *source.Node, field string) *source.Error {
	return source.Errorf(n.ValuePos(), "version field %s must be a string, got %s", quote(field), n.Kind)
}

// apiVersion reads the contract's own version. YAML turns `version: 1.0`
// into a number; its literal text is still the version the author meant.
func apiVersion(root *source.Node, k Kind) (string, *source.Error) {
	var n *source.Node
	field := "info.version"
	switch k {
	case OpenAPI, Swagger, AsyncAPI:
		n = root.Get("info").Get("version")
	case Function:
		n, field = root.Get("version"), "version"
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
	return "", notString(n, field)
}
