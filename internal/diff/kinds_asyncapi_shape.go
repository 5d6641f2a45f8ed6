package diff

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// An AsyncAPI message's shape is what goes on the wire: its payload and
// headers with every $ref followed, members in key order, annotations
// (title, description, examples, $comment, x-…) left out. Two messages
// with one shape carry the same bytes whatever they are called, which is
// what pairs operations and messages whose channel, operation and message
// names all changed.

// messageShape is the hash of a message's payload and headers ("" when
// it has neither, which pairs nothing).
func messageShape(doc *load.Document, m *Message) string {
	if m.Payload == nil && m.Headers == nil {
		return ""
	}
	h := sha256.New()
	w := &shapeWriter{doc: doc, h: h, onPath: map[*source.Node]bool{}}
	w.write(m.Payload)
	h.Write([]byte{0})
	w.write(m.Headers)
	return hex.EncodeToString(h.Sum(nil))
}

type shapeWriter struct {
	doc    *load.Document
	h      hash.Hash
	onPath map[*source.Node]bool // nodes being written: a recursive schema stops at itself
}

func (w *shapeWriter) write(n *source.Node) {
	n = w.doc.Deref(n)
	if n == nil {
		w.h.Write([]byte("~"))
		return
	}
	if w.onPath[n] {
		w.h.Write([]byte("^" + n.Pointer()))
		return
	}
	w.onPath[n] = true
	defer delete(w.onPath, n)
	switch n.Kind {
	case source.Object:
		w.object(n)
	case source.Array:
		w.h.Write([]byte("["))
		for _, c := range n.Children {
			w.write(c)
			w.h.Write([]byte(","))
		}
		w.h.Write([]byte("]"))
	default:
		w.h.Write([]byte{byte('0' + n.Kind)})
		w.h.Write([]byte(n.Value))
		w.h.Write([]byte{0})
	}
}

// schemaMaps are keywords whose members are names, not keywords: a
// property called "description" is part of the shape.
var schemaMaps = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
	"dependentSchemas": true, "dependentRequired": true,
}

func (w *shapeWriter) object(n *source.Node) {
	names := schemaMaps[n.Key]
	kids := make([]*source.Node, 0, len(n.Children))
	for _, c := range n.Children {
		if names || !IsAnnotation(c.Key) {
			kids = append(kids, c)
		}
	}
	slices.SortFunc(kids, func(a, b *source.Node) int { return strings.Compare(a.Key, b.Key) })
	w.h.Write([]byte("{"))
	for _, c := range kids {
		w.h.Write([]byte(c.Key))
		w.h.Write([]byte{0})
		w.write(c)
	}
	w.h.Write([]byte("}"))
}

// opShape is an operation's messages' shapes, in a fixed order; "" when
// any message has no shape, so only fully described operations pair by it.
func opShape(op *Operation) string {
	shapes := make([]string, 0, len(op.Async.Messages))
	for _, m := range op.Async.Messages {
		if m.Shape == "" {
			return ""
		}
		shapes = append(shapes, m.Shape)
	}
	slices.Sort(shapes)
	return strings.Join(shapes, " ")
}
