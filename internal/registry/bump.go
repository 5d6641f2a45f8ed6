package registry

import (
	"github.com/relay-dev/relay/internal/finding"
)

// The version policy: a new version's number follows its diff against the
// active version, so that consumers can read compatibility off the number.
// It lives here, not in the CLI, because it is the registry's rule, the
// same whichever caller publishes.

// Bump is the smallest version change a diff verdict calls for.
type Bump int

// The bumps, weakest first.
const (
	BumpPatch Bump = iota // documentation only
	BumpMinor             // additive changes
	BumpMajor             // breaking changes
)

// BumpOf says how from → to bumps the version: major when MAJOR grew,
// minor when MINOR grew, else patch. A prerelease of the next major
// (2.0.0-rc.1 after 1.4.0) counts as that major.
func BumpOf(from, to SemVer) Bump {
	switch {
	case compareNumeric(to.Major, from.Major) > 0:
		return BumpMajor
	case to.Major == from.Major && compareNumeric(to.Minor, from.Minor) > 0:
		return BumpMinor
	}
	return BumpPatch
}

// String names the bump as messages do: patch, minor or major.
func (b Bump) String() string {
	switch b {
	case BumpMajor:
		return "major"
	case BumpMinor:
		return "minor"
	}
	return "patch"
}

// BumpFor maps a diff verdict to the smallest version bump it needs:
// breaking changes a major bump, warnings and additive changes a minor
// one, anything else (info, none) a patch.
func BumpFor(verdict string) Bump {
	switch finding.Level(verdict) {
	case finding.Breaking:
		return BumpMajor
	case finding.Warning, finding.NonBreaking:
		return BumpMinor
	}
	return BumpPatch
}

// NextVersion checks the version a publisher asked for (given) against
// the diff with the active version, or picks the smallest version the diff
// allows when given is empty. A function's first version (no active
// version) may be any valid number: given, else the contract's own
// docVersion when it is valid semver, else 1.0.0.
func NextVersion(given string, active Version, diff *DiffSummary, docVersion string) (string, error) {
	if active.Version == "" {
		return firstVersion(given, docVersion)
	}
	from, err := ParseVersion(active.Version)
	if err != nil {
		return "", err
	}
	if diff == nil {
		return "", Errorf(ErrInvalid, "choosing the version after %s needs the diff against it", active.Ref())
	}
	need := BumpFor(diff.Verdict)
	want := from.Next(need).String()
	if given == "" {
		return want, nil
	}
	to, err := ParseVersion(given)
	if err != nil {
		return "", err
	}
	switch got := BumpOf(from, to); {
	case to.Compare(from) <= 0:
		return "", Errorf(ErrInvalid, "%s must be greater than the active version %s (the smallest allowed is %s)",
			Ref(active.Function, given), active.Version, want)
	case got < need:
		return "", Errorf(ErrInvalid, "%s is a %s bump, but the diff against %s is %s: publish it as %s or higher",
			Ref(active.Function, given), got, active.Version, diff.Verdict, want)
	}
	return given, nil
}

// firstVersion numbers a function's first version.
func firstVersion(given, docVersion string) (string, error) {
	if given != "" {
		if _, err := ParseVersion(given); err != nil {
			return "", err
		}
		return given, nil
	}
	if _, err := ParseVersion(docVersion); err == nil {
		return docVersion, nil
	}
	return "1.0.0", nil
}

// Next returns the release that applies bump b to v: 1.4.2 → 2.0.0 for a
// major bump. A prerelease is released at its own number first (1.5.0-rc.1
// patch-bumps to 1.5.0).
func (v SemVer) Next(b Bump) SemVer {
	if len(v.Pre) > 0 && b == BumpPatch {
		return SemVer{Major: v.Major, Minor: v.Minor, Patch: v.Patch}
	}
	switch b {
	case BumpMajor:
		return SemVer{Major: incr(v.Major), Minor: "0", Patch: "0"}
	case BumpMinor:
		return SemVer{Major: v.Major, Minor: incr(v.Minor), Patch: "0"}
	}
	return SemVer{Major: v.Major, Minor: v.Minor, Patch: incr(v.Patch)}
}

// incr adds one to a digit string of any length.
func incr(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
