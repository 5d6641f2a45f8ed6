package drift

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/relay-dev/relay/internal/source"
)

// valueMax bounds a value shown with --show-values.
const valueMax = 120

// secretHeaders are never shown, whatever --show-values says.
var secretHeaders = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
}

var secretName = regexp.MustCompile(`(?i)token|secret|key|password`)

// IsSecretHeader reports whether a header's value must never be shown.
func IsSecretHeader(name string) bool {
	return secretHeaders[strings.ToLower(name)] || secretName.MatchString(name)
}

// describe says what a value is without showing it: its JSON type and
// size ("string (12 chars)", "object (3 keys)"); with show, the value too.
func describe(v any, show bool) string {
	d := typeAndSize(v)
	if !show {
		return d
	}
	b, err := json.Marshal(v)
	if err != nil {
		return d
	}
	return d + ": " + source.Truncate(string(b), valueMax)
}

func typeAndSize(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string (%d chars)", utf8.RuneCountInString(x))
	case bool:
		return "boolean"
	case float64, json.Number, int, int64:
		return "number"
	case map[string]any:
		return fmt.Sprintf("object (%d keys)", len(x))
	case []any:
		return fmt.Sprintf("array (%d items)", len(x))
	}
	return fmt.Sprintf("%T", v)
}

// jsonType is the JSON Schema type name of a decoded value.
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return "value"
}

// showAt says whether a body value at an instance path may be shown: a
// property named like a secret (token, secret, key, password) never is.
func showAt(instancePath string, show bool) bool {
	return show && !secretName.MatchString(instancePath)
}

// describeParam says what a parameter carried: a secret header never
// shows, other values only with show.
func describeParam(in, name, value string, show bool) string {
	d := fmt.Sprintf("string (%d chars)", utf8.RuneCountInString(value))
	if IsSecretHeader(name) || in == "cookie" || !show {
		return d
	}
	return d + ": " + source.Truncate(fmt.Sprintf("%q", value), valueMax)
}
