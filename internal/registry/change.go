package registry

import (
	"strings"
	"time"
)

// ValidateRef checks a function name and a version number.
func ValidateRef(function, version string) error {
	if err := ValidateFunction(function); err != nil {
		return err
	}
	_, err := ParseVersion(version)
	return err
}

// Change is one requested status change, what Store.Apply does: approve,
// reject, deprecate or withdraw function@version. Every backend validates
// and decides it the same way, here; only how it is stored differs.
type Change struct {
	Function, Version string
	// Actor is who makes the change: the reviewer of an approval or a
	// rejection.
	Actor string
	// Reason is recorded with the change; a rejection requires one.
	Reason string
	// To is the status the version moves to: Approved, Rejected,
	// Deprecated or Withdrawn.
	To Status
	// AllowSelf lets the version's author approve it.
	AllowSelf bool
	// Signature, when set, is Actor's signature of the decision (see
	// ApprovalPayload); it is recorded with the event.
	Signature *Signature
}

// Validate checks the request before any storage is touched.
func (c Change) Validate() error {
	if err := ValidateRef(c.Function, c.Version); err != nil {
		return err
	}
	ref := Ref(c.Function, c.Version)
	if _, ok := actionFor[c.To]; !ok {
		return Errorf(ErrInvalid, "cannot mark %s %q: a change makes a version approved, rejected, deprecated or withdrawn", ref, c.To)
	}
	if strings.TrimSpace(c.Actor) == "" {
		return Errorf(ErrInvalid, "marking %s %s needs the name of who does it", ref, c.To)
	}
	if c.To == Rejected && strings.TrimSpace(c.Reason) == "" {
		return Errorf(ErrInvalid, "rejecting %s needs a reason", ref)
	}
	return nil
}

// Decide checks the change against the version's current state: the
// transition must be allowed, and an author may not approve their own
// version unless AllowSelf.
func (c Change) Decide(v Version) error {
	if err := CheckTransition(c.Function, c.Version, v.Status, c.To); err != nil {
		return err
	}
	if c.To == Approved && !c.AllowSelf && sameActor(c.Actor, v.Author) {
		return Errorf(ErrSelfApproval,
			"%s cannot be approved by its own author %s; ask another reviewer, or allow self-approval explicitly", v.Ref(), c.Actor)
	}
	return nil
}

// Action is the audit action that records the change: approve for a
// change to Approved, and so on ("" for a target Validate refuses).
func (c Change) Action() Action { return actionFor[c.To] }

// Event is the audit event that records the change at t.
func (c Change) Event(t time.Time) Event {
	return Event{Time: t, Actor: c.Actor, Action: c.Action(), Function: c.Function, Version: c.Version, Detail: c.Reason,
		Signature: c.Signature}
}

// sameActor compares names as people type them: "Alice " is alice.
func sameActor(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

var actionFor = map[Status]Action{
	Approved:   ActionApprove,
	Rejected:   ActionReject,
	Deprecated: ActionDeprecate,
	Withdrawn:  ActionWithdraw,
}

var targetOf = map[Action]Status{
	ActionApprove:   Approved,
	ActionReject:    Rejected,
	ActionDeprecate: Deprecated,
	ActionWithdraw:  Withdrawn,
}

// StatusSetBy returns the status a status-changing action sets; ok is
// false for actions that change no status (publish, notify-failed).
func StatusSetBy(a Action) (s Status, ok bool) {
	s, ok = targetOf[a]
	return s, ok
}

// ApplyStatus records a replayed or new status-changing event on v:
// approvals and rejections fill the decision, deprecations and
// withdrawals the retirement, so an approval is never overwritten.
func ApplyStatus(v *Version, to Status, e Event) {
	v.Status = to
	switch to {
	case Approved, Rejected:
		v.Reviewer, v.Reason, v.DecidedAt = e.Actor, e.Detail, e.Time
	default:
		v.RetiredBy, v.RetireReason, v.RetiredAt = e.Actor, e.Detail, e.Time
	}
}
