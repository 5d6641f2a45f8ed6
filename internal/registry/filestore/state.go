package filestore

import (
	"slices"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// fnState is one function as the audit log tells it: the committed
// versions with their statuses, and when the active version changed.
type fnState struct {
	function string
	versions map[string]*registry.Version
	// history lists the active version after each change, oldest first;
	// history[0] is the empty pointer at sequence 0.
	history []activeChange
	// past lists, per version, the status part of version.json after each
	// of its events, oldest first: a file equal to an earlier entry is
	// merely behind the log (a crash), anything else was edited.
	past map[string][]metaStatus
	// lastTime is the time of the function's latest event.
	lastTime time.Time
}

type activeChange struct {
	Seq     int64
	Version string
}

// fold replays the log's events for function. An event that the lifecycle
// does not allow (approving an unknown or rejected version…) means the log
// was forged with recomputed hashes, or written by a buggy tool: ErrTampered.
func fold(function string, events []registry.Event) (*fnState, error) {
	st := &fnState{function: function, versions: map[string]*registry.Version{},
		history: []activeChange{{}}, past: map[string][]metaStatus{}}
	for _, e := range events {
		if e.Function != function {
			continue
		}
		if err := st.apply(e); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// apply replays one event of the function.
func (st *fnState) apply(e registry.Event) error {
	if e.Time.After(st.lastTime) {
		st.lastTime = e.Time
	}
	switch e.Action {
	case registry.ActionPublish:
		if st.versions[e.Version] != nil {
			return registry.Errorf(registry.ErrTampered, "audit event %d publishes %s a second time", e.Seq, e.Ref())
		}
		st.versions[e.Version] = &registry.Version{Function: e.Function, Version: e.Version, SHA256: e.Detail,
			Status: registry.Pending, Author: e.Actor, CreatedAt: e.Time}
	case registry.ActionApprove, registry.ActionReject, registry.ActionDeprecate, registry.ActionWithdraw:
		if err := st.transition(e); err != nil {
			return err
		}
	default:
		return nil // events that change no version (notify-failed, merge)
	}
	st.past[e.Version] = append(st.past[e.Version], statusOf(*st.versions[e.Version]))
	st.noteActive(e.Seq)
	return nil
}

// checkStatus compares the status part of a version's version.json with
// the log: current (ok), an earlier state (stale: a crash before it was
// rewritten), or a state the log never gave the version, which means the
// file was edited and is ErrTampered rather than silently rewritten.
func (st *fnState) checkStatus(version string, m metaStatus, name string) (stale bool, err error) {
	states := st.past[version]
	for i, s := range states {
		if m.equal(s) {
			return i < len(states)-1, nil
		}
	}
	return false, registry.Errorf(registry.ErrTampered,
		"%s says %s, but the audit log never gave %s that status (it is %s there): the file was edited by hand; restore it from version control",
		name, describeStatus(m), registry.Ref(st.function, version), st.versions[version].Status)
}

func describeStatus(m metaStatus) string {
	if m.Reviewer == "" {
		return string(m.Status)
	}
	return string(m.Status) + " by " + m.Reviewer
}

func (st *fnState) transition(e registry.Event) error {
	v := st.versions[e.Version]
	to, _ := registry.StatusSetBy(e.Action)
	if v == nil || !registry.CanTransition(v.Status, to) {
		return registry.Errorf(registry.ErrTampered, "audit event %d (%s %s) does not follow from the events before it", e.Seq, e.Action, e.Ref())
	}
	registry.ApplyStatus(v, to, e)
	return nil
}

// noteActive appends to history when the event at seq changed the active
// version.
func (st *fnState) noteActive(seq int64) {
	if cur := st.active(); cur != st.history[len(st.history)-1].Version {
		st.history = append(st.history, activeChange{Seq: seq, Version: cur})
	}
}

// active is the version that registry.SelectActive picks, or "".
func (st *fnState) active() string {
	vs := st.list()
	if i := registry.SelectActive(vs); i >= 0 {
		return vs[i].Version
	}
	return ""
}

// list returns copies of the versions in ascending semver order.
func (st *fnState) list() []registry.Version {
	out := make([]registry.Version, 0, len(st.versions))
	for _, v := range st.versions {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b registry.Version) int { return registry.CompareVersions(a.Version, b.Version) })
	return out
}

// want is the pointer active.json should hold.
func (st *fnState) want() pointer {
	last := st.history[len(st.history)-1]
	return pointer{Function: st.function, Version: last.Version, Seq: last.Seq}
}

// checkPointer compares active.json with the history: a pointer naming an
// earlier active version at the sequence that made it active is stale (a
// crash before it was rewritten) and reports stale; anything else that is
// not the current pointer was written behind the store's back: ErrConflict.
func (st *fnState) checkPointer(p pointer) (stale bool, err error) {
	for i, h := range st.history {
		if h.Seq == p.Seq && h.Version == p.Version {
			return i < len(st.history)-1, nil
		}
	}
	want := st.want()
	return false, registry.Errorf(registry.ErrConflict,
		"active.json of %s names %q at audit event %d, but the audit log made %q active at event %d; it was changed outside relay (restore it from version control)",
		st.function, p.Version, p.Seq, want.Version, want.Seq)
}
