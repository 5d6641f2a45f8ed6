package check

import (
	"context"
	"fmt"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
	"github.com/relay-dev/relay/internal/validate"
)

// ValidateMode says what validation a comparison runs and what an invalid
// revision costs. The base is published already: its problems are always
// warnings, listed in the report, and never stop the comparison.
type ValidateMode string

// The modes; the zero value is ValidateStrict.
const (
	// ValidateStrict refuses an invalid revision with *InvalidError: a
	// diff of a broken document is meaningless.
	ValidateStrict ValidateMode = "strict"
	// ValidateWarn compares an invalid revision anyway and lists its
	// problems in the report.
	ValidateWarn ValidateMode = "warn"
	// ValidateOff validates neither side.
	ValidateOff ValidateMode = "off"
)

// ParseValidateMode reads strict, warn or off.
func ParseValidateMode(s string) (ValidateMode, error) {
	switch m := ValidateMode(s); m {
	case ValidateStrict, ValidateWarn, ValidateOff:
		return m, nil
	}
	return "", fmt.Errorf("unknown validation mode %q (want strict, warn or off)", s)
}

// InvalidError is a revision that breaks its kind's specification, under
// ValidateStrict.
type InvalidError struct {
	// Display names the revision as the user gave it.
	Display string
	Kind    load.Kind
	// Problems are sorted by file, line and column.
	Problems []finding.Problem
}

func (e *InvalidError) Error() string {
	n := "1 problem"
	if len(e.Problems) != 1 {
		n = fmt.Sprintf("%d problems", len(e.Problems))
	}
	return fmt.Sprintf("%s is not a valid %s contract (%s); fix it, or pass --validate warn to go on with it anyway",
		e.Display, e.Kind, n)
}

// Validate checks one loaded side, for callers that have no comparison
// to run (publishing a first version): under ValidateStrict an invalid
// document is *InvalidError; otherwise its problems are returned for the
// caller to show.
func Validate(ctx context.Context, l *Loaded, mode ValidateMode) ([]finding.Problem, error) {
	if mode == ValidateOff {
		return nil, nil
	}
	probs, err := validate.Document(ctx, l.Doc)
	if err != nil {
		return nil, err
	}
	if err := refuse(mode, l, probs); err != nil {
		return nil, err
	}
	return probs, nil
}

// refuse is the cost of an invalid document that is being compared or
// published: *InvalidError unless mode is ValidateWarn.
func refuse(mode ValidateMode, l *Loaded, probs []finding.Problem) error {
	if len(probs) == 0 || mode == ValidateWarn {
		return nil
	}
	return &InvalidError{Display: l.Options.Display, Kind: l.Doc.Kind, Problems: probs}
}

// validation is the validation of both sides, running beside the diff:
// kin-openapi's model of a large spec costs about as much as the diff, so
// the two share the wall-clock time rather than add up.
type validation struct {
	base, rev chan validated
}

type validated struct {
	probs []finding.Problem
	err   error
}

// startValidation validates both sides concurrently; nil when off.
func startValidation(ctx context.Context, mode ValidateMode, base, rev *Loaded) *validation {
	if mode == ValidateOff {
		return nil
	}
	v := &validation{base: make(chan validated, 1), rev: make(chan validated, 1)}
	for _, side := range []struct {
		l   *Loaded
		out chan validated
	}{{base, v.base}, {rev, v.rev}} {
		go func() {
			probs, err := validate.Document(ctx, side.l.Doc)
			side.out <- validated{probs, err}
		}()
	}
	return v
}

// wait collects both sides' problems. Under ValidateStrict an invalid
// revision is *InvalidError, whatever the diff made of it.
func (v *validation) wait(mode ValidateMode, rev *Loaded) (*report.Problems, error) {
	if v == nil {
		return nil, nil
	}
	b, r := <-v.base, <-v.rev
	if r.err != nil {
		return nil, r.err
	}
	if b.err != nil {
		return nil, b.err
	}
	if err := refuse(mode, rev, r.probs); err != nil {
		return nil, err
	}
	if len(b.probs) == 0 && len(r.probs) == 0 {
		return nil, nil
	}
	return &report.Problems{Base: b.probs, Revision: r.probs}, nil
}
