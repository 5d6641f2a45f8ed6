package registry

import (
	"strings"
)

// maxSegment bounds each half of a function name: names become directory
// names, and file systems cap those at 255 bytes.
const maxSegment = 100

// ValidateFunction checks a function name: team/name, exactly one '/',
// each half made of lowercase letters, digits, '-', '_' and '.', starting
// with a letter or digit. Names become directory paths in the file store,
// so the rules leave no way to write "..", a hidden entry or an absolute
// path.
func ValidateFunction(name string) error {
	team, fn, ok := strings.Cut(name, "/")
	if !ok || strings.Contains(fn, "/") {
		return Errorf(ErrInvalid, "function name %q must be team/name with exactly one '/'", truncate(name))
	}
	for _, seg := range []string{team, fn} {
		if why := badSegment(seg); why != "" {
			return Errorf(ErrInvalid, "function name %q is invalid: %s", truncate(name), why)
		}
	}
	return nil
}

func badSegment(s string) string {
	switch {
	case s == "":
		return "the team and the name must both be non-empty"
	case len(s) > maxSegment:
		return "each half must be at most 100 characters"
	case !isLowerAlnum(s[0]):
		return "each half must start with a lowercase letter or digit"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' && c != '_' && c != '.' {
			return "only lowercase letters, digits, '-', '_' and '.' are allowed"
		}
	}
	return ""
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// ParseRef splits FUNCTION@VERSION; version is "" when there is no '@'.
// Both parts are validated.
func ParseRef(ref string) (function, version string, err error) {
	function, version, hasVersion := strings.Cut(ref, "@")
	if err := ValidateFunction(function); err != nil {
		return "", "", err
	}
	if !hasVersion {
		return function, "", nil
	}
	if _, err := ParseVersion(version); err != nil {
		return "", "", err
	}
	return function, version, nil
}

// truncate keeps echoed input short: names come from users and files.
func truncate(s string) string {
	const limit = 200
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}
