package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

// sided is a rule family that exists on both sides, with a level each.
type sided struct {
	req, resp *Rule
}

// on picks the rule for a side.
func (s sided) on(side diff.Side) *Rule {
	if side == diff.RequestSide {
		return s.req
	}
	return s.resp
}

// sidedSpec describes a family; ID and Message get the side prefix/word.
type sidedSpec struct {
	id, summary, message, doc, why string
	req, resp                      finding.Level
}

// defSided registers "request-<id>" and "response-<id>".
func defSided(s sidedSpec) sided {
	mk := func(side Side, lvl finding.Level) *Rule {
		return def(Rule{
			ID:      string(side) + "-" + s.id,
			Level:   lvl,
			Side:    side,
			Summary: string(side) + " " + s.summary,
			Message: string(side) + " " + s.message,
			Doc:     s.doc,
			Why:     s.why,
		})
	}
	return sided{req: mk(Request, s.req), resp: mk(Response, s.resp)}
}
