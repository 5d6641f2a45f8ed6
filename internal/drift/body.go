package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"strings"
)

// maxDepth bounds the nesting of a JSON body relay validates: deeper
// bodies are reported as invalid-json instead of being walked (a 10,000-
// deep body must not exhaust the validator's stack).
const maxDepth = 512

// mediaType is the bare, lower-case media type of a Content-Type header.
func mediaType(ct string) string {
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	return mt
}

// isJSON says a media type carries JSON: application/json and +json.
func isJSON(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// checkFraming checks a JSON body without building it: one value,
// nested at most maxDepth deep. json.Valid is several times faster than
// a token-by-token decoder; the depth is a byte scan outside strings.
func checkFraming(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("the body is empty")
	}
	if depth(b) > maxDepth {
		return fmt.Errorf("the body nests deeper than %d levels", maxDepth)
	}
	if !json.Valid(b) {
		var v any
		err := json.NewDecoder(bytes.NewReader(b)).Decode(&v)
		if err == nil {
			return errors.New("the body holds more than one JSON value")
		}
		return fmt.Errorf("the body is not JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// depth is the deepest nesting of brackets outside strings.
func depth(b []byte) int {
	d, deepest, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			d++
			deepest = max(deepest, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return deepest
}

// leadingType is the JSON type a (possibly truncated) body starts with,
// or "" when its first byte starts no JSON value.
func leadingType(b []byte) string {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return ""
	}
	switch c := b[0]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return ""
}

// typeAllows says whether a schema's types admit a value of JSON type t
// (a number type admits "number" for a truncated body, whose digits may
// go on).
func typeAllows(types []string, nullable bool, t string) bool {
	if len(types) == 0 {
		return true
	}
	for _, s := range types {
		if s == t || s == "number" && t == "integer" || s == "integer" && t == "number" {
			return true
		}
	}
	return t == "null" && nullable
}
