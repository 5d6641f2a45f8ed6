package rules

import (
	"math"
	"strconv"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

// A constraint is a numeric keyword that bounds valid values. Tightening one
// rejects values that were valid; relaxing one admits new values. The family
// is generated from this table so every keyword gets the same four rules.
type constraint struct {
	id, keyword  string
	upper        bool // a maximum: lower values are tighter
	get          func(*diff.Schema) diff.Bound
	tight, loose sided
}

var constraints = []*constraint{
	{id: "maximum", keyword: "maximum", upper: true, get: func(s *diff.Schema) diff.Bound { return s.Max }},
	{id: "minimum", keyword: "minimum", get: func(s *diff.Schema) diff.Bound { return s.Min }},
	{id: "max-length", keyword: "maxLength", upper: true, get: func(s *diff.Schema) diff.Bound { return s.MaxLength }},
	{id: "min-length", keyword: "minLength", get: func(s *diff.Schema) diff.Bound { return s.MinLength }},
	{id: "max-items", keyword: "maxItems", upper: true, get: func(s *diff.Schema) diff.Bound { return s.MaxItems }},
	{id: "min-items", keyword: "minItems", get: func(s *diff.Schema) diff.Bound { return s.MinItems }},
	{id: "max-properties", keyword: "maxProperties", upper: true, get: func(s *diff.Schema) diff.Bound { return s.MaxProps }},
	{id: "min-properties", keyword: "minProperties", get: func(s *diff.Schema) diff.Bound { return s.MinProps }},
	{id: "unique-items", keyword: "uniqueItems", get: func(s *diff.Schema) diff.Bound { return s.UniqueItems }},
	{id: "multiple-of", keyword: "multipleOf", get: func(s *diff.Schema) diff.Bound { return s.MultipleOf }},
}

const (
	whyTight = "a request that accepts less rejects values clients send; a response that emits a narrower range is still readable"
	whyLoose = "a request that accepts more is additive; a response that may emit values outside the old range can break clients that store or validate them, though most do not check bounds (hence a warning)"
)

func init() {
	for _, c := range constraints {
		c.tight = defSided(sidedSpec{
			id: "property-" + c.id + "-tightened", req: finding.Breaking, resp: finding.NonBreaking,
			summary: c.keyword + " tightened", message: c.keyword + " of %s tightened from %s to %s",
			why: whyTight,
			doc: "Adding " + c.keyword + ", or changing it so fewer values are valid.\n\n" +
				"  base:     {type: ..., " + exampleBound(c, false) + "}\n" +
				"  revision: {type: ..., " + exampleBound(c, true) + "}",
		})
		c.loose = defSided(sidedSpec{
			id: "property-" + c.id + "-relaxed", req: finding.NonBreaking, resp: finding.Warning,
			summary: c.keyword + " relaxed", message: c.keyword + " of %s relaxed from %s to %s",
			why: whyLoose,
			doc: "Removing " + c.keyword + ", or changing it so more values are valid.\n\n" +
				"  base:     {type: ..., " + exampleBound(c, true) + "}\n" +
				"  revision: {type: ..., " + exampleBound(c, false) + "}",
		})
	}
}

func exampleBound(c *constraint, tight bool) string {
	switch {
	case c.id == "unique-items":
		return c.keyword + ": " + strconv.FormatBool(tight)
	case c.id == "multiple-of" && tight:
		return c.keyword + ": 10"
	case c.id == "multiple-of":
		return c.keyword + ": 5"
	case c.upper == tight:
		return c.keyword + ": 10"
	}
	return c.keyword + ": 20"
}

// compare returns +1 when the revision is tighter, -1 when looser, 0 when
// equal. A change that is neither (multipleOf 3 → 5) counts as tighter on the
// request side and looser on the response side: it does both.
func (c *constraint) compare(b, r diff.Bound, side diff.Side) int {
	switch {
	case !b.Set && !r.Set:
		return 0
	case !b.Set:
		return 1
	case !r.Set:
		return -1
	case c.id == "multiple-of":
		return compareMultiple(b.V, r.V, side)
	case b.V == r.V && b.Excl == r.Excl:
		return 0
	}
	lower := r.V > b.V || r.V == b.V && r.Excl
	if c.upper {
		lower = r.V < b.V || r.V == b.V && r.Excl
	}
	if lower {
		return 1
	}
	return -1
}

func compareMultiple(b, r float64, side diff.Side) int {
	switch {
	case b == r:
		return 0
	case isMultiple(b, r): // the new step divides the old: more values
		return -1
	case isMultiple(r, b):
		return 1
	case side == diff.RequestSide:
		return 1
	}
	return -1
}

func isMultiple(x, step float64) bool {
	q := x / step
	return math.Abs(q-math.Round(q)) < 1e-9
}

func boundText(b diff.Bound) string {
	if !b.Set {
		return "(none)"
	}
	s := strconv.FormatFloat(b.V, 'f', -1, 64)
	if b.Excl {
		s += " (exclusive)"
	}
	return s
}

func checkConstraints(e *emitter, sp *diff.SchemaPair) {
	for _, c := range constraints {
		b, r := c.get(sp.Base), c.get(sp.Rev)
		cmp := c.compare(b, r, sp.Side)
		if cmp == 0 {
			continue
		}
		rule := c.tight.on(sp.Side)
		if cmp < 0 {
			rule = c.loose.on(sp.Side)
		}
		e.onSchema(sp, rule, at(b.Node, r.Node, sp.Base, sp.Rev), what(sp.Rev), boundText(b), boundText(r))
	}
}
