package load

import (
	"math"

	"github.com/relay-dev/relay/internal/source"
)

// isCountKeyword reports keywords that must be non-negative integers (JSON
// Schema validation vocabulary); a contract breaking this cannot be
// compared meaningfully.
func isCountKeyword(k string) bool {
	switch k {
	case "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties":
		return true
	}
	return false
}

// lint rejects keyword values the specifications forbid, at the value.
func lint(f *source.File) *source.Error {
	return walkKeywords(f.Root, "", lintObject)
}

func lintObject(obj *source.Node) *source.Error {
	for _, c := range obj.Children {
		if c.Kind != source.Number {
			continue // a property *named* minLength has an object value
		}
		if e := lintKeyword(c); e != nil {
			return e
		}
	}
	return nil
}

func lintKeyword(c *source.Node) *source.Error {
	if c.Key != "multipleOf" && !isCountKeyword(c.Key) {
		return nil
	}
	v, ok := c.Float()
	if !ok {
		return nil
	}
	switch {
	case c.Key == "multipleOf" && v <= 0:
		return source.Errorf(c.ValuePos(), "multipleOf must be greater than 0, got %s", source.Truncate(c.Value, echoMax))
	case !isCountKeyword(c.Key):
		return nil
	case v < 0:
		return source.Errorf(c.ValuePos(), "%s must not be negative, got %s", c.Key, source.Truncate(c.Value, echoMax))
	case v != math.Trunc(v):
		return source.Errorf(c.ValuePos(), "%s must be an integer, got %s", c.Key, source.Truncate(c.Value, echoMax))
	}
	return nil
}
