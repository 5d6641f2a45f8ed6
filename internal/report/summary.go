package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
)

// The helpers in this file are shared by the formats that summarise a
// report in a sentence (markdown, html, github) or need a stable identity
// per change (sarif, gitlab), so those formats agree with each other.

// headline is the verdict in words, the same in every format that has one.
func headline(s Summary) string {
	switch finding.Level(s.Verdict) {
	case finding.Breaking:
		return plural(s.Breaking, "breaking change")
	case finding.Warning:
		return plural(s.Warning, "warning") + ", nothing breaking"
	case finding.NonBreaking:
		return plural(s.NonBreaking, "non-breaking change") + ", nothing breaking"
	case finding.Info:
		return fmt.Sprintf("no changes above info (%d info)", s.Info)
	}
	return "no contract changes"
}

// suppressedLines describes what the ignores dropped, one line per entry:
// "response-property-removed on GET /pets: 2 findings — reason (until
// 2026-12-31)". Every format that has room for prose shows them, so a
// report never looks clean only because its findings were ignored.
func suppressedLines(r *Report) []string {
	out := make([]string, 0, len(r.Suppressed))
	for _, s := range r.Suppressed {
		line := s.Rule
		if s.Operation != "" {
			line += " on " + s.Operation
		}
		if s.Pointer != "" {
			line += " at " + s.Pointer
		}
		line += ": " + plural(s.Count, "finding") + " — " + s.Reason
		if s.Until != "" {
			line += " (until " + s.Until + ")"
		}
		out = append(out, line)
	}
	return out
}

// suppressedHead is "2 findings suppressed by ignore entries".
func suppressedHead(s Summary) string {
	return plural(s.Suppressed, "finding") + " suppressed by ignore entries"
}

// countsText is "1 breaking, 1 warning, 1 non-breaking, 2 info".
func countsText(s Summary) string {
	return fmt.Sprintf("%d breaking, %d warning, %d non-breaking, %d info", s.Breaking, s.Warning, s.NonBreaking, s.Info)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// levelCount reads one level's count from the summary.
func levelCount(s Summary, l finding.Level) int {
	switch l {
	case finding.Breaking:
		return s.Breaking
	case finding.Warning:
		return s.Warning
	case finding.NonBreaking:
		return s.NonBreaking
	case finding.Info:
		return s.Info
	}
	return 0
}

// bySeverity returns a copy of the changes, most severe first. New already
// sorts, but a renderer must not depend on how its Report was built.
func bySeverity(cs []finding.Change) []finding.Change {
	out := append([]finding.Change(nil), cs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Level.Rank() > out[j].Level.Rank() })
	return out
}

// fingerprints gives every change a stable identity for code-scanning and
// code-quality tools, which track findings across runs by it. It hashes the
// revision file's name, rule, operation and pointer — never line numbers, so reformatting a
// contract does not reopen every finding. Changes that share all three are
// told apart by their message, and as a last resort by their order.
func fingerprints(cs []finding.Change) []string {
	plain := make([]string, len(cs))
	count := map[string]int{}
	for i, c := range cs {
		// The revision's file name keeps two contracts' identical changes
		// (GET /health removed from both) apart when CI merges their
		// SARIF or Code Quality files; it does not move on reformatting.
		plain[i] = hashParts(c.Revision.File, c.ID, c.Operation, c.Pointer)
		count[plain[i]]++
	}
	out := make([]string, len(cs))
	seen := map[string]int{}
	for i, c := range cs {
		fp := plain[i]
		if count[fp] > 1 {
			fp = hashParts(c.Revision.File, c.ID, c.Operation, c.Pointer, c.Message)
		}
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp = hashParts(fp, strconv.Itoa(n))
		}
		out[i] = fp
	}
	return out
}

// hashParts is a 128-bit hex digest of the parts; NUL separators keep
// ("a", "bc") and ("ab", "c") apart.
func hashParts(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}
