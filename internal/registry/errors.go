package registry

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error a Store returns for one of these conditions
// wraps the sentinel (test with errors.Is) and reads as one sentence naming
// the function and version concerned.
var (
	// ErrNotFound: no such function, version or active version.
	ErrNotFound = errors.New("not found")
	// ErrExists: the function already has this version number.
	ErrExists = errors.New("version already exists")
	// ErrIdentical: the bundle is byte-identical to an existing version.
	ErrIdentical = errors.New("identical to an existing version")
	// ErrSelfApproval: the reviewer is the version's author.
	ErrSelfApproval = errors.New("self-approval")
	// ErrBadTransition: the status change is not allowed from the current
	// status (approving a rejected version, deprecating a pending one…).
	ErrBadTransition = errors.New("status change not allowed")
	// ErrConflict: the store's state changed or disagrees with its history
	// (a pointer edited behind the store's back, a lost race).
	ErrConflict = errors.New("conflict")
	// ErrTampered: stored content or audit events no longer match their
	// recorded hashes.
	ErrTampered = errors.New("tampered")
	// ErrInvalid: a malformed name, version, bundle path or missing field.
	ErrInvalid = errors.New("invalid")
	// ErrAfterCommit: the change was committed (its event is in the audit
	// log), but work that follows the commit failed, such as the file
	// store rewriting its derived files on a full disk. The Version
	// returned with it is the committed one, so callers still announce the
	// change; the backend repairs the rest on its next write.
	ErrAfterCommit = errors.New("committed, but a follow-up failed")
)

// afterCommit marks err as a failure after the commit point.
type afterCommit struct{ err error }

func (e *afterCommit) Error() string   { return e.err.Error() }
func (e *afterCommit) Unwrap() []error { return []error{e.err, ErrAfterCommit} }

// AfterCommit wraps err, which happened after a change was committed, so
// that errors.Is(err, ErrAfterCommit) holds and err's own kind still shows.
func AfterCommit(err error) error { return &afterCommit{err: err} }

// sentence is an error whose message is a whole sentence of its own and
// whose kind is a sentinel; the sentinel's short text is not repeated.
type sentence struct {
	msg  string
	kind error
}

func (e *sentence) Error() string { return e.msg }
func (e *sentence) Unwrap() error { return e.kind }

// Errorf builds an error of the given sentinel kind with a full-sentence
// message. Backends use it so that every store words its errors alike.
func Errorf(kind error, format string, args ...any) error {
	return &sentence{msg: fmt.Sprintf(format, args...), kind: kind}
}

// Ref names one version in messages: team/name@1.2.3.
func Ref(function, version string) string {
	return function + "@" + version
}

// IsNotFound is errors.Is(err, ErrNotFound), for callers that branch on
// "nothing there yet".
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
