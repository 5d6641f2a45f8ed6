package load

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// An AsyncAPI message payload may be written in a schema format relay does
// not read (Avro, Protobuf, RAML…), often as a $ref to a schema registry.
// Such a payload is compared as written, never loaded: its $refs are not
// resolved, so an Avro schema on a registry URL neither fails the load nor
// makes relay touch the network.

// JSONSchemaFormat reports whether an AsyncAPI schemaFormat is one relay
// compares structurally: the AsyncAPI Schema (a JSON Schema superset; the
// default, also when empty), JSON Schema, or an OpenAPI Schema Object.
func JSONSchemaFormat(format string) bool {
	mt := strings.ToLower(strings.TrimSpace(format))
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = strings.TrimSpace(mt[:i])
	}
	mt = strings.TrimSuffix(strings.TrimSuffix(mt, "+json"), "+yaml")
	switch mt {
	case "", "application/vnd.aai.asyncapi", "application/schema", "application/vnd.oai.openapi":
		return true
	}
	return false
}

// markOpaque records the payloads of a file whose schemaFormat (on the
// 2.x message, or on a 3.x Multi Format Schema Object) is not JSON-like,
// and every bindings object: relay compares bindings only for the address
// they may set, and a Kafka key schema on a registry is no reason to fail.
func (l *loader) markOpaque(f *source.File) {
	if l.opaque == nil {
		l.opaque = map[*source.Node]bool{}
	}
	_ = walkKeywords(f.Root, "", func(obj *source.Node) *source.Error {
		if b := obj.Get("bindings"); b != nil {
			l.opaque[b] = true
		}
		sf := obj.Get("schemaFormat")
		if sf == nil || sf.Kind != source.String || JSONSchemaFormat(sf.Value) {
			return nil
		}
		for _, k := range []string{"payload", "schema"} {
			if n := obj.Get(k); n != nil {
				l.opaque[n] = true
			}
		}
		return nil
	})
}

// insideOpaque reports whether n lies in a payload marked opaque.
func (l *loader) insideOpaque(n *source.Node) bool {
	if l.opaque == nil {
		return false
	}
	for c := n; c != nil; c = c.Parent {
		if l.opaque[c] {
			return true
		}
	}
	return false
}
