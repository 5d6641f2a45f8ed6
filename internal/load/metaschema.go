package load

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/relay-dev/relay/internal/source"
)

// The JSON Schema drafts relay reads, by their canonical meta-schema URL.
// santhosh-tekuri/jsonschema embeds these meta-schemas (and the 2019-09 and
// 2020-12 vocabularies), so checking a schema against its meta-schema never
// touches the network.
const (
	Draft04   = "http://json-schema.org/draft-04/schema"
	Draft06   = "http://json-schema.org/draft-06/schema"
	Draft07   = "http://json-schema.org/draft-07/schema"
	Draft2019 = "https://json-schema.org/draft/2019-09/schema"
	Draft2020 = "https://json-schema.org/draft/2020-12/schema"
)

// SchemaDraft maps a $schema URI to the canonical URL of its draft; "" means
// the default, 2020-12. http and https, and a trailing '#', are the same.
// ok is false for a meta-schema relay does not know.
func SchemaDraft(uri string) (draft string, ok bool) {
	u := strings.TrimSuffix(strings.TrimSpace(uri), "#")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	switch u {
	case "":
		return Draft2020, true
	case "json-schema.org/draft-04/schema":
		return Draft04, true
	case "json-schema.org/draft-06/schema":
		return Draft06, true
	case "json-schema.org/draft-07/schema":
		return Draft07, true
	case "json-schema.org/draft/2019-09/schema":
		return Draft2019, true
	case "json-schema.org/draft/2020-12/schema", "json-schema.org/schema":
		return Draft2020, true
	}
	return "", false
}

// draftName is how messages name a draft.
func draftName(draft string) string {
	switch draft {
	case Draft04:
		return "draft-04"
	case Draft06:
		return "draft-06"
	case Draft07:
		return "draft-07"
	case Draft2019:
		return "2019-09"
	}
	return "2020-12"
}

// metaSchemas compiles the draft meta-schemas once per process.
var metaSchemas = sync.OnceValues(compileMetaSchemas)

func compileMetaSchemas() (map[string]*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.UseLoader(offlineLoader{})
	// Patterns are ECMA-262 regular expressions, which Go's RE2 cannot all
	// compile (lookahead, backreferences); a schema is not invalid because
	// relay's regexp engine is weaker than a validator's.
	c.UseRegexpEngine(lenientRegexp)
	// Draft-04 to -07 assert formats in their meta-schemas; a $ref or $id
	// with a space is a problem for whoever resolves it, not for the diff.
	for _, f := range []string{"uri", "uri-reference", "iri", "iri-reference", "uri-template", "json-pointer"} {
		c.RegisterFormat(&jsonschema.Format{Name: f, Validate: func(any) error { return nil }})
	}
	out := map[string]*jsonschema.Schema{}
	for _, d := range []string{Draft04, Draft06, Draft07, Draft2019, Draft2020} {
		s, err := c.Compile(d)
		if err != nil {
			return nil, fmt.Errorf("compiling the %s meta-schema: %w", draftName(d), err)
		}
		out[d] = s
	}
	return out, nil
}

// offlineLoader refuses every URL: the compiler reads the meta-schemas it
// embeds before asking a loader, and relay never gives it anything else
// (documents are validated as instances, in memory, never compiled).
type offlineLoader struct{}

func (offlineLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("relay does not fetch %s", url)
}

// lenientRegexp compiles with RE2 when it can and otherwise accepts
// anything; the meta-schemas' own patterns all compile.
func lenientRegexp(s string) (jsonschema.Regexp, error) {
	if re, err := regexp.Compile(s); err == nil {
		return re, nil
	}
	return anyString(s), nil
}

type anyString string

func (anyString) MatchString(string) bool { return true }
func (a anyString) String() string        { return string(a) }

// checkMeta validates the schema at n against the meta-schema of draft.
// The error is at the node the meta-schema rejects and names its pointer.
func checkMeta(n *source.Node, draft string) *source.Error {
	metas, err := metaSchemas()
	if err != nil {
		return source.Errorf(n.ValuePos(), "%s", err) // a broken build, not bad input
	}
	err = metas[draft].Validate(instance(n))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	leaf := deepestCause(ve)
	at := n
	for _, tok := range leaf.InstanceLocation {
		if next := childAt(at, tok); next != nil {
			at = next
		}
	}
	return source.Errorf(at.ValuePos(), "not a valid JSON Schema (%s): at %s: %s",
		draftName(draft), quote(pointerOf(at)), source.Truncate(leafMessage(leaf), echoMax))
}

// pointerOf is the node's pointer inside its file, "" shown as "/".
func pointerOf(n *source.Node) string {
	if p := n.Pointer(); p != "" {
		return p
	}
	return "/"
}

func childAt(n *source.Node, tok string) *source.Node {
	if n.Kind == source.Object {
		return n.Get(tok)
	}
	p, ok := n.Lookup("/" + source.EscapeToken(tok))
	if !ok {
		return nil
	}
	return p
}

// deepestCause picks the most specific failure: the leaf with the longest
// instance location, the first one on ties (document order).
func deepestCause(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	best := e
	var walk func(*jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if len(v.Causes) == 0 && (best == e || len(v.InstanceLocation) > len(best.InstanceLocation)) {
			best = v
		}
		for _, c := range v.Causes {
			walk(c)
		}
	}
	walk(e)
	return best
}

// leafMessage is a leaf error's text without the library's "at '/x': "
// prefix, which the caller words itself.
func leafMessage(e *jsonschema.ValidationError) string {
	msg := e.Error()
	if strings.HasPrefix(msg, "at '") {
		if i := strings.Index(msg, "': "); i >= 0 {
			msg = msg[i+3:]
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// instance converts a node into the value model the validator reads
// (numbers as json.Number, so no precision is lost).
func instance(n *source.Node) any {
	return n.Data(func(n *source.Node) any { return json.Number(n.Value) })
}
