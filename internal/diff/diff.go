// Package diff matches two loaded contracts structurally and produces an
// immutable graph of pairs (operations, parameters, bodies, responses,
// schemas). It never decides what a change means: classification is a
// separate pass (package rules) that reads the pairs.
package diff

import "github.com/relay-dev/relay/internal/load"

// Options tunes matching. The zero value is the default behaviour.
type Options struct{}

// Result is the matched pair graph of one comparison.
type Result struct {
	Base, Revision *load.Document
}

// Compare matches base against revision.
func Compare(base, revision *load.Document, opts Options) (*Result, error) {
	return &Result{Base: base, Revision: revision}, nil
}
