package validate

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// walker checks a document against a specSet: unknown fields, values of
// the wrong kind, missing required fields, and $refs whose target is not
// the kind of object the referring site expects. It types every object it
// meets, which is how a $ref target is judged and how the kin-openapi
// decoder later finds every schema.
type walker struct {
	ctx  context.Context
	doc  *load.Document
	set  *specSet
	p    *problems
	done bool // the context was cancelled

	typed map[*source.Node]*objType
	// holds names what a container node is ("a map of responses"), so a
	// $ref to one can say what it found.
	holds   map[*source.Node]string
	order   []*source.Node // typed objects, in the order they were met
	pending []refSite
	// skip lists members the decoders must not read: unknown fields and
	// values of the wrong kind, already reported.
	skip map[*source.Node]bool
	// badRef marks ref sites whose target is the wrong kind of object.
	badRef map[*source.Node]bool
	// targets marks the nodes $refs lead to.
	targets map[*source.Node]bool
	// suggested lists, per object, the fields its unknown members were
	// taken for, so the missing field they stand for is not reported too.
	suggested map[*source.Node][]string
	// hook runs after an object of a type is walked (kind-specific rules).
	hook func(w *walker, n *source.Node, t *objType)
}

// refSite is a Reference Object waiting for its target to be judged.
type refSite struct {
	site *source.Node
	want *objType
}

func newWalker(ctx context.Context, doc *load.Document, set *specSet, p *problems) *walker {
	return &walker{ctx: ctx, doc: doc, set: set, p: p,
		typed: map[*source.Node]*objType{}, holds: map[*source.Node]string{},
		skip: map[*source.Node]bool{}, badRef: map[*source.Node]bool{}, suggested: map[*source.Node][]string{},
		targets: map[*source.Node]bool{}}
}

// run walks the main file from its root, then every $ref target, which
// may bring in files (and parts of files) the descent did not reach.
func (w *walker) run() error {
	w.value(w.doc.Main.Root, valueSpec{{shape: shapeType, typ: w.set.root}})
	for len(w.pending) > 0 && !w.done {
		r := w.pending[0]
		w.pending = w.pending[1:]
		w.checkRef(r)
	}
	return w.ctx.Err()
}

// value checks n against the alternatives of spec.
func (w *walker) value(n *source.Node, spec valueSpec) {
	a := pick(n, spec)
	if a == nil {
		w.p.add(n, "%s must be %s, not %s%s", subject(n), spec.describe(), kindNoun(n.Kind), quoteHint(n, spec))
		w.skip[n] = true
		return
	}
	switch a.shape {
	case shapeType:
		w.object(n, a.typ)
	case shapeArray:
		w.holds[n] = "an array of " + a.elem.plural()
		for _, c := range n.Children {
			w.value(c, a.elem)
		}
	case shapeMap:
		w.holds[n] = "a map of " + a.elem.plural()
		for _, c := range n.Children {
			w.value(c, a.elem)
		}
	case shapeInteger:
		if f, ok := n.Float(); !ok || f < 0 || f != float64(int64(f)) {
			w.p.add(n, "%s must be a non-negative integer, not %s", subject(n), n.Value)
			w.skip[n] = true
		}
	}
}

// subject names n in a message about its value: its key, or its place in
// an array.
func subject(n *source.Node) string {
	switch {
	case n.Parent == nil:
		return "the document"
	case n.Parent.Kind == source.Array:
		return "item " + strconv.Itoa(int(n.Index)) + " of " + subject(n.Parent)
	}
	return quote(n.Key)
}

// quoteHint suggests quoting a YAML scalar that should have been a string
// (version: 1.0 is a number to YAML).
func quoteHint(n *source.Node, spec valueSpec) string {
	if len(spec) != 1 || spec[0].shape != shapeString || (n.Kind != source.Number && n.Kind != source.Bool) {
		return ""
	}
	return fmt.Sprintf(" (quote it: %s)", quote(n.Value))
}

// pick returns the first alternative n's kind fits, or nil.
func pick(n *source.Node, spec valueSpec) *alt {
	for _, a := range spec {
		if fits(n, a) {
			return a
		}
	}
	return nil
}

