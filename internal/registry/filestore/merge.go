package filestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// MergeActor is the actor of the event that records a merge.
const MergeActor = "relay merge-driver"

// MergeLogs merges two branches' versions of one audit log, ours and
// theirs, that both grew from base: the job of git's merge driver for
// audit.jsonl. Each side's new events are kept whole and in order; one
// side's run stays as it is and the other's is re-chained after it (new
// Seq, PrevHash and Hash; content untouched), and a merge event records
// which events were re-chained and their former hashes. The result does
// not depend on which side is ours: the side that changed the function's
// active version goes first (so its active.json, which names the Seq that
// made the version active, stays true), else the side whose first new
// event is earlier (then the smaller hash).
//
// It refuses, naming the reason, when a side rewrote base, a chain does
// not verify, both sides published the same version, both changed the
// status of the same version, or both changed which version is active
// (approve or withdraw): those need a person to decide.
func MergeLogs(base, ours, theirs []byte) ([]byte, error) {
	var logs [3][]registry.Event
	for i, data := range [][]byte{base, ours, theirs} {
		events, err := parseMergeInput(data, [3]string{"the common ancestor", "our side", "their side"}[i])
		if err != nil {
			return nil, err
		}
		logs[i] = events
	}
	b, o, t := logs[0], logs[1], logs[2]
	newO, err := suffixAfter(b, o, "our side")
	if err != nil {
		return nil, err
	}
	newT, err := suffixAfter(b, t, "their side")
	if err != nil {
		return nil, err
	}
	switch {
	case len(newT) == 0 || sameEvents(newO, newT):
		return ours, nil
	case len(newO) == 0:
		return theirs, nil
	}
	if err := checkDisjoint(newO, newT); err != nil {
		return nil, err
	}
	first, second := order(newO, newT)
	merged := append(append(append([]registry.Event(nil), b...), first...), rechain(&first[len(first)-1], second)...)
	merged = append(merged, mergeEvent(merged, second))
	var out bytes.Buffer
	for _, e := range merged {
		line, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

// parseMergeInput reads one side completely (a merge never sees a partial
// line: git stores whole files) and checks its chain from its first event.
func parseMergeInput(data []byte, side string) ([]registry.Event, error) {
	var out []registry.Event
	for i, raw := range bytes.Split(data, []byte("\n")) {
		text := bytes.TrimSpace(raw)
		if len(text) == 0 {
			continue
		}
		e, err := parseEvent(text)
		if err != nil {
			return nil, fmt.Errorf("cannot merge the audit log: line %d of %s is not a valid audit event: %w", i+1, side, err)
		}
		var prev *registry.Event
		if len(out) > 0 {
			prev = &out[len(out)-1]
		} else if e.Hash == registry.HashEvent(e) {
			out = append(out, e) // the chain may continue a legacy log
			continue
		}
		if err := registry.CheckLink(prev, e, int64(len(out)+1)); err != nil {
			return nil, fmt.Errorf("cannot merge the audit log: line %d of %s: %w", i+1, side, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// suffixAfter returns the events side added after base, which must be a
// prefix of it: audit logs are append-only.
func suffixAfter(base, side []registry.Event, name string) ([]registry.Event, error) {
	if len(side) < len(base) {
		return nil, fmt.Errorf("cannot merge the audit log: %s has %d events, fewer than the %d of the common ancestor; it was cut, restore it from version control", name, len(side), len(base))
	}
	for i := range base {
		if side[i].Hash != base[i].Hash {
			return nil, fmt.Errorf("cannot merge the audit log: %s changed event %d of the common ancestor (%s %s); the log is append-only, restore it from version control",
				name, base[i].Seq, base[i].Action, base[i].Ref())
		}
	}
	return side[len(base):], nil
}

func sameEvents(a, b []registry.Event) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Hash != b[i].Hash {
			return false
		}
	}
	return true
}

// checkDisjoint refuses what replaying both sides cannot settle.
func checkDisjoint(o, t []registry.Event) error {
	touched := func(events []registry.Event) map[string]registry.Event {
		m := map[string]registry.Event{}
		for _, e := range events {
			if !registry.ChangesNoVersion(e.Action) {
				if _, seen := m[e.Ref()]; !seen {
					m[e.Ref()] = e
				}
			}
		}
		return m
	}
	tm := touched(t)
	for ref, eo := range touched(o) {
		if et, both := tm[ref]; both {
			return fmt.Errorf("cannot merge the audit log: both branches changed %s (ours: %s by %s, theirs: %s by %s); keep one branch's change, then redo the other's with a new version or decision",
				ref, eo.Action, eo.Actor, et.Action, et.Actor)
		}
	}
	ao, at := activeChanges(o), activeChanges(t)
	if len(ao) > 0 && len(at) > 0 {
		return fmt.Errorf("cannot merge the audit log: both branches changed the active version (ours: %s, theirs: %s); merge one branch, then redo the other's decision on top of it",
			strings.Join(ao, ", "), strings.Join(at, ", "))
	}
	return nil
}

// activeChanges describes the events that may change which version is
// active: approvals and withdrawals (deprecated versions stay active).
func activeChanges(events []registry.Event) []string {
	var out []string
	for _, e := range events {
		if e.Action == registry.ActionApprove || e.Action == registry.ActionWithdraw {
			out = append(out, string(e.Action)+" "+e.Ref())
		}
	}
	return out
}

// order picks which side keeps its chain: see MergeLogs.
func order(o, t []registry.Event) (first, second []registry.Event) {
	switch ao, at := len(activeChanges(o)) > 0, len(activeChanges(t)) > 0; {
	case ao:
		return o, t
	case at:
		return t, o
	}
	if earlier(o[0], t[0]) || o[0].Time.Equal(t[0].Time) && o[0].Function == t[0].Function && o[0].Hash < t[0].Hash {
		return o, t
	}
	return t, o
}

// rechain links events after prev, keeping their content.
func rechain(prev *registry.Event, events []registry.Event) []registry.Event {
	out := make([]registry.Event, 0, len(events))
	for _, e := range events {
		e = registry.Chain(prev, e)
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	return out
}

// mergeEvent records the merge after merged, naming the re-chained events
// by their former hashes. Its time is the latest event's, so that every
// clone that makes the same merge writes the same line.
func mergeEvent(merged, moved []registry.Event) registry.Event {
	last := merged[len(merged)-1]
	at := last.Time
	for _, e := range merged {
		if e.Time.After(at) {
			at = e.Time
		}
	}
	from := merged[len(merged)-len(moved)].Seq
	var was []string
	for _, e := range moved {
		was = append(was, fmt.Sprintf("%d=%s", e.Seq, short(e.Hash)))
	}
	function := moved[0].Function
	for _, e := range merged {
		if e.Function != function {
			function = ""
		}
	}
	e := registry.Event{Time: at, Actor: MergeActor, Action: registry.ActionMerge, Function: function,
		Detail: fmt.Sprintf("merged two branches: re-chained %d event(s) of one branch as seq %d-%d after the other's (former seq=hash: %s)",
			len(moved), from, last.Seq, strings.Join(was, ", "))}
	return registry.Chain(&last, e)
}
