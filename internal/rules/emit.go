package rules

import (
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// hit is a rule hit before it becomes a report change. Its site is the
// pair it was found on: an operation pair, a schema pair, or nil for the
// document; affected operations are derived from the site afterwards.
type hit struct {
	rule    *Rule
	msg     string
	pointer string
	base    *source.Node
	rev     *source.Node
	op      *diff.OpPair
	schema  *diff.SchemaPair
	removal bool
}

type emitter struct {
	opts     Options
	revRoot  *revIndex
	revOps   []*diff.Operation
	revDoc   *load.Document
	baseDoc  *load.Document
	findings []*hit
	// schemaHits marks schema pairs that produced findings, so the affects
	// walk can stop early in clean subtrees.
	schemaHits map[*diff.SchemaPair]bool
	// where caches each schema pair's inline location for messages.
	where map[*diff.SchemaPair]string
	// siblings are the revision's other variants of each variant pair's
	// union (accepts.go).
	siblings map[*diff.SchemaPair][]*diff.Schema
}

func newEmitter(res *diff.Result, opts Options) *emitter {
	return &emitter{
		opts: opts, revRoot: newRevIndex(res.Base, res.Revision), revOps: res.RevisionAPI.Operations, revDoc: res.Revision, baseDoc: res.Base,
		schemaHits: map[*diff.SchemaPair]bool{}, where: map[*diff.SchemaPair]string{},
		siblings: map[*diff.SchemaPair][]*diff.Schema{},
	}
}

// loc says where a finding points. base is the node in the base version
// (nil when the thing was added); rev is the node in the revision — for a
// removal, the nearest surviving parent. removal selects which pointer the
// report carries: the base's for removals, the revision's otherwise.
type loc struct {
	base, rev *source.Node
	removal   bool
}

func changed(base, rev *source.Node) loc    { return loc{base: base, rev: rev} }
func removed(base, parent *source.Node) loc { return loc{base: base, rev: parent, removal: true} }
func added(rev *source.Node) loc            { return loc{rev: rev} }

func (e *emitter) add(r *Rule, l loc, op *diff.OpPair, sp *diff.SchemaPair, args ...any) {
	f := &hit{rule: r, msg: e.inContext(sp, r.message(args)), base: l.base, rev: l.rev, op: op, schema: sp, removal: l.removal}
	switch {
	case l.removal && l.base != nil:
		f.pointer = l.base.Pointer()
	case l.rev != nil:
		f.pointer = l.rev.Pointer()
	case l.base != nil:
		f.pointer = l.base.Pointer()
	}
	if sp != nil {
		e.schemaHits[sp] = true
	}
	e.findings = append(e.findings, f)
}

// inContext prefixes a schema finding's message with the operation part
// its schema sits inline in — "200 application/json body: response
// property 'category' was removed" — unless the message names it already.
func (e *emitter) inContext(sp *diff.SchemaPair, msg string) string {
	if sp == nil {
		return msg
	}
	w, ok := e.where[sp]
	if !ok {
		n := sp.Rev.Node
		if n == nil {
			n = sp.Base.Node
		}
		w = where(n)
		e.where[sp] = w
	}
	if w == "" || strings.Contains(msg, w) {
		return msg
	}
	return w + ": " + msg
}

// onOp records a finding seen on one operation.
func (e *emitter) onOp(op *diff.OpPair, r *Rule, l loc, args ...any) { e.add(r, l, op, nil, args...) }

// onSchema records a finding on a schema pair; every operation that reaches
// the pair is listed in affects.
func (e *emitter) onSchema(sp *diff.SchemaPair, r *Rule, l loc, args ...any) {
	e.add(r, l, nil, sp, args...)
}

// onDoc records a document-level finding.
func (e *emitter) onDoc(r *Rule, l loc, args ...any) { e.add(r, l, nil, nil, args...) }

func (e *emitter) changes(res *diff.Result) []finding.Change {
	order := docOrder(res)
	affects := e.affects(res, order)
	rank := make(map[string]int, len(order))
	byName := make(map[string]*diff.OpPair, len(order))
	for i, op := range order {
		rank[op.Name()] = i
		byName[op.Name()] = op
	}
	byKey := map[string]*merged{}
	var keys []string
	for _, f := range mergeTypeAndFormat(e.findings) {
		ops := affects[f.schema]
		if f.op != nil {
			ops = []string{f.op.Name()}
		}
		key := groupKey(f, ops, byName)
		m := byKey[key]
		if m == nil {
			m = &merged{first: f, firstRank: len(rank)}
			byKey[key] = m
			keys = append(keys, key)
		}
		m.add(f, ops, rank)
	}
	out := make([]finding.Change, 0, len(keys))
	for _, m := range sameInRevision(byKey, keys) {
		out = append(out, m.change())
	}
	finding.Sort(out)
	return out
}

// merged is one reported change: every hit that is the same change seen
// from several operations. Its location and message are those of the hit
// first reached in document order, which is also where it is filed.
type merged struct {
	first     *hit
	firstRank int
	operation string
	affects   []string
	seen      map[string]struct{} // indexes affects once it grows by merging
}

// addAffects appends the operations of ops that affects lacks, in order.
// The index is kept, so merging many hits that each reach hundreds of
// operations stays linear (a fresh set per merge was 4 MB on Stripe).
func (m *merged) addAffects(ops []string) {
	if m.seen == nil {
		m.seen = make(map[string]struct{}, len(m.affects)+len(ops))
		for _, s := range m.affects {
			m.seen[s] = struct{}{}
		}
	}
	for _, s := range ops {
		if _, ok := m.seen[s]; !ok {
			m.seen[s] = struct{}{}
			m.affects = append(m.affects, s)
		}
	}
}

func (m *merged) add(f *hit, ops []string, rank map[string]int) {
	m.addAffects(ops)
	for _, op := range ops {
		r, ok := rank[op]
		if !ok {
			r = len(rank) // a removed operation: after every surviving one
		}
		if m.operation == "" || r < m.firstRank {
			m.operation, m.firstRank, m.first = op, r, f
		}
	}
}

func (m *merged) change() finding.Change {
	f := m.first
	c := finding.Change{ID: f.rule.ID, Level: f.rule.Level, Pointer: f.pointer, Message: f.msg, Operation: m.operation, Affects: m.affects}
	if f.base != nil {
		l := location(f.base)
		c.Base = &l
	}
	c.Revision = location(f.rev)
	sort.Strings(c.Affects)
	return c
}

func location(n *source.Node) finding.Location {
	p := n.Pos()
	return finding.Location{File: p.File, Line: p.Line, Column: p.Col}
}

// affects maps each schema pair that has findings to the names of the
// operations reaching it, in document order. One walk per operation over the memoised pair
// graph keeps this linear in the graph size per operation, never
// exponential in nesting.
func (e *emitter) affects(res *diff.Result, order []*diff.OpPair) map[*diff.SchemaPair][]string {
	out := map[*diff.SchemaPair][]string{}
	if len(e.schemaHits) == 0 {
		return out
	}
	visited := make([]uint32, len(res.Schemas))
	gen := uint32(0)
	var walkOps func(ops []*diff.OpPair)
	walkOps = func(ops []*diff.OpPair) {
		for _, op := range ops {
			gen++
			name := op.Name()
			stack := append([]*diff.SchemaPair(nil), op.Schemas...)
			for len(stack) > 0 {
				sp := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if visited[sp.ID] == gen {
					continue
				}
				visited[sp.ID] = gen
				if e.schemaHits[sp] {
					out[sp] = append(out[sp], name)
				}
				stack = append(stack, sp.Children...)
			}
			walkOps(op.Callbacks)
		}
	}
	walkOps(order)
	return out
}

// quote renders a name for messages.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "’") + "'" }
