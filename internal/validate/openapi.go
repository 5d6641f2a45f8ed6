package validate

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// openAPI validates an OpenAPI 3.0 or 3.1 document: relay's structural
// walk, then kin-openapi on the document model (everything but schemas)
// and on each schema by itself.
func openAPI(ctx context.Context, doc *load.Document, p *problems) error {
	v31 := strings.HasPrefix(doc.SpecVersion, "3.1")
	set := oas30
	if v31 {
		set = oas31
	}
	w := newWalker(ctx, doc, set, p)
	var discriminators []*source.Node
	w.hook = func(_ *walker, n *source.Node, t *objType) {
		if t.name == "discriminator object" {
			discriminators = append(discriminators, n)
		}
	}
	if err := w.run(); err != nil {
		return err
	}
	for _, n := range discriminators {
		w.checkMapping(n) // once every schema is typed
	}
	d := newDecoder(w)
	r := &kinReporter{p: p, d: d, w: w, root: doc.Main.Root, layout: oasLayout}
	var t openapi3.T
	d.fields(doc.Main.Root, reflect.ValueOf(&t).Elem())
	err := guard(func() error { return t.Validate(ctx, kinOptions(v31)...) })
	if err := internal(err); err != nil {
		return err
	}
	r.report(err, nil)
	return schemas(ctx, w, d, r, v31)
}

// schemas validates every schema the walker found, each on its own, and
// each default against the whole schema it belongs to.
func schemas(ctx context.Context, w *walker, d *decoder, r *kinReporter, v31 bool) error {
	schema := w.set.types["schema"]
	sctx := openapi3.WithValidationOptions(ctx, schemaOptions(v31)...)
	full := newDecoder(w)
	full.full = true
	s := &openapi3.Schema{} // reused: kin keeps nothing of it once Validate returns
	for i, n := range w.order {
		if w.typed[n] != schema {
			continue
		}
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		*s = openapi3.Schema{}
		d.fields(n, reflect.ValueOf(s).Elem())
		err := guard(func() error { return s.Validate(sctx) })
		if err := internal(err); err != nil {
			return err
		}
		r.report(err, n)
		if err := checkDefault(full, n, r, v31); err != nil {
			return err
		}
	}
	return nil
}

// checkDefault validates a schema's default against the schema with its
// subschemas (the stubs the schema was validated with would accept
// anything, and make every oneOf ambiguous). Only 3.0 says a default MUST
// conform to its schema. In 3.1 a default is a JSON Schema annotation that
// is merely recommended to be valid, so a mismatch there does not make
// the document invalid, and validation only reports what does: strict
// mode refuses to compare on it.
func checkDefault(full *decoder, n *source.Node, r *kinReporter, v31 bool) error {
	def := n.Get("default")
	if v31 || def == nil || def.Kind == source.Null || full.w.skip[def] {
		return nil
	}
	s := full.fullSchema(n)
	opts := []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.SetSchemaRegexCompiler(ecmaRegexp)}
	err := guard(func() error { return s.VisitJSON(toAny(def), opts...) })
	if err := internal(err); err != nil {
		return err
	}
	if err != nil && !r.p.at[def] {
		r.p.list = append(r.p.list, problemAt(def, "default does not match its schema: "+schemaReason(leaves(err)[0])))
	}
	return nil
}

// kinOptions are the checks asked of kin-openapi. Examples are not
// validated against their schemas: the specification says an example
// SHOULD match, so a stale example is worth a lint, not an invalid
// document (and it is the costliest check). Defaults are, by
// checkDefault.
func kinOptions(v31 bool) []openapi3.ValidationOption {
	return append(schemaOptions(v31), openapi3.EnableMultiError())
}

func schemaOptions(v31 bool) []openapi3.ValidationOption {
	opts := []openapi3.ValidationOption{
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(), // checkDefault does it, on the whole schema
		openapi3.SetRegexCompiler(ecmaRegexp),
	}
	if v31 {
		opts = append(opts, openapi3.IsOpenAPI31OrLater())
	}
	return opts
}

// ecmaRegexp accepts a pattern Go's RE2 cannot compile when the reason is
// a feature ECMA-262 has and RE2 lacks (lookaround, backreferences, \u
// escapes): the pattern is valid where it is meant to run. A pattern that
// is broken in any dialect (an unclosed bracket) is still an error.
func ecmaRegexp(expr string) (openapi3.RegexMatcher, error) {
	re, err := regexp.Compile(expr)
	if err == nil {
		return re, nil
	}
	var se *syntax.Error
	if errors.As(err, &se) {
		switch se.Code {
		case syntax.ErrInvalidPerlOp, syntax.ErrInvalidEscape, syntax.ErrInvalidNamedCapture,
			syntax.ErrInvalidRepeatSize, syntax.ErrNestingDepth, syntax.ErrLarge:
			return matchAll{}, nil
		}
	}
	return nil, err
}

type matchAll struct{}

func (matchAll) MatchString(string) bool { return true }

// panicError is a panic inside kin-openapi, turned into an error.
type panicError struct{ v any }

func (e *panicError) Error() string { return "kin-openapi panicked" }

// guard runs a kin-openapi call, turning a panic into a *panicError.
func guard(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{v: v}
		}
	}()
	return f()
}

// internal returns the error Document must fail with when err says kin
// itself broke, rather than that the document is invalid.
func internal(err error) error {
	var pe *panicError
	if errors.As(err, &pe) {
		return &InternalError{Msg: "kin-openapi panicked: " + source.Truncate(oneLine(pe.v), echoMax)}
	}
	return nil
}
