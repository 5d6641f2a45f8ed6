package rules

import (
	"time"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
)

// Deprecation policy. An operation may be removed without breaking anyone
// only after its x-sunset date has passed (operation-removed-after-sunset),
// so the date a deprecation announces is a promise to clients. These rules
// check the promise when it is made or changed: a date that cannot be read
// never passes, and with a minimum deprecation period configured
// (.relay.yaml deprecation.min-days) a sunset must give clients at least
// that much notice.
var (
	opSunsetInvalid = def(Rule{
		ID: "operation-sunset-invalid", Level: finding.Warning,
		Summary: "an operation's x-sunset is not a date",
		Message: "x-sunset of %s is %s, which is not a YYYY-MM-DD date or RFC 3339 date-time",
		Doc: `relay reads x-sunset as an RFC 3339 date (2026-12-31) or date-time. A value it
cannot read never passes, so removing the operation later stays breaking.

  base:     get: {deprecated: true}
  revision: get: {deprecated: true, x-sunset: "end of Q3"}`,
	})
	opSunsetMissing = def(Rule{
		ID: "operation-sunset-missing", Level: finding.Warning,
		Summary: "an operation was deprecated without an x-sunset date (with a minimum deprecation period set)",
		Message: "%s is now deprecated without an x-sunset date; the policy asks for at least %d days of notice",
		Doc: `Reported only when .relay.yaml sets deprecation.min-days: clients need a date to
plan their migration, and removal is non-breaking only after it.

  base:     get: {operationId: listPets}
  revision: get: {operationId: listPets, deprecated: true}`,
	})
	opSunsetTooSoon = def(Rule{
		ID: "operation-sunset-too-soon", Level: finding.Warning,
		Summary: "an operation's x-sunset gives less notice than the minimum deprecation period",
		Message: "x-sunset of %s is %s, %d days away; the policy asks for at least %d",
		Doc: `Reported when an operation is newly deprecated, or its x-sunset date changes,
and the date is closer than .relay.yaml's deprecation.min-days from today.

  base:     get: {operationId: listPets}
  revision: get: {deprecated: true, x-sunset: "2026-06-10"}   # min-days: 90`,
	})
)

// checkSunset runs on an operation present on both sides.
func checkSunset(e *emitter, op *diff.OpPair) {
	b, r := op.Base, op.Rev
	if !r.Deprecated || (b.Deprecated && b.Sunset == r.Sunset) {
		return // nothing new was promised
	}
	node := r.Node.Get("x-sunset")
	if r.Sunset == "" {
		if node == nil && e.opts.MinDeprecationDays > 0 {
			e.onOp(op, opSunsetMissing, changed(b.Node, r.Node.Get("deprecated")), r.Name, e.opts.MinDeprecationDays)
		} else if node != nil {
			e.onOp(op, opSunsetInvalid, changed(b.Node.Get("x-sunset"), node), r.Name, quote(node.Value))
		}
		return
	}
	t, ok := parseSunset(r.Sunset)
	if !ok {
		e.onOp(op, opSunsetInvalid, changed(b.Node.Get("x-sunset"), node), r.Name, quote(r.Sunset))
		return
	}
	if minDays := e.opts.MinDeprecationDays; minDays > 0 {
		if days := daysUntil(e.opts.Now, t); days < minDays {
			e.onOp(op, opSunsetTooSoon, changed(b.Node.Get("x-sunset"), node), r.Name, r.Sunset, days, minDays)
		}
	}
}

// parseSunset reads an RFC 3339 date or date-time.
func parseSunset(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// daysUntil counts whole days from now to t (negative when t has passed).
func daysUntil(now, t time.Time) int {
	return int(t.Sub(now).Hours() / 24)
}

// sunsetPassed reports whether an x-sunset date lies before now; a date
// that cannot be read never passes.
func sunsetPassed(sunset string, now time.Time) bool {
	t, ok := parseSunset(sunset)
	return ok && now.After(t)
}
