package drift

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/source"
)

// report turns kin-openapi's errors into drift events; at is where an
// error without a schema of its own is placed.
func (c *call) report(err error, base event.Event, at *source.Node, req *http.Request) {
	if err == nil {
		return
	}
	// A MultiError's As finds its first element: split it by type first.
	if me, ok := err.(openapi3.MultiError); ok { //nolint:errorlint // errors.As would find a wrapped MultiError's first element only
		for _, e := range me {
			c.report(e, base, at, req)
		}
		return
	}
	var re *openapi3filter.RequestError
	var se *openapi3.SchemaError
	var rse *openapi3filter.ResponseError
	var pe *openapi3filter.ParseError
	switch {
	case errors.As(err, &re) && re.Parameter != nil:
		c.parameter(re, base, req)
	case errors.As(err, &re) && re.Err != nil && !errors.As(re.Err, new(*openapi3filter.RequestError)):
		var inner openapi3.MultiError
		if errors.As(re.Err, &inner) {
			for _, e := range inner {
				c.report(e, base, at, req)
			}
			return
		}
		c.report(re.Err, base, at, req)
	case errors.As(err, &rse) && rse.Err != nil:
		var inner openapi3.MultiError
		if errors.As(rse.Err, &inner) {
			for _, e := range inner {
				c.report(e, base, at, req)
			}
			return
		}
		c.report(rse.Err, base, at, req)
	case errors.As(err, &se):
		c.schema(se, base, at)
	case errors.As(err, &pe):
		e := base
		e.Rule, e.Message = RuleInvalidJSON, "the body does not decode as its Content-Type says"+c.detail(pe)
		e.Fix = "fix the implementation: the body must be what its Content-Type says"
		c.f.add(e, at)
	case errors.As(err, new(*openapi3filter.SecurityRequirementsError)):
		// authentication is not drift: relay never sees credentials' validity
	default:
		e := base
		e.Rule, e.Message = RuleConstraintViolated, "the exchange does not match the contract"+c.detail(err)
		e.Fix = "fix the implementation, or change the contract in a new version"
		c.f.add(e, at)
	}
}

// detail is kin-openapi's own words, which may quote traffic: only with
// --show-values.
func (c *call) detail(err error) string {
	if !c.f.opts.ShowValues {
		return " (--show-values shows kin-openapi's details)"
	}
	return ": " + firstLine(err.Error())
}

// parameter reports a path, query, header or cookie parameter that is
// missing or does not match its schema.
func (c *call) parameter(re *openapi3filter.RequestError, base event.Event, req *http.Request) {
	p := re.Parameter
	e := base
	e.Rule = RuleParameterInvalid
	e.InstancePath = "/" + p.In + "/" + source.EscapeToken(p.Name)
	var se *openapi3.SchemaError
	switch {
	case errors.As(re.Err, &se):
		e.Message = fmt.Sprintf("the %s parameter %q does not match its schema (%s)", p.In, p.Name, orWord(se.SchemaField, "schema"))
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		e.Message = fmt.Sprintf("the required %s parameter %q is missing", p.In, p.Name)
	default:
		e.Message = fmt.Sprintf("the %s parameter %q is malformed", p.In, p.Name)
	}
	if v, ok := paramValue(req, c.params, p.In, p.Name); ok {
		e.Observed = describeParam(p.In, p.Name, v, c.f.opts.ShowValues)
	} else {
		e.Observed = "absent"
	}
	e.Fix = "fix the client or the implementation, or relax the parameter in a new version of the contract"
	var at *source.Node
	if p.Schema != nil {
		at = c.o.m.SchemaNode(p.Schema.Value)
	}
	if at == nil {
		at = c.opNode
	}
	c.f.add(e, at)
}

func paramValue(req *http.Request, path map[string]string, in, name string) (string, bool) {
	switch in {
	case "path":
		v, ok := path[name]
		return v, ok
	case "query":
		vs, ok := req.URL.Query()[name]
		if ok && len(vs) > 0 {
			return vs[0], true
		}
	case "header":
		if vs := req.Header.Values(name); len(vs) > 0 {
			return vs[0], true
		}
	case "cookie":
		if ck, err := req.Cookie(name); err == nil {
			return ck.Value, true
		}
	}
	return "", false
}

