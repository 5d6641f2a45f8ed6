// Package diff matches two loaded contracts structurally and produces an
// immutable graph of pairs (operations, parameters, bodies, responses,
// schemas). It never decides what a change means: classification is a
// separate pass (package rules) that reads the pairs.
package diff

import (
	"fmt"

	"github.com/relay-dev/relay/internal/load"
)

// Options tunes matching. The zero value is the default behaviour.
type Options struct{}

// Result is the matched pair graph of one comparison.
type Result struct {
	Base, Revision       *load.Document
	BaseAPI, RevisionAPI *API
	// Operations lists matched, removed and added operations, by name.
	Operations []*OpPair
	// Schemas lists every schema pair once, in creation order.
	Schemas []*SchemaPair
}

// Compare matches base against revision. Both must be HTTP contracts
// (OpenAPI 3.x or Swagger 2.0; the two may be mixed).
func Compare(base, revision *load.Document, opts Options) (*Result, error) {
	for _, d := range []*load.Document{base, revision} {
		if d.Kind != load.OpenAPI && d.Kind != load.Swagger {
			return nil, fmt.Errorf("%s: diffing %s contracts is not supported yet", d.Main.Path, d.Kind)
		}
	}
	b, err := BuildAPI(base)
	if err != nil {
		return nil, err
	}
	r, err := BuildAPI(revision)
	if err != nil {
		return nil, err
	}
	m := &matcher{base: b, rev: r, memo: map[pairKey]*SchemaPair{}}
	res := &Result{Base: base, Revision: revision, BaseAPI: b, RevisionAPI: r}
	res.Operations = m.ops()
	res.Schemas = m.all
	return res, nil
}
