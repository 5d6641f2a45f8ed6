package load

import (
	"regexp"
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// A function contract is relay's own format for one function's input and
// output (contracts/function-contract.schema.json is the source of truth;
// TestFunctionSchemaAgrees keeps this file and that schema in step):
//
//	function: my-team/payments    # team/name, required
//	version: 1.4.0                # semver
//	description: …
//	input:  {JSON Schema}         # the invocation payload (request direction)
//	output: {JSON Schema}         # the result (response direction)
//	errors: {card_declined: {JSON Schema}, …}
//	events: {charge.succeeded: {JSON Schema}, …}
//	$defs:  {Money: {JSON Schema}, …}   # shared schemas, #/$defs/Money
//	deprecated: true
//	x-sunset: 2026-12-31
//
// It is recognised by `function` plus `input` or `output`; the optional
// marker `relay: function/v1` also recognises one with neither (an
// events-only function).

// FunctionMarker is the optional value of a function contract's `relay` key.
const FunctionMarker = "function/v1"

var (
	functionName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}/[a-z0-9][a-z0-9._-]{0,99}$`)
	semver       = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
		`(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?` +
		`(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$`)
	partName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$`)
)

// functionFields lists the top-level fields and what each must be.
var functionFields = map[string]func(*source.Node) *source.Error{
	"function":          checkFunctionName,
	"relay":             checkFunctionMarker,
	"version":           checkFunctionVersion,
	"description":       wantKind(source.String),
	"jsonSchemaDialect": wantKind(source.String),
	"input":             checkSchemaValue,
	"output":            checkSchemaValue,
	"errors":            checkSchemaMap,
	"events":            checkSchemaMap,
	"$defs":             checkSchemaMap,
	"deprecated":        wantKind(source.Bool),
	"x-sunset":          wantKind(source.String),
}

// checkFunction checks a function contract's shape, then every schema in it
// against its draft's meta-schema.
func checkFunction(d *Document) *source.Error {
	root := d.Main.Root
	for _, c := range root.Children {
		check, ok := functionFields[c.Key]
		switch {
		case ok:
			if e := check(c); e != nil {
				return e
			}
		case strings.HasPrefix(c.Key, "x-"):
		default:
			return source.Errorf(c.Pos(), "unknown field %s in a function contract (fields: function, version, "+
				"description, input, output, errors, events, $defs, deprecated, x-sunset, x-…)", quote(c.Key))
		}
	}
	if root.Get("function") == nil {
		return source.Errorf(root.ValuePos(), "a function contract needs a function field naming it (team/name)")
	}
	draft, e := functionDraft(root)
	if e != nil {
		return e
	}
	for _, s := range functionSchemas(root) {
		own, e := documentDraft(s, draft)
		if e != nil {
			return e
		}
		if e := checkMeta(s, own); e != nil {
			return e
		}
	}
	return nil
}

// functionDraft is the draft a function contract's schemas are written in.
func functionDraft(root *source.Node) (string, *source.Error) {
	n := root.Get("jsonSchemaDialect")
	if n == nil || n.Kind != source.String {
		return Draft2020, nil
	}
	draft, ok := SchemaDraft(n.Value)
	if !ok {
		return "", source.Errorf(n.ValuePos(), "unsupported jsonSchemaDialect %s (relay reads JSON Schema draft-04, "+
			"draft-06, draft-07, 2019-09 and 2020-12)", quote(n.Value))
	}
	return draft, nil
}

// functionSchemas lists every schema of a function contract, in order.
func functionSchemas(root *source.Node) []*source.Node {
	var out []*source.Node
	for _, k := range []string{"input", "output"} {
		if n := root.Get(k); n != nil {
			out = append(out, n)
		}
	}
	for _, k := range []string{"errors", "events", "$defs"} {
		if n := root.Get(k); n != nil {
			out = append(out, n.Children...)
		}
	}
	return out
}

func checkFunctionName(n *source.Node) *source.Error {
	if n.Kind != source.String || !functionName.MatchString(n.Value) {
		return source.Errorf(n.ValuePos(), "function must be team/name in lowercase letters, digits, '-', '_' and '.', got %s",
			valueEcho(n))
	}
	return nil
}

func checkFunctionMarker(n *source.Node) *source.Error {
	if n.Kind != source.String || n.Value != FunctionMarker {
		return source.Errorf(n.ValuePos(), "relay must be %s in a function contract, got %s", quote(FunctionMarker), valueEcho(n))
	}
	return nil
}

func checkFunctionVersion(n *source.Node) *source.Error {
	if n.Kind != source.String || !semver.MatchString(n.Value) {
		return source.Errorf(n.ValuePos(), "version must be a semantic version string such as \"1.4.0\", got %s", valueEcho(n))
	}
	return nil
}

// checkSchemaValue: a schema is an object or, since draft-06, a boolean.
func checkSchemaValue(n *source.Node) *source.Error {
	if n.Kind != source.Object && n.Kind != source.Bool {
		return source.Errorf(n.ValuePos(), "%s must be a JSON Schema (an object or a boolean), not %s", n.Key, kindArticle(n.Kind))
	}
	return nil
}

// checkSchemaMap: errors, events and $defs map names to schemas.
func checkSchemaMap(n *source.Node) *source.Error {
	if n.Kind != source.Object {
		return source.Errorf(n.ValuePos(), "%s must map names to schemas, not be %s", n.Key, kindArticle(n.Kind))
	}
	for _, c := range n.Children {
		if !partName.MatchString(c.Key) {
			return source.Errorf(c.Pos(), "%s name %s must be letters, digits, '_', '.', ':' and '-'", n.Key, quote(c.Key))
		}
		if c.Kind != source.Object && c.Kind != source.Bool {
			return source.Errorf(c.ValuePos(), "%s.%s must be a JSON Schema (an object or a boolean), not %s",
				n.Key, c.Key, kindArticle(c.Kind))
		}
	}
	return nil
}

func wantKind(k source.Kind) func(*source.Node) *source.Error {
	return func(n *source.Node) *source.Error {
		if n.Kind != k {
			return source.Errorf(n.ValuePos(), "%s must be %s, not %s", n.Key, kindArticle(k), kindArticle(n.Kind))
		}
		return nil
	}
}

func kindArticle(k source.Kind) string {
	switch k {
	case source.Object, source.Array:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// valueEcho renders a scalar for a message; containers by their kind.
func valueEcho(n *source.Node) string {
	switch n.Kind {
	case source.String:
		return quote(n.Value)
	case source.Object, source.Array:
		return kindArticle(n.Kind)
	}
	return n.Value
}
