package validate

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/source"
)

// kinReporter turns kin-openapi's validation errors into problems.
//
// kin's errors are chains: context wrappers say where (section, path,
// operation, component), clusters and leaves say what, and most leaves
// carry the Origin of the object they are about. The decoder recorded a
// node for every Origin it made, so placing an error is a map lookup;
// errors without one (Swagger 2.0, whose converted model is kin's own)
// are placed by their context wrappers, then by a search of that subtree
// for what the leaf names, and say so when that is all relay could do.
type kinReporter struct {
	p    *problems
	d    *decoder // nil when kin built the model itself
	w    *walker
	root *source.Node
	// layout finds a component section's node in this kind of document.
	layout func(root *source.Node, section, name string) *source.Node
}

// report records every error of err; at is the node kin was asked about
// (a schema validated on its own), or nil for the whole document. An
// error relay could only place roughly is dropped when the same message
// was placed exactly (a shared schema's problem seen again from an
// operation that uses it).
func (r *kinReporter) report(err error, at *source.Node) {
	var rough []placed
	exactMsgs := map[string]bool{}
	for _, e := range leaves(err) {
		pl, ok := r.one(e, at)
		switch {
		case !ok:
		case pl.exact:
			exactMsgs[pl.msg] = true
			r.p.list = append(r.p.list, problemAt(pl.n, pl.msg))
		default:
			rough = append(rough, pl)
		}
	}
	for _, pl := range rough {
		if !exactMsgs[pl.msg] && !r.exactElsewhere(pl.msg) {
			r.p.list = append(r.p.list, problemAt(pl.n, pl.msg+" (kin-openapi gave no closer location)"))
		}
	}
}

// placed is one error with the node relay put it at.
type placed struct {
	n     *source.Node
	msg   string
	exact bool
}

// exactElsewhere reports whether a problem with this message is already
// recorded (from an earlier, exact pass).
func (r *kinReporter) exactElsewhere(msg string) bool {
	for _, pr := range r.p.list {
		if pr.Message == msg {
			return true
		}
	}
	return false
}

// leaves flattens kin's MultiError (and errors.Join) into single errors.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(err, &me) && errors.Is(err, me) {
		var out []error
		for _, e := range me {
			out = append(out, leaves(e)...)
		}
		return out
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

func (r *kinReporter) one(err error, at *source.Node) (placed, bool) {
	chain := chainOf(err)
	n, exact, drop := r.place(chain, at)
	if drop || r.p.at[n] {
		return placed{}, false // about a placeholder, or where relay has already spoken
	}
	if m := focus(chain, n, r.root); m != nil {
		n, exact = m, true
	}
	if r.p.at[n] {
		return placed{}, false
	}
	msg, ok := r.message(chain, n)
	return placed{n: n, msg: msg, exact: exact}, ok
}

// chainOf lists err and everything it wraps, outermost first.
func chainOf(err error) []error {
	var out []error
	for e := err; e != nil && len(out) < 64; e = errors.Unwrap(e) {
		out = append(out, e)
	}
	return out
}

// place finds the node an error is about: the innermost Origin in its
// chain, else the node kin was asked about, else the context wrappers.
func (r *kinReporter) place(chain []error, at *source.Node) (n *source.Node, exact, drop bool) {
	if o := innermostOrigin(chain); o != nil && r.d != nil {
		if r.d.placeholder[o] {
			return nil, false, true
		}
		if n := r.d.origins[o]; n != nil {
			return n, true, false
		}
	}
	if at != nil {
		return at, true, false
	}
	if n, exact := r.locate(chain); n != nil {
		return n, exact, false
	}
	return r.root, false, false
}

// innermostOrigin reads the Origin field kin's error types carry.
func innermostOrigin(chain []error) *openapi3.Origin {
	var found *openapi3.Origin
	for _, e := range chain {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		if f := v.FieldByName("Origin"); f.IsValid() && f.Type() == originType && !f.IsNil() {
			found = f.Interface().(*openapi3.Origin)
		}
	}
	return found
}