func fits(n *source.Node, a *alt) bool {
	switch a.shape {
	case shapeAny:
		return true
	case shapeString:
		return n.Kind == source.String
	case shapeBool:
		return n.Kind == source.Bool
	case shapeNumber, shapeInteger:
		return n.Kind == source.Number
	case shapeNull:
		return n.Kind == source.Null
	case shapeArray:
		return n.Kind == source.Array
	case shapeMap:
		return n.Kind == source.Object
	case shapeType:
		return n.Kind == source.Object || (n.Kind == source.Bool && a.typ.boolean)
	}
	return false
}

// object checks one object of type t. An object reached twice (a shared
// component) is checked once.
func (w *walker) object(n *source.Node, t *objType) {
	if w.done || n.Kind != source.Object {
		return // a boolean schema: nothing inside
	}
	if _, seen := w.typed[n]; seen {
		return
	}
	if len(w.typed)%4096 == 0 && w.ctx.Err() != nil {
		w.done = true
		return
	}
	if ref := n.Get("$ref"); ref != nil && t.ref != refNone {
		w.refSite(n, ref, t)
		if t.ref == refReplace {
			return
		}
	}
	w.typed[n] = t
	w.order = append(w.order, n)
	suggested := w.members(n, t)
	if len(suggested) > 0 {
		w.suggested[n] = suggested
	}
	w.checkRequired(n, t, suggested)
	if w.hook != nil {
		w.hook(w, n, t)
	}
}

// members checks each member of n; it returns the field names suggested
// for unknown ones, so a missing field the user merely misspelt is not
// reported twice.
func (w *walker) members(n *source.Node, t *objType) []string {
	var suggested []string
	for _, c := range n.Children {
		spec, ok := t.fields[c.Key]
		switch {
		case ok:
			w.value(c, spec)
			w.checkEnum(c, t.enums[c.Key])
		case strings.HasPrefix(c.Key, "x-") && t.ext:
		case c.Key == "$ref" && t.ref != refNone:
		case t.keys != nil:
			w.patterned(c, t)
		case t.open:
		default:
			if s := w.unknown(c, t); s != "" {
				suggested = append(suggested, s)
			}
		}
	}
	return suggested
}

// checkEnum reports a string field outside its allowed values. The value
// stays visible to kin-openapi, whose own complaint about the same member
// is then dropped.
func (w *walker) checkEnum(c *source.Node, allowed []string) {
	if len(allowed) == 0 || c.Kind != source.String || contains(allowed, c.Value) {
		return
	}
	msg := fmt.Sprintf("%s must be one of %s, not %s", quote(c.Key), strings.Join(quoteAll(allowed), ", "), quote(c.Value))
	if s := suggest(c.Value, allowed); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", quote(s))
	}
	w.p.add(c, "%s", msg)
}

// patterned checks a member of a map-like object (paths, responses).
func (w *walker) patterned(c *source.Node, t *objType) {
	if t.keyRule != nil {
		if msg := t.keyRule(c.Key); msg != "" {
			w.p.add(c, "%s", msg)
			w.skip[c] = true
			return
		}
	}
	w.value(c, t.keys)
}

// unknown reports a member t has no field for; it returns the suggestion.
func (w *walker) unknown(c *source.Node, t *objType) string {
	w.skip[c] = true
	if c.Key == "$ref" {
		w.p.add(c, "%s cannot be a $ref", article(t.name))
		return ""
	}
	if note, ok := t.later[c.Key]; ok {
		w.p.add(c, "unknown field %s in %s (%s)", quote(c.Key), t.name, note)
		return ""
	}
	s := suggest(c.Key, t.known)
	if s == "" {
		w.p.add(c, "unknown field %s in %s", quote(c.Key), t.name)
		return ""
	}
	w.p.add(c, "unknown field %s in %s (did you mean %s?)", quote(c.Key), t.name, quote(s))
	return s
}

// checkRequired reports required fields n lacks, unless an unknown member
// was already suggested as that field.
func (w *walker) checkRequired(n *source.Node, t *objType, suggested []string) {
	for _, f := range t.required {
		if !n.Has(f) && !contains(suggested, f) {
			w.p.add(n, "%s is missing the required field %s", t.name, quote(f))
		}
	}
	for _, group := range t.anyOf {
		if !hasAny(n, group) && !containsAny(suggested, group) {
			w.p.add(n, "%s needs at least one of %s", t.name, strings.Join(quoteAll(group), ", "))
		}
	}
}

func hasAny(n *source.Node, fields []string) bool {
	for _, f := range fields {
		if n.Has(f) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAny(list, want []string) bool {
	for _, s := range want {
		if contains(list, s) {
			return true
		}
	}
	return false
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}
