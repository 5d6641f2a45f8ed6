package registry

import (
	"strings"
)

// SemVer is a parsed MAJOR.MINOR.PATCH[-PRERELEASE] version.
//
// relay parses versions itself rather than with golang.org/x/mod/semver:
// that package wants a leading "v", accepts the shorthands "v1" and "v1.2"
// and build metadata ("+build"), none of which a registry version may have
// (two spellings of one precedence would make duplicate detection
// ambiguous), and it would add a module for fifty lines of code.
type SemVer struct {
	// Major, Minor and Patch are kept as digit strings: semver puts no
	// bound on them, and comparing by length then bytes needs none.
	Major, Minor, Patch string
	// Pre holds the dot-separated prerelease identifiers; nil for a release.
	Pre []string
}

// maxVersionLen bounds a version string; it becomes a directory name.
const maxVersionLen = 128

// ParseVersion parses a semantic version 2.0.0 string without build
// metadata: numeric parts have no leading zeros, prerelease identifiers are
// non-empty [0-9A-Za-z-] and numeric ones have no leading zeros either.
func ParseVersion(s string) (SemVer, error) {
	bad := func(why string) (SemVer, error) {
		return SemVer{}, Errorf(ErrInvalid, "version %q is not MAJOR.MINOR.PATCH[-PRERELEASE]: %s", truncate(s), why)
	}
	if len(s) > maxVersionLen {
		return bad("it is longer than 128 characters")
	}
	core, pre, hasPre := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return bad("it needs exactly three numbers")
	}
	for _, p := range parts {
		if !isNumeric(p) {
			return bad("each of the three parts must be a number without leading zeros")
		}
	}
	v := SemVer{Major: parts[0], Minor: parts[1], Patch: parts[2]}
	if !hasPre {
		return v, nil
	}
	v.Pre = strings.Split(pre, ".")
	for _, id := range v.Pre {
		if !validPreID(id) {
			return bad("prerelease identifiers are non-empty [0-9A-Za-z-] and numeric ones have no leading zeros")
		}
	}
	return v, nil
}

// isNumeric: digits only, no leading zero unless the number is 0.
func isNumeric(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	return allDigits(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validPreID(id string) bool {
	if id == "" {
		return false
	}
	if allDigits(id) {
		return isNumeric(id)
	}
	for i := 0; i < len(id); i++ {
		if !isIdentChar(id[i]) {
			return false
		}
	}
	return true
}

// isIdentChar: [0-9A-Za-z-], semver's identifier alphabet.
func isIdentChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-'
}

// String writes the version back in its canonical (and only) spelling.
func (v SemVer) String() string {
	s := v.Major + "." + v.Minor + "." + v.Patch
	if len(v.Pre) > 0 {
		s += "-" + strings.Join(v.Pre, ".")
	}
	return s
}

// Compare orders versions by semver precedence: -1, 0 or +1.
func (v SemVer) Compare(w SemVer) int {
	for _, c := range [][2]string{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}} {
		if d := compareNumeric(c[0], c[1]); d != 0 {
			return d
		}
	}
	return comparePre(v.Pre, w.Pre)
}

// compareNumeric compares digit strings without leading zeros.
func compareNumeric(a, b string) int {
	if len(a) != len(b) {
		return sign(len(a) - len(b))
	}
	return strings.Compare(a, b)
}

// comparePre implements semver §11: a release outranks its prereleases;
// identifiers compare numerically when both are numbers, numbers rank below
// words, and a longer list wins when one is a prefix of the other.
func comparePre(a, b []string) int {
	switch {
	case len(a) == 0 && len(b) == 0:
		return 0
	case len(a) == 0:
		return 1
	case len(b) == 0:
		return -1
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		if d := comparePreID(a[i], b[i]); d != 0 {
			return d
		}
	}
	return sign(len(a) - len(b))
}

func comparePreID(a, b string) int {
	an, bn := allDigits(a), allDigits(b)
	switch {
	case an && bn:
		return compareNumeric(a, b)
	case an:
		return -1
	case bn:
		return 1
	}
	return strings.Compare(a, b)
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// CompareVersions orders two version strings; unparsable strings sort
// before every valid one and among themselves bytewise, so sorting never
// fails on bad data (stores validate before writing anyway).
func CompareVersions(a, b string) int {
	va, errA := ParseVersion(a)
	vb, errB := ParseVersion(b)
	switch {
	case errA != nil && errB != nil:
		return strings.Compare(a, b)
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	return va.Compare(vb)
}