// message words the error: the few clusters relay rephrases, else the
// first line of kin's own text for the leaf (the position gives the
// context). ok is false for a missing field the user misspelt, which the
// walker has already suggested.
func (r *kinReporter) message(chain []error, n *source.Node) (msg string, ok bool) {
	var rf *openapi3.RequiredFieldError
	var te *openapi3.SchemaTypeError
	var pe *openapi3.PathParametersError
	var sv *openapi3.SchemaValueError
	var pr *openapi3.SchemaPatternRegexError
	var su *openapi3.ServerURLTemplateError
	var us *openapi3.SecurityRequirementSchemeUndefinedError
	switch err := chain[0]; {
	case errors.As(err, &us):
		return fmt.Sprintf("security requirement names %s, which is not a defined security scheme", quote(us.Scheme)), true
	case errors.As(err, &rf):
		field := rf.Field[strings.LastIndexByte(rf.Field, '.')+1:]
		if contains(r.w.suggested[n], field) || n.Has(field) {
			return "", false // misspelt, or there but of the wrong kind: both reported
		}
		return fmt.Sprintf("%s is missing the required field %s", r.noun(n), quote(field)), true
	case errors.As(err, &te):
		return schemaTypeMessage(te.Type), true
	case errors.As(err, &pe):
		return pathParamsMessage(pe), true
	case errors.As(err, &su):
		if msg := serverVariables(n); msg != "" {
			return msg, true
		}
	case errors.As(err, &pr):
		return fmt.Sprintf("pattern %s is not a valid regular expression: %s", quote(pr.Pattern),
			strings.TrimPrefix(firstLine(chain[len(chain)-1].Error()), "error parsing regexp: ")), true
	case errors.As(err, &sv):
		return fmt.Sprintf("%s does not match its schema: %s", sv.ValueKind, schemaReason(sv.Cause)), true
	}
	return firstLine(chain[len(chain)-1].Error()), true
}

// serverVariables names the {variables} of a server URL (n) that the
// server does not declare, or "".
func serverVariables(n *source.Node) string {
	if n.Kind != source.String || n.Parent == nil {
		return ""
	}
	vars := n.Parent.Get("variables")
	var missing []string
	for _, m := range channelParam.FindAllStringSubmatch(n.Value, -1) {
		if vars.Get(m[1]) == nil {
			missing = append(missing, m[1])
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("server URL %s uses the variable%s %s, which its variables do not declare",
		quote(n.Value), plural(missing), strings.Join(quoteAll(missing), ", "))
}

// pathParamsMessage says which side of a path/parameter mismatch is off.
func pathParamsMessage(pe *openapi3.PathParametersError) string {
	var undeclared, extra []string
	for _, m := range pe.Missing {
		if strings.Contains(pe.Path, "{"+m+"}") {
			undeclared = append(undeclared, m)
		} else {
			extra = append(extra, m)
		}
	}
	op := pe.Method + " " + pe.Path
	var parts []string
	if len(undeclared) > 0 {
		parts = append(parts, fmt.Sprintf("%s does not declare the path parameter%s %s (every {name} in a path needs a parameter with in: path)",
			op, plural(undeclared), strings.Join(quoteAll(undeclared), ", ")))
	}
	if len(extra) > 0 {
		parts = append(parts, fmt.Sprintf("%s declares the path parameter%s %s, which the path has no {name} for",
			op, plural(extra), strings.Join(quoteAll(extra), ", ")))
	}
	return strings.Join(parts, "; ")
}

func plural(list []string) string {
	if len(list) == 1 {
		return ""
	}
	return "s"
}

// schemaReason is the one-line reason a value failed a schema, with where
// in the value when that is deeper than its top.
func schemaReason(err error) string {
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return firstLine(err.Error())
	}
	reason := se.Reason
	if p := se.JSONPointer(); len(p) > 0 {
		reason = "at /" + strings.Join(p, "/") + ": " + reason
	}
	return firstLine(reason)
}

// firstLine keeps a message on one line and of bounded length.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return source.Truncate(strings.TrimSpace(s), 4*echoMax)
}

// noun names the object at n as the walker typed it.
func (r *kinReporter) noun(n *source.Node) string {
	if t := r.w.typed[n]; t != nil {
		return t.name
	}
	if n.Parent == nil {
		return "the document"
	}
	return quote(n.Key)
}

var schemaTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

func schemaTypeMessage(t string) string {
	if t == "null" {
		return `schema type "null" needs OpenAPI 3.1 (3.0 writes nullable: true)`
	}
	if s := suggest(t, schemaTypes); s != "" && s != t {
		return fmt.Sprintf("unknown schema type %s (did you mean %s?)", quote(t), quote(s))
	}
	return fmt.Sprintf("unknown schema type %s (types are array, boolean, integer, number, object, string, and null since 3.1)", quote(t))
}
