package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
)

// Action is what an audit event records.
type Action string

// The actions. Publish's Detail is the bundle's SHA256, which binds the
// stored content into the hash chain; the status changes' Detail is the
// reason given.
const (
	ActionPublish   Action = "publish"
	ActionApprove   Action = "approve"
	ActionReject    Action = "reject"
	ActionDeprecate Action = "deprecate"
	ActionWithdraw  Action = "withdraw"
	// ActionNotifyFailed records a notification that could not be
	// delivered; reserved for the notifier, which no store method writes yet.
	ActionNotifyFailed Action = "notify-failed"
	// ActionMerge records that two branches' events were merged into one
	// chain; it changes no version, and its Detail names the events that
	// were re-chained with their former hashes. Only the file store's
	// merge driver writes it.
	ActionMerge Action = "merge"
)

// Actions lists every action, in the order a version meets them; audit
// filters are checked against it.
var Actions = []Action{ActionPublish, ActionApprove, ActionReject, ActionDeprecate, ActionWithdraw, ActionSign, ActionNotifyFailed, ActionMerge,
	ActionIncidentAck, ActionIncidentResolve, ActionIncidentReopen}

// GenesisHash is the PrevHash of the first event.
var GenesisHash = strings.Repeat("0", 64)

// Event is one entry of the append-only audit log.
type Event struct {
	// Seq numbers the events of one hash chain from 1 with no gaps. A
	// backend keeps one chain for the whole registry (PostgreSQL) or one
	// per function (the file store, so that branches working on different
	// functions merge without conflict); Seq is unique within a chain.
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Action   Action    `json:"action"`
	Function string    `json:"function"`
	Version  string    `json:"version"`
	Detail   string    `json:"detail"`
	PrevHash string    `json:"prevHash"`
	// Signature signs an approval or rejection; nil for every other event
	// and for decisions recorded without one.
	Signature *Signature `json:"signature,omitempty"`
	// Hash is HashEvent of the event.
	Hash string `json:"hash"`
}

// Ref names the event's version as function@version.
func (e Event) Ref() string { return Ref(e.Function, e.Version) }

// unhashed is Event without Hash: its field order and JSON names are the
// canonical form that HashEvent hashes. Changing it breaks every existing
// chain, so it never changes.
type unhashed struct {
	Seq      int64  `json:"seq"`
	Time     string `json:"time"`
	Actor    string `json:"actor"`
	Action   Action `json:"action"`
	Function string `json:"function"`
	Version  string `json:"version"`
	Detail   string `json:"detail"`
	PrevHash string `json:"prevHash"`
}

// unhashedSigned is the canonical form of a signed event: unhashed with
// the signature appended, so that events without one keep the hash they
// always had and a signature cannot be added, swapped or removed without
// breaking the chain.
type unhashedSigned struct {
	unhashed
	SignedAt string `json:"signedAt"`
	Armored  string `json:"signature"`
}

// HashEvent returns the hex sha256 of the event's canonical JSON: the
// fields above in that order, the time in UTC as RFC 3339 with nanoseconds
// (trailing zeros dropped), no HTML escaping, no insignificant space; for
// a signed event, the signature's time and text follow.
func HashEvent(e Event) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	u := unhashed{
		Seq: e.Seq, Time: e.Time.UTC().Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action,
		Function: e.Function, Version: e.Version, Detail: e.Detail, PrevHash: e.PrevHash,
	}
	if s := e.Signature; s != nil {
		_ = enc.Encode(unhashedSigned{unhashed: u, SignedAt: s.SignedAt.UTC().Format(time.RFC3339Nano), Armored: s.Armored})
	} else {
		_ = enc.Encode(u) // strings and ints only: cannot fail
	}
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:])
}

// Chain links e after prev (nil for the first event): it sets Seq,
// PrevHash and Hash.
func Chain(prev *Event, e Event) Event {
	e.Seq, e.PrevHash = 1, GenesisHash
	if prev != nil {
		e.Seq, e.PrevHash = prev.Seq+1, prev.Hash
	}
	e.Hash = HashEvent(e)
	return e
}

// CheckLink returns ErrTampered naming e.Seq (or position) when e does not
// follow prev (nil for the first event) or its hash does not match. at is
// e's 1-based position in the log, for events whose Seq itself was altered.
func CheckLink(prev *Event, e Event, at int64) error {
	wantSeq, wantPrev := int64(1), GenesisHash
	if prev != nil {
		wantSeq, wantPrev = prev.Seq+1, prev.Hash
	}
	switch {
	case e.Seq != wantSeq:
		return Errorf(ErrTampered, "audit log is broken at event %d: its sequence number is %d, want %d", at, e.Seq, wantSeq)
	case e.PrevHash != wantPrev:
		return Errorf(ErrTampered, "audit log is broken at event %d (%s %s): its prevHash does not match the hash of event %d", e.Seq, e.Action, e.Ref(), e.Seq-1)
	case e.Hash != HashEvent(e):
		return Errorf(ErrTampered, "audit log is broken at event %d (%s %s): its content does not match its hash", e.Seq, e.Action, e.Ref())
	}
	return nil
}

// VerifyChain checks a whole log, first event first.
func VerifyChain(events []Event) error {
	var prev *Event
	for i := range events {
		if err := CheckLink(prev, events[i], int64(i+1)); err != nil {
			return err
		}
		prev = &events[i]
	}
	return nil
}
