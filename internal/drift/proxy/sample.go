package proxy

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Sampling decides which exchanges are judged: a global rate, rates per
// operation that override it, and (Errors) every response with a status
// of 400 or more whatever the rates say.
type Sampling struct {
	Rate   float64
	Ops    []OpRate
	Errors bool
	// Rand returns a number in [0, 1); nil is math/rand/v2.
	Rand func() float64
}

// OpRate is the sampling rate of one operation, "GET /pets/{id}": a path
// segment in braces matches any one segment.
type OpRate struct {
	Method   string
	Segments []string
	Rate     float64
}

// ParseOpRate reads "METHOD /path=RATE", the form of --sample-rate-op.
func ParseOpRate(s string) (OpRate, error) {
	op, rateText, ok := cutLast(s, "=")
	method, path, okOp := strings.Cut(strings.TrimSpace(op), " ")
	if !ok || !okOp || !strings.HasPrefix(path, "/") {
		return OpRate{}, fmt.Errorf("sample rate %q is not of the form 'GET /pets/{id}=0.5'", s)
	}
	rate, err := ParseRate(rateText)
	if err != nil {
		return OpRate{}, fmt.Errorf("sample rate %q: %w", s, err)
	}
	return OpRate{Method: strings.ToUpper(method), Segments: strings.Split(strings.Trim(path, "/"), "/"), Rate: rate}, nil
}

// ParseRate reads a sampling rate between 0 and 1.
func ParseRate(s string) (float64, error) {
	r, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || r < 0 || r > 1 || r != r {
		return 0, fmt.Errorf("the rate %q is not a number between 0 and 1", s)
	}
	return r, nil
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// rate is the rate for a request: the most specific matching operation
// (more literal segments wins), else the global rate.
func (s *Sampling) rate(method, path string) float64 {
	if len(s.Ops) == 0 {
		return s.Rate
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestLiterals := s.Rate, -1
	for _, op := range s.Ops {
		if op.Method != method {
			continue
		}
		if n, ok := op.match(segs); ok && n > bestLiterals {
			best, bestLiterals = op.Rate, n
		}
	}
	return best
}

func (op OpRate) match(segs []string) (literals int, ok bool) {
	if len(segs) != len(op.Segments) {
		return 0, false
	}
	for i, want := range op.Segments {
		if strings.HasPrefix(want, "{") && strings.HasSuffix(want, "}") {
			continue
		}
		if want != segs[i] {
			return 0, false
		}
		literals++
	}
	return literals, true
}

func (s *Sampling) sample(method, path string) bool {
	r := s.rate(method, path)
	switch {
	case r <= 0:
		return false
	case r >= 1:
		return true
	case s.Rand != nil:
		return s.Rand() < r
	}
	return rand.Float64() < r
}
