package validate

import (
	"errors"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/source"
)

// focus narrows an error placed at an object to the member its leaf names
// (the "type" of an unknown schema type, the field of a version mismatch),
// or nil to stay on the object.
func focus(chain []error, n, root *source.Node) *source.Node {
	err := chain[0]
	var us *openapi3.SecurityRequirementSchemeUndefinedError
	if errors.As(err, &us) {
		m, _ := root.Lookup(us.JSONPointer)
		return m
	}
	var (
		te *openapi3.SchemaTypeError
		xe *openapi3.ExtraSiblingFieldsError
		fv *openapi3.FieldVersionMismatchError
		ff *openapi3.ForbiddenFieldError
		mx *openapi3.MutuallyExclusiveFieldsError
		sv *openapi3.SchemaValueError
		ip *openapi3.InvalidParameterInError
		do *openapi3.DuplicateOperationIDError
		su *openapi3.ServerURLTemplateError
		pp *openapi3.PathParametersError
		dr *openapi3.DuplicateRequiredFieldError
		cp *openapi3.ConflictingPathsError
		pr *openapi3.SchemaPatternRegexError
		st *openapi3.InvalidSecuritySchemeTypeError
		hs *openapi3.InvalidHTTPSchemeError
	)
	switch {
	case errors.As(err, &te):
		return findMember(n, "type", te.Type)
	case errors.As(err, &xe) && len(xe.Fields) > 0:
		return findMember(n, xe.Fields[0], "")
	case errors.As(err, &fv):
		return findMember(n, fv.Field, "")
	case errors.As(err, &ff):
		return findMember(n, ff.Field, "")
	case errors.As(err, &mx):
		return findMember(n, mx.Field2, "")
	case errors.As(err, &sv):
		return findMember(n, sv.ValueKind, "")
	case errors.As(err, &ip):
		return findMember(n, "in", ip.Value)
	case errors.As(err, &do):
		return findMember(n, "operationId", do.OperationID)
	case errors.As(err, &su):
		return findMember(n, "url", "")
	case errors.As(err, &pp):
		return n.Get(strings.ToLower(pp.Method)) // nil when n is the operation already
	case errors.As(err, &dr):
		return lastItem(n.Get("required"), dr.Field)
	case errors.As(err, &cp):
		return n.Get(cp.Path2)
	case errors.As(err, &pr):
		return n.Get("pattern")
	case errors.As(err, &st):
		return n.Get("type")
	case errors.As(err, &hs):
		return n.Get("scheme")
	}
	return nil
}

// findMemberBudget bounds the search below a coarse placement.
const findMemberBudget = 200_000

// findMember returns n's member key (holding value, when given: a string
// or an array item), looking first at n itself and then, depth first in
// document order, below it; nil when there is none.
func findMember(n *source.Node, key, value string) *source.Node {
	if m := memberWith(n, key, value); m != nil {
		return m
	}
	var found *source.Node
	budget := findMemberBudget
	n.Walk(func(c *source.Node) bool {
		budget--
		if found != nil || budget < 0 || isData(c.Key) {
			return false
		}
		found = memberWith(c, key, value)
		return found == nil
	})
	return found
}

func memberWith(n *source.Node, key, value string) *source.Node {
	m := n.Get(key)
	if m == nil || value == "" {
		return m
	}
	if m.Kind == source.String && m.Value == value {
		return m
	}
	for _, item := range m.Children {
		if item.Kind == source.String && item.Value == value {
			return item
		}
	}
	return nil
}

// lastItem is the last array item equal to value: the repeat, for a
// duplicate.
func lastItem(list *source.Node, value string) *source.Node {
	if list == nil {
		return nil
	}
	for i := len(list.Children) - 1; i >= 0; i-- {
		if c := list.Children[i]; c.Kind == source.String && c.Value == value {
			return c
		}
	}
	return nil
}

// isData reports members whose values are instance data, never keywords.
func isData(k string) bool {
	switch k {
	case "example", "examples", "default", "enum", "const", "value":
		return true
	}
	return strings.HasPrefix(k, "x-")
}

// locate follows kin's context wrappers from the document root: the
// section, path, operation, component or tag an error happened in. It
// returns the deepest node it could reach, or nil, and whether that node
// is exactly what the error is about (an operation whose path parameters
// are off) rather than where it happened.
func (r *kinReporter) locate(chain []error) (*source.Node, bool) {
	var best *source.Node
	cur := r.root
	for _, e := range chain {
		cur = r.step(cur, e)
		if cur == nil {
			break
		}
		best = cur
	}
	var pp *openapi3.PathParametersError
	switch {
	case best == r.root:
		return nil, false
	case errors.As(chain[0], &pp):
		return best, best != nil
	}
	return best, false
}

// step moves from cur according to one context wrapper; other links leave
// cur where it is.
func (r *kinReporter) step(cur *source.Node, e error) *source.Node {
	switch x := e.(type) { //nolint:errorlint // each link of an unwrapped chain is inspected as itself
	case *openapi3.SectionValidationError:
		return sectionNode(r.root, x.Section)
	case *openapi3.PathValidationError:
		return r.root.Get("paths").Get(x.Path)
	case *openapi3.OperationValidationError:
		return cur.Get(strings.ToLower(x.Method))
	case *openapi3.PathParametersError:
		return r.root.Get("paths").Get(x.Path).Get(strings.ToLower(x.Method))
	case *openapi3.ComponentValidationError:
		return r.layout(r.root, x.Section, x.Name)
	case *openapi3.WebhookValidationError:
		return r.root.Get("webhooks").Get(x.Name)
	case *openapi3.TagValidationError:
		return itemNamed(r.root.Get("tags"), x.Name)
	case *openapi3.ParameterFieldValidationError:
		return itemNamed(cur.Get("parameters"), x.ParameterName).Get(x.Field)
	case *openapi3.MediaTypeExampleValidationError:
		return cur.Get("examples").Get(x.ExampleName)
	case *openapi3.MediaTypeEncodingValidationError:
		return cur.Get("encoding").Get(x.EncodingName)
	case *openapi3.HeaderFieldValidationError:
		return cur.Get(x.Field)
	}
	return cur
}

// sectionNode maps kin's section names onto the root's fields.
func sectionNode(root *source.Node, section string) *source.Node {
	if section == "external docs" {
		return root.Get("externalDocs")
	}
	return root.Get(section)
}

// itemNamed finds the array item whose name is name.
func itemNamed(list *source.Node, name string) *source.Node {
	if list == nil {
		return nil
	}
	for _, c := range list.Children {
		if c.Str("name") == name {
			return c
		}
	}
	return nil
}

// oasSections maps kin's component section names onto 3.x components.
var oasSections = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers", "request body": "requestBodies",
	"response": "responses", "security scheme": "securitySchemes", "example": "examples", "link": "links",
	"callback": "callbacks",
}

func oasLayout(root *source.Node, section, name string) *source.Node {
	return root.Get("components").Get(oasSections[section]).Get(name)
}
