// Package diff matches two loaded contracts structurally and produces an
// immutable graph of pairs (operations, parameters, bodies, responses,
// schemas). It never decides what a change means: classification is a
// separate pass (package rules) that reads the pairs.
package diff

import (
	"strings"

	"github.com/relay-dev/relay/internal/load"
)

// Options tunes matching. The zero value is the default behaviour.
type Options struct {
	// StripPrefixBase and StripPrefixRevision are removed from the start of
	// each side's paths before operations are matched, for an API whose
	// base path moved (/api/v1/pets ~ /v2/pets). Reports keep paths as
	// written.
	StripPrefixBase, StripPrefixRevision string
	// MatchPath and ExcludePath are globs over the (stripped) path: only
	// operations matching MatchPath, and none matching ExcludePath, are
	// compared. Empty means no filter.
	MatchPath, ExcludePath string
	// SchemaRole is the side a bare JSON Schema is judged on; "" is input.
	SchemaRole SchemaRole
}

// keep filters operations by path and re-keys them after stripping prefixes.
func (o Options) keep(ops []*Operation, prefix string) []*Operation {
	match, exclude := CompileGlob(o.MatchPath), CompileGlob(o.ExcludePath)
	out := ops[:0:0]
	for _, op := range ops {
		path := op.Path
		if op.Kind == HTTP && prefix != "" && strings.HasPrefix(path, prefix) {
			path = "/" + strings.TrimLeft(strings.TrimPrefix(path, prefix), "/")
			op.Key = op.Method + " " + NormalizePath(path)
		}
		if op.Kind == HTTP && (match != nil && !match.MatchString(path) || exclude != nil && exclude.MatchString(path)) {
			continue
		}
		out = append(out, op)
	}
	return out
}

// Result is the matched pair graph of one comparison.
type Result struct {
	Base, Revision       *load.Document
	BaseAPI, RevisionAPI *API
	// Operations lists matched, removed and added operations, by name.
	Operations []*OpPair
	// Schemas lists every schema pair once, in creation order.
	Schemas []*SchemaPair
}

// Compare matches base against revision. Both must be of the same family
// (see Family: OpenAPI 3.x and Swagger 2.0 may be mixed, as may AsyncAPI 2
// and 3); kinds.go says how each kind maps onto the model.
func Compare(base, revision *load.Document, opts Options) (*Result, error) {
	if err := Comparable(base, revision); err != nil {
		return nil, err
	}
	b, err := buildFor(base, opts)
	if err != nil {
		return nil, err
	}
	r, err := buildFor(revision, opts)
	if err != nil {
		return nil, err
	}
	b.Operations = opts.keep(b.Operations, opts.StripPrefixBase)
	r.Operations = opts.keep(r.Operations, opts.StripPrefixRevision)
	alignKinds(b, r, opts)
	m := &matcher{base: b, rev: r, memo: map[pairKey]*SchemaPair{}}
	res := &Result{Base: base, Revision: revision, BaseAPI: b, RevisionAPI: r}
	res.Operations = m.ops()
	res.Schemas = m.all
	return res, nil
}
