package load

import (
	"strings"

	"github.com/relay-dev/relay/internal/source"
)

// isDataKey reports keywords whose values are instance data, not schema:
// a "$ref" or "minLength" inside an example or a default value is the
// user's data and means nothing. (Switches, not maps: the walkers ask this
// of every member of a 4 MB document.)
func isDataKey(k string) bool {
	switch k {
	case "example", "default", "enum", "const":
		return true
	}
	return len(k) > 2 && k[0] == 'x' && k[1] == '-'
}

// isNameMap reports keywords whose object value maps user-chosen names to
// schemas, operations, responses…: a schema property may well be called
// "default" or "example", and the "default" response is common, so member
// keys there are names, never keywords.
func isNameMap(k string) bool {
	switch k {
	case "properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
		"schemas", "responses", "parameters", "requestBodies", "headers", "securitySchemes",
		"links", "callbacks", "pathItems", "paths", "webhooks", "content", "encoding",
		"variables", "servers", "channels", "messages", "operations", "messageTraits",
		"operationTraits", "serverVariables", "correlationIds", "replies", "replyAddresses",
		"channelBindings", "operationBindings", "messageBindings", "serverBindings",
		"securityDefinitions", "dependencies":
		return true
	}
	return false
}

// allowsExtensions reports name maps that also hold x- extensions.
func allowsExtensions(names string) bool {
	switch names {
	case "paths", "responses", "callbacks", "webhooks":
		return true
	}
	return false
}

// walkKeywords calls fn for every object whose keys are keywords, in
// document order, skipping data subtrees (example, default, enum, const,
// x- extensions, example values). names is the name-map keyword whose
// value n is, or "" when n's keys are keywords.
func walkKeywords(n *source.Node, names string, fn func(*source.Node) *source.Error) *source.Error {
	switch n.Kind {
	case source.Array:
		for _, c := range n.Children {
			if e := walkKeywords(c, "", fn); e != nil {
				return e
			}
		}
	case source.Object:
		if names != "" {
			return walkNames(n, names, fn)
		}
		if e := fn(n); e != nil {
			return e
		}
		for _, c := range n.Children {
			if e := walkMember(c, fn); e != nil {
				return e
			}
		}
	}
	return nil
}

// walkMember descends into one member of a keyword object.
func walkMember(c *source.Node, fn func(*source.Node) *source.Error) *source.Error {
	switch {
	case isDataKey(c.Key):
		return nil
	case c.Key == "examples":
		return walkExamples(c, fn)
	case isNameMap(c.Key):
		return walkKeywords(c, c.Key, fn)
	}
	return walkKeywords(c, "", fn)
}

// walkNames descends into the values of a name map.
func walkNames(n *source.Node, names string, fn func(*source.Node) *source.Error) *source.Error {
	for _, c := range n.Children {
		if allowsExtensions(names) && strings.HasPrefix(c.Key, "x-") {
			continue
		}
		if e := walkKeywords(c, "", fn); e != nil {
			return e
		}
	}
	return nil
}

// walkExamples visits an OpenAPI examples map, whose entries may be
// Reference Objects but whose `value`s are data. JSON Schema's examples
// array is data through and through.
func walkExamples(n *source.Node, fn func(*source.Node) *source.Error) *source.Error {
	if n.Kind != source.Object {
		return nil
	}
	for _, ex := range n.Children {
		if ex.Kind == source.Object && ex.Has("$ref") {
			if e := fn(ex); e != nil {
				return e
			}
		}
	}
	return nil
}
