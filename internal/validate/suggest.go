package validate

import "strings"

// suggest returns the known name closest to got, or "" when nothing is
// close enough to be a plausible typo. Close means an edit distance of at
// most a third of the name (at least 1, at most 3), or the same name in
// another case, so "reponses" finds "responses" but "foo" finds nothing.
func suggest(got string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		if strings.EqualFold(k, got) {
			return k
		}
		d := editDistance(strings.ToLower(got), strings.ToLower(k), bestD)
		if d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	limit := min(max(len(got)/3, 1), 3)
	if bestD > limit {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions), giving up early once it exceeds bound. Names
// here are short, so two rolling rows are plenty.
func editDistance(a, b string, bound int) int {
	if abs(len(a)-len(b)) > bound {
		return bound + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > bound {
			return bound + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
