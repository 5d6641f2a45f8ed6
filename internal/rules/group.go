package rules

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/source"
)

// One real change, one finding. A shared component is one node reached
// by many operations, so its hits already share a pointer. A change
// repeated identically inside many operations — a 429 response, a header
// or a property added the same way to 215 operations — has a pointer per
// operation; it is still one change for the reviewer, so hits that differ
// only in the operation they sit in are grouped: same rule, same place
// relative to the operation, same content, same message once the
// operation's name is taken out.

// groupKey says which hits are one change; byName finds the operation
// a hit reached by exactly one operation sits in.
func groupKey(f *hit, ops []string, byName map[string]*diff.OpPair) string {
	msg, ptr := f.msg, f.pointer
	if len(ops) == 1 {
		if rel, ok := relativeToOp(f, byName[ops[0]]); ok {
			msg = strings.ReplaceAll(msg, ops[0], "\x01")
			ptr = "\x01" + rel + "\x00" + fingerprint(f)
		}
	}
	return f.rule.ID + "\x00" + ptr + "\x00" + msg
}

// relativeToOp is the hit's pointer below its operation's node, when the
// hit sits strictly inside that operation: an inline part of it, not a
// shared component (those group by their own pointer already), and not
// the operation itself (an operation added or removed as a whole is its
// own change).
func relativeToOp(f *hit, op *diff.OpPair) (string, bool) {
	if op == nil {
		return "", false
	}
	n, node := op.Rev, f.rev
	if f.removal {
		n, node = op.Base, f.base
	}
	if n == nil || n.Node == nil || node == nil || node.File != n.Node.File {
		return "", false
	}
	prefix := n.Node.Pointer() + "/"
	if !strings.HasPrefix(f.pointer, prefix) || len(f.pointer) == len(prefix) {
		return "", false
	}
	return f.pointer[len(prefix)-1:], true
}

// fingerprint hashes what changed: the removed node for a removal, the
// added or changed node of the revision otherwise (and the base's for a
// change), so only identical edits group.
func fingerprint(f *hit) string {
	h := fnv.New64a()
	if f.base != nil {
		hashNode(h, f.base, 0)
	}
	h.Write([]byte{0xff})
	if !f.removal && f.rev != nil {
		hashNode(h, f.rev, 0)
	}
	return strconv.FormatUint(h.Sum64(), 36)
}

type writer interface{ Write([]byte) (int, error) }

// hashNode writes a node's content; depth bounds the work on deep trees
// (what differs deeper than that is beyond one reviewer-visible change).
func hashNode(h writer, n *source.Node, depth int) {
	if depth > 64 {
		return
	}
	_, _ = h.Write([]byte{byte(n.Kind)})
	_, _ = h.Write([]byte(n.Value))
	for _, c := range n.Children {
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(c.Key))
		hashNode(h, c, depth+1)
	}
	_, _ = h.Write([]byte{1})
}

// docOrder lists the operations in the order a reader meets them: by
// their position in the revision (the main file first), removed ones
// after, by their position in the base.
func docOrder(res *diff.Result) []*diff.OpPair {
	out := append([]*diff.OpPair(nil), res.Operations...)
	pos := func(p *diff.OpPair) (int, string, int32, int32) {
		side, doc := p.Rev, res.Revision
		if side == nil {
			side, doc = p.Base, res.Base
		}
		if side == nil || side.Node == nil {
			return 2, "", 0, 0
		}
		n := side.Node
		group := 0
		if p.Rev == nil {
			group = 1
		}
		path := ""
		if n.File != nil && doc != nil && n.File != doc.Main {
			path = "\x01" + n.File.Path // other files after the main one
		}
		return group, path, n.Line, n.Col
	}
	sort.SliceStable(out, func(i, j int) bool {
		gi, pi, li, ci := pos(out[i])
		gj, pj, lj, cj := pos(out[j])
		switch {
		case gi != gj:
			return gi < gj
		case pi != pj:
			return pi < pj
		case li != lj:
			return li < lj
		}
		return ci < cj
	})
	return out
}
