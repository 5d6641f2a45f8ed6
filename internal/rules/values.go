package rules

import (
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// sameValue compares two nodes as JSON values (source.SameValue).
func sameValue(a, b *source.Node) bool { return source.SameValue(a, b) }

// valueText renders a scalar value for messages (containers as JSON-ish
// shorthand), truncated so a huge default cannot flood a report.
func valueText(n *source.Node) string {
	if n == nil {
		return "(none)"
	}
	switch n.Kind {
	case source.String:
		return source.Truncate(`"`+n.Value+`"`, 80)
	case source.Null:
		return "null"
	case source.Object:
		return "{…}"
	case source.Array:
		return "[…]"
	}
	return n.Value
}

// revIndex finds, for a base node, the nearest node of the revision with
// the same pointer in the same file (relative to the contract root).
type revIndex struct {
	base, rev *load.Document
	byPath    map[string]*source.File
}

func newRevIndex(base, rev *load.Document) *revIndex {
	ix := &revIndex{base: base, rev: rev, byPath: map[string]*source.File{}}
	for f, p := range rev.Paths {
		ix.byPath[p] = f
	}
	return ix
}

func (ix *revIndex) nearest(n *source.Node) *source.Node {
	root := ix.rev.Main.Root
	if n.File != nil {
		if f := ix.byPath[ix.base.Paths[n.File]]; f != nil {
			root = f.Root
		}
	}
	ptr := n.Pointer()
	for {
		if found, ok := root.Lookup(ptr); ok {
			return found
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return root
		}
		ptr = ptr[:i]
	}
}
