package rules

import (
	"regexp"
	"strconv"
	"sync"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/source"
)

// A value an enum variant of a union drops is no loss while another
// variant of the revision still accepts it: tsconfig's module names are
// anyOf [enum of spellings, case-insensitive pattern], and respelling the
// enum refuses nothing the pattern takes. noteSiblings records each
// variant pair's revision siblings before the rules run; checkEnum asks
// acceptedElsewhere before it reports a removed value.

// noteSiblings records, for every variant pair of sp's unions, the other
// variants of the revision.
func (e *emitter) noteSiblings(sp *diff.SchemaPair) {
	for _, list := range [][]*diff.VariantPair{sp.OneOf, sp.AnyOf} {
		for _, vp := range list {
			if vp.Schema == nil {
				continue
			}
			for _, other := range list {
				if other != vp && other.Rev != nil {
					e.siblings[vp.Schema] = append(e.siblings[vp.Schema], other.Rev)
				}
			}
		}
	}
}

// acceptedElsewhere reports whether a sibling variant of sp accepts v.
func (e *emitter) acceptedElsewhere(sp *diff.SchemaPair, v *source.Node) bool {
	for _, w := range e.siblings[sp] {
		if accepts(w, v) {
			return true
		}
	}
	return false
}

// judgedKeys are the keywords accepts evaluates, besides annotations
// (diff.IsAnnotation) and those that assert nothing; a schema with any
// other (format, not, allOf, …) is never said to accept, so a doubt keeps
// the finding.
var judgedKeys = map[string]bool{
	"type": true, "enum": true, "const": true, "pattern": true, "minLength": true, "maxLength": true,
	"default": true, "markdownDescription": true,
}

// accepts reports whether w certainly admits the scalar v.
func accepts(w *diff.Schema, v *source.Node) bool {
	if w == nil || w.Node == nil || w.Node.Kind != source.Object || v.Kind == source.Object || v.Kind == source.Array {
		return false
	}
	for _, k := range w.Node.Children {
		if !judgedKeys[k.Key] && !diff.IsAnnotation(k.Key) {
			return false
		}
	}
	if w.Admits()&diff.ValueTypes([]*source.Node{v}) == 0 {
		return false
	}
	if vals, _ := w.Values(); vals != nil && !listed(vals, v) {
		return false
	}
	return v.Kind != source.String || stringFits(w.Node, v.Value)
}

func listed(vals []*source.Node, v *source.Node) bool {
	for _, x := range vals {
		if enumKey(x) == enumKey(v) {
			return true
		}
	}
	return false
}

// stringFits checks pattern, minLength and maxLength. A pattern Go's
// regexp cannot compile (ECMA lookarounds) counts as a refusal.
func stringFits(n *source.Node, s string) bool {
	if p := n.Get("pattern"); p != nil {
		re := compiledPattern(p.Value)
		if re == nil || !re.MatchString(s) {
			return false
		}
	}
	length := len([]rune(s))
	if m := n.Get("minLength"); m != nil {
		if lo, err := strconv.Atoi(m.Value); err != nil || length < lo {
			return false
		}
	}
	if m := n.Get("maxLength"); m != nil {
		if hi, err := strconv.Atoi(m.Value); err != nil || length > hi {
			return false
		}
	}
	return true
}

// patterns caches compiled patterns (nil: Go cannot compile it): a large
// enum asks the same sibling's pattern once per value.
var patterns sync.Map

func compiledPattern(p string) *regexp.Regexp {
	if re, ok := patterns.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	patterns.Store(p, re)
	return re
}
