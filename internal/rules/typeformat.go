package rules

import (
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/diff"
)

// mergeTypeAndFormat folds a format change into the type change of the
// same value: `integer/int32` → `string/date-time` is one change a client
// sees, not two. A format hit more severe than the type hit stays on its
// own, so merging never hides a verdict.
func mergeTypeAndFormat(hits []*hit) []*hit {
	typeHit := map[*diff.SchemaPair]*hit{}
	for _, f := range hits {
		if f.schema != nil && strings.Contains(f.rule.ID, "-property-type-") {
			typeHit[f.schema] = f
		}
	}
	if len(typeHit) == 0 {
		return hits
	}
	out := make([]*hit, 0, len(hits))
	folded := map[*hit]*hit{}
	for _, f := range hits {
		t := typeHit[f.schema]
		if t == nil || !strings.Contains(f.rule.ID, "-property-format-") || f.rule.Level.Rank() > t.rule.Level.Rank() {
			out = append(out, f)
			continue
		}
		if folded[t] == nil {
			c := *t
			c.msg += " (format " + formatText(formatOf(f.schema.Base)) + " → " + formatText(formatOf(f.schema.Rev)) + ")"
			folded[t] = &c
		}
	}
	for i, f := range out {
		if c := folded[f]; c != nil {
			out[i] = c
		}
	}
	return out
}

func formatOf(s *diff.Schema) string {
	if s == nil {
		return ""
	}
	return s.Format
}

// sameInRevision merges changes that read the same in the revision: same
// rule, same message, same revision location. They arise when the base
// had several copies of a schema that the revision made one shared
// component (three inline oneOfs now one $ref): each base copy reports the
// same change at the same revision node, and a reviewer sees duplicates.
// The first reached in document order stays, with the union of affects.
func sameInRevision(byKey map[string]*merged, keys []string) []*merged {
	seen := make(map[string]*merged, len(keys))
	out := make([]*merged, 0, len(keys))
	for _, k := range keys {
		m := byKey[k]
		f := m.first
		if f.rev == nil {
			out = append(out, m)
			continue
		}
		p := f.rev.Pos()
		key := f.rule.ID + "\x00" + f.msg + "\x00" + p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
		prev := seen[key]
		if prev == nil {
			seen[key] = m
			out = append(out, m)
			continue
		}
		prev.addAffects(m.affects)
		if m.firstRank < prev.firstRank {
			prev.first, prev.firstRank, prev.operation = m.first, m.firstRank, m.operation
		}
	}
	return out
}
