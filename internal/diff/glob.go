package diff

import (
	"regexp"
	"strings"
)

// CompileGlob turns a glob with * (within a path segment) and ** (across
// segments) into an anchored regexp; every other character, braces
// included, is literal. An empty glob yields nil, which matches everything.
func CompileGlob(g string) *regexp.Regexp {
	if g == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(g); i++ {
		switch {
		case strings.HasPrefix(g[i:], "**"):
			b.WriteString(".*")
			i++
		case g[i] == '*':
			b.WriteString("[^/]*")
		default:
			b.WriteString(regexp.QuoteMeta(g[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