// schemaRules maps the keyword a value failed to a drift rule.
var schemaRules = map[string]string{
	"type": RuleTypeMismatch, "nullable": RuleTypeMismatch,
	"required": RuleRequiredMissing,
	"enum":     RuleEnumMismatch, "const": RuleEnumMismatch,
	"additionalProperties": RuleAdditionalProperty, "unevaluatedProperties": RuleAdditionalProperty,
	"format": RuleFormatMismatch,
}

func ruleOf(keyword string) string {
	if r, ok := schemaRules[keyword]; ok {
		return r
	}
	return RuleConstraintViolated
}

// schema reports a body value that does not match its schema.
func (c *call) schema(se *openapi3.SchemaError, base event.Event, fallback *source.Node) {
	e := base
	e.Rule = ruleOf(se.SchemaField)
	e.InstancePath = instancePath(se.JSONPointer())
	at := c.o.m.SchemaNode(se.Schema)
	if at == nil {
		at = fallback
	} else if k := at.Get(se.SchemaField); k != nil {
		at = k
	}
	show := showAt(e.InstancePath, c.f.opts.ShowValues)
	switch e.Rule {
	case RuleTypeMismatch:
		var types []string
		if se.Schema != nil && se.Schema.Type != nil {
			types = se.Schema.Type.Slice()
		}
		got := jsonType(se.Value)
		e.Message = fmt.Sprintf("the contract says %s, traffic carries %s", strings.Join(types, " or "), got)
		e.Observed = describe(se.Value, show)
		e.Fix = typeFix(base.Direction, types, got)
	case RuleRequiredMissing:
		e.Message = schemaMessage(e.Rule, se)
		e.Observed = "absent"
		e.Fix = requiredFix(base.Direction)
	default:
		e.Message = schemaMessage(e.Rule, se)
		e.Observed = describe(se.Value, show)
		e.Fix = "fix the implementation, or change the schema in a new version of the contract"
	}
	c.f.add(e, at)
}

// quotedName finds the property a kin-openapi reason names.
var quotedName = regexp.MustCompile(`propert(?:y|ies) ["']([^"']{1,200})["']`)

// schemaMessage words a schema error without the observed value: kin's
// 3.0 reasons leave values out, but those it converts from its JSON
// Schema 2020-12 validator (OpenAPI 3.1) quote them.
func schemaMessage(rule string, se *openapi3.SchemaError) string {
	name := ""
	if m := quotedName.FindStringSubmatch(se.Reason); m != nil {
		name = m[1]
	}
	switch {
	case rule == RuleRequiredMissing && name != "":
		return fmt.Sprintf("required property %q is missing", name)
	case rule == RuleRequiredMissing:
		return "a required property is missing"
	case rule == RuleAdditionalProperty && name != "":
		return fmt.Sprintf("the object carries property %q, which its schema does not allow", name)
	case rule == RuleAdditionalProperty:
		return "the object carries a property its schema does not allow"
	case rule == RuleEnumMismatch:
		return "the value is not one of the contract's allowed values"
	case rule == RuleFormatMismatch && se.Schema != nil && se.Schema.Format != "":
		return fmt.Sprintf("the value does not have the format %q", se.Schema.Format)
	}
	return "the value breaks its schema's " + orWord(se.SchemaField, "constraints")
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// instancePath renders kin's path to the value as a JSON Pointer.
func instancePath(toks []string) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(source.EscapeToken(t))
	}
	return b.String()
}

// typeFix is the recommended action for a type mismatch. Widening a
// request type accepts more (a minor version); widening a response type
// lets the provider emit more, which breaks clients (a major version).
func typeFix(direction string, want []string, got string) string {
	wide := "[" + strings.Join(append(append([]string{}, want...), got), ", ") + "]"
	fix := fmt.Sprintf("the contract says %s, traffic carries %s: fix the implementation, or widen the contract to %s",
		strings.Join(want, " or "), got, wide)
	if direction == event.Response {
		return fix + " in a major version (clients may not accept a " + got + ")"
	}
	return fix + " in a minor version"
}

func requiredFix(direction string) string {
	if direction == event.Response {
		return "fix the implementation to send it, or make the property optional in a major version (clients may rely on it)"
	}
	return "fix the client to send it, or make the property optional in a minor version"
}
