package registry

import (
	"time"
)

// Status is a version's place in the review lifecycle.
type Status string

// The statuses. pending is where every version starts.
const (
	Pending    Status = "pending"
	Approved   Status = "approved"
	Rejected   Status = "rejected"
	Deprecated Status = "deprecated"
	Withdrawn  Status = "withdrawn"
)

// transitions lists, for each status, the statuses it may move to and the
// audit action that moves it there. Rejected and withdrawn are final:
// nothing is ever deleted, so a final version stays readable forever.
var transitions = map[Status]map[Status]Action{
	Pending:    {Approved: ActionApprove, Rejected: ActionReject},
	Approved:   {Deprecated: ActionDeprecate, Withdrawn: ActionWithdraw},
	Deprecated: {Withdrawn: ActionWithdraw},
}

// CanTransition reports whether a version in status from may move to to.
func CanTransition(from, to Status) bool {
	_, ok := transitions[from][to]
	return ok
}

// CheckTransition returns ErrBadTransition, worded for function@version,
// when from → to is not allowed.
func CheckTransition(function, version string, from, to Status) error {
	if CanTransition(from, to) {
		return nil
	}
	return Errorf(ErrBadTransition, "cannot mark %s %s: it is %s, and only %s versions can be",
		Ref(function, version), to, from, joinStatuses(sourcesOf(to)))
}

// sourcesOf lists the statuses that may move to to, in lifecycle order.
func sourcesOf(to Status) []Status {
	var out []Status
	for _, from := range []Status{Pending, Approved, Deprecated} {
		if CanTransition(from, to) {
			out = append(out, from)
		}
	}
	return out
}

func joinStatuses(ss []Status) string {
	switch len(ss) {
	case 0:
		return "no"
	case 1:
		return string(ss[0])
	}
	return string(ss[0]) + " or " + string(ss[1])
}

// Version is one published version of a function's contract.
type Version struct {
	Function string
	Version  string
	Kind     string
	// Main is the bundle path of the main contract file.
	Main string
	// Files is the bundle (relative path → exact bytes); List leaves it nil.
	Files map[string][]byte
	// SHA256 is BundleSHA256(Files), hex-encoded.
	SHA256 string
	Status Status
	Author string
	// Reviewer, Reason and DecidedAt record the approval or rejection.
	Reviewer  string
	Reason    string
	CreatedAt time.Time
	DecidedAt time.Time
	// RetiredBy, RetireReason and RetiredAt record the latest deprecation or
	// withdrawal, so the approval above is never overwritten.
	RetiredBy    string
	RetireReason string
	RetiredAt    time.Time
	// Diff compares this version with the one active when it was proposed;
	// nil for a function's first version.
	Diff *DiffSummary
}

// Ref names the version as function@version.
func (v Version) Ref() string { return Ref(v.Function, v.Version) }

// Live reports whether the version was approved and not withdrawn: the
// versions that can be active.
func (v Version) Live() bool { return v.Status == Approved || v.Status == Deprecated }

// DiffSummary is the verdict of comparing a proposed version with the
// version active when it was proposed.
type DiffSummary struct {
	// Base is the version compared against.
	Base        string `json:"base"`
	Verdict     string `json:"verdict"`
	Breaking    int    `json:"breaking"`
	Warning     int    `json:"warning"`
	NonBreaking int    `json:"nonBreaking"`
	Info        int    `json:"info"`
}

// SelectActive returns the index of the active version among vs: the
// highest in semver order among those approved and not withdrawn; -1 when
// there is none. It is the one definition every backend uses.
func SelectActive(vs []Version) int {
	best := -1
	for i, v := range vs {
		if v.Live() && (best < 0 || CompareVersions(v.Version, vs[best].Version) > 0) {
			best = i
		}
	}
	return best
}
