package load

import (
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// AsyncAPI generators write keys that hold a '/' (message and channel names
// such as "a/b.c") into $refs without escaping it as ~1, as RFC 6901 asks:
// "#/components/messages/a/b.c". Every tool that reads the spec as its
// authors meant finds the key, so relay does too — when exactly one
// grouping of the pointer's segments into keys reaches a node — and warns,
// naming the escaped form. Two groupings that both reach a node stay an
// error: guessing would compare the wrong schema.

// maxSlashMatches stops the search once the pointer is known to be
// ambiguous.
const maxSlashMatches = 2

// slashMatch is one way to read a pointer's segments as keys.
type slashMatch struct {
	node   *source.Node
	tokens []string
}

// resolveSlashKeys retries a pointer that did not resolve, letting a
// key span several of its segments. ok is false when no grouping
// matches; the error is set when more than one does.
func (l *loader) resolveSlashKeys(root *source.Node, frag string, ref *source.Node) (*source.Node, bool, *source.Error) {
	if frag == "" || frag[0] != '/' {
		return nil, false, nil
	}
	segs := strings.Split(frag[1:], "/")
	for i, s := range segs {
		segs[i] = source.UnescapeToken(s)
	}
	var found []slashMatch
	matchSegments(root, segs, nil, &found)
	loc, _, _ := strings.Cut(ref.Value, "#")
	switch len(found) {
	case 0:
		return nil, false, nil
	case 1:
		l.doc.Warnings = append(l.doc.Warnings, source.Errorf(ref.ValuePos(),
			"$ref %s has a '/' inside a key, which a JSON pointer must write as ~1: it resolves to the one key that fits; write it as %s",
			quote(ref.Value), quote(loc+"#"+tokensPointer(found[0].tokens))))
		return found[0].node, true, nil
	}
	return nil, true, source.Errorf(ref.ValuePos(),
		"unresolvable $ref %s: a '/' inside a key must be written as ~1, and the pointer could mean %s or %s",
		quote(ref.Value), quote(loc+"#"+tokensPointer(found[0].tokens)), quote(loc+"#"+tokensPointer(found[1].tokens)))
}

// matchSegments collects the nodes reached by reading segs as keys, each
// key one or more consecutive segments joined by '/'.
func matchSegments(n *source.Node, segs, tokens []string, found *[]slashMatch) {
	if len(*found) >= maxSlashMatches {
		return
	}
	if len(segs) == 0 {
		*found = append(*found, slashMatch{node: n, tokens: append([]string(nil), tokens...)})
		return
	}
	switch n.Kind {
	case source.Array:
		if i, err := strconv.Atoi(segs[0]); err == nil && i >= 0 && i < len(n.Children) {
			matchSegments(n.Children[i], segs[1:], append(tokens, segs[0]), found)
		}
	case source.Object:
		for k := 1; k <= len(segs); k++ {
			key := strings.Join(segs[:k], "/")
			if c := n.Get(key); c != nil {
				matchSegments(c, segs[k:], append(tokens, key), found)
			}
		}
	}
}

// tokensPointer writes tokens as an RFC 6901 pointer.
func tokensPointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(source.EscapeToken(t))
	}
	return b.String()
}
