package registry

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Signature is the proof that an allowed reviewer made a decision: an SSH
// signature (ssh-keygen -Y sign) over ApprovalPayload, by the key of the
// event's Actor. A reviewer's name is free text that anyone who can commit
// can write; the signature is what a pull-request author cannot forge.
type Signature struct {
	// SignedAt is the time in the signed payload, in UTC to the microsecond.
	SignedAt time.Time `json:"signedAt"`
	// Armored is the "-----BEGIN SSH SIGNATURE-----" block.
	Armored string `json:"armored"`
}

// SignatureNamespace is the ssh-keygen namespace (-n) of an approval for a
// function of team: one namespace per team, so that an allowed-signers
// line can restrict a key to the teams it reviews for with
// namespaces="relay-approval@my-team", which ssh-keygen itself enforces.
func SignatureNamespace(function string) string {
	team, _, _ := strings.Cut(function, "/")
	return "relay-approval@" + team
}

// ApprovalPayload is the canonical text a reviewer signs: the version,
// the content hash it was published with, the decision, who decides and
// when. Every value is a validated name, a hex hash, an action, an ssh
// principal (no white space) or a timestamp, so one line per field is
// unambiguous.
func ApprovalPayload(function, version, sha256 string, decision Action, principal string, at time.Time) []byte {
	return fmt.Appendf(nil, "relay-approval/v1\nfunction %s\nversion %s\nsha256 %s\ndecision %s\nreviewer %s\ntime %s\n",
		function, version, sha256, decision, principal, at.UTC().Format(time.RFC3339Nano))
}

// ActionSign records a signature added to an existing approval: how an
// approval recorded before signatures were required gets one. It changes
// no version; its Detail is SignNote of the signature and its Actor the
// signer, and it is recorded with Store.Note.
const ActionSign Action = "sign"

// SignNote is the Detail of an ActionSign event.
func SignNote(s Signature) string {
	b, _ := json.Marshal(s) // a time and a string: cannot fail
	return string(b)
}

// ParseSignNote reads an ActionSign event's Detail; ok is false when it is
// not one.
func ParseSignNote(detail string) (s *Signature, ok bool) {
	s = &Signature{}
	if err := json.Unmarshal([]byte(detail), s); err != nil || s.Armored == "" || s.SignedAt.IsZero() {
		return nil, false
	}
	return s, true
}
