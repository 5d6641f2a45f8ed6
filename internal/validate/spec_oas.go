package validate

import (
	"fmt"
	"regexp"
	"strings"
)

// The OpenAPI 3.0.x and 3.1.x objects, as the specifications list their
// fixed fields (https://spec.openapis.org/oas/v3.0.3, /v3.1.0). A 3.0
// Schema Object allows exactly its listed keywords; a 3.1 one is a JSON
// Schema 2020-12 schema, which allows any keyword, so only the keywords
// holding subschemas are listed (to reach nested schemas and their refs)
// along with the ones whose value has a fixed kind.
var (
	oas30 = compile("document", oasTypes(false))
	oas31 = compile("document", oasTypes(true))
)

func oasTypes(v31 bool) map[string]typeDef {
	pick := func(a30, a31 string) string {
		if v31 {
			return a31
		}
		return a30
	}
	return map[string]typeDef{
		"document": {name: "OpenAPI document", ext: true, anyOf: pick("", "paths|components|webhooks"),
			fields: "openapi!:string info!:info servers:[]server components:components security:[]securityRequirement " +
				"tags:[]tag externalDocs:externalDocs " +
				pick("paths!:paths", "paths:paths webhooks:map:pathItem jsonSchemaDialect:string"),
			later: laterIn31(v31, "webhooks", "jsonSchemaDialect")},
		"info": {name: "info object", ext: true, later: laterIn31(v31, "summary"),
			fields: "title!:string description:string termsOfService:string contact:contact license:license version!:string" +
				pick("", " summary:string")},
		"contact": {name: "contact object", ext: true, fields: "name:string url:string email:string"},
		"license": {name: "license object", ext: true, later: laterIn31(v31, "identifier"),
			fields: "name!:string url:string" + pick("", " identifier:string")},
		"server":         {name: "server object", ext: true, fields: "url!:string description:string variables:map:serverVariable"},
		"serverVariable": {name: "server variable", ext: true, fields: "enum:[]string default!:string description:string"},
		"components": {name: "components object", plural: "components objects", ext: true, later: laterIn31(v31, "pathItems"),
			fields: "schemas:map:schema responses:map:response parameters:map:parameter examples:map:example " +
				"requestBodies:map:requestBody headers:map:header securitySchemes:map:securityScheme links:map:link " +
				"callbacks:map:callback" + pick("", " pathItems:map:pathItem")},
		"paths": {name: "paths object", plural: "paths objects", ext: true, keys: "pathItem", keyRule: pathKey},
		"pathItem": {name: "path item", ext: true, ref: refSiblings,
			fields: "summary:string description:string get:operation put:operation post:operation delete:operation " +
				"options:operation head:operation patch:operation trace:operation servers:[]server parameters:[]parameter"},
		"operation": {name: "operation", ext: true,
			fields: "tags:[]string summary:string description:string externalDocs:externalDocs operationId:string " +
				"parameters:[]parameter requestBody:requestBody callbacks:map:callback deprecated:bool " +
				"security:[]securityRequirement servers:[]server " + pick("responses!:responses", "responses:responses")},
		"externalDocs": {name: "external documentation object", ext: true, fields: "description:string url!:string"},
		"parameter": {name: "parameter", ext: true, ref: refReplace, enums: map[string]string{"in": "query header path cookie"},
			fields: "name!:string in!:string description:string required:bool deprecated:bool allowEmptyValue:bool " +
				"style:string explode:bool allowReserved:bool schema:schema example:any examples:map:example content:map:mediaType"},
		"requestBody": {name: "request body", plural: "request bodies", ext: true, ref: refReplace,
			fields: "description:string content!:map:mediaType required:bool"},
		"mediaType": {name: "media type object", ext: true,
			fields: "schema:schema example:any examples:map:example encoding:map:encoding"},
		"encoding": {name: "encoding object", ext: true,
			fields: "contentType:string headers:map:header style:string explode:bool allowReserved:bool"},
		"responses": {name: "responses object", plural: "responses objects", ext: true, keys: "response", keyRule: statusKey},
		"response": {name: "response", ext: true, ref: refReplace,
			fields: "description!:string headers:map:header content:map:mediaType links:map:link"},
		"callback": {name: "callback", ext: true, ref: refReplace, keys: "pathItem"},
		"example": {name: "example object", ext: true, ref: refReplace,
			fields: "summary:string description:string value:any externalValue:string"},
		"link": {name: "link object", ext: true, ref: refReplace,
			fields: "operationRef:string operationId:string parameters:map:any requestBody:any description:string server:server"},
		"header": {name: "header", ext: true, ref: refReplace,
			fields: "description:string required:bool deprecated:bool allowEmptyValue:bool style:string explode:bool " +
				"allowReserved:bool schema:schema example:any examples:map:example content:map:mediaType"},
		"tag":           {name: "tag object", ext: true, fields: "name!:string description:string externalDocs:externalDocs"},
		"schema":        pickDef(v31, schema30(), schema31()),
		"discriminator": {name: "discriminator object", ext: true, fields: "propertyName!:string mapping:map:string"},
		"xml": {name: "XML object", ext: true,
			fields: "name:string namespace:string prefix:string attribute:bool wrapped:bool"},
		"securityScheme": {name: "security scheme", ext: true, ref: refReplace,
			enums: map[string]string{"type": "apiKey http oauth2 openIdConnect" + pick("", " mutualTLS"), "in": "query header cookie"},
			fields: "type!:string description:string name:string in:string scheme:string bearerFormat:string " +
				"flows:oauthFlows openIdConnectUrl:string"},
		"oauthFlows": {name: "OAuth flows object", ext: true,
			fields: "implicit:oauthFlow password:oauthFlow clientCredentials:oauthFlow authorizationCode:oauthFlow"},
		"oauthFlow": {name: "OAuth flow object", ext: true,
			fields: "authorizationUrl:string tokenUrl:string refreshUrl:string scopes!:map:string"},
		"securityRequirement": {name: "security requirement", keys: "[]string"},
	}
}

func pickDef(v31 bool, a30, a31 typeDef) typeDef {
	if v31 {
		return a31
	}
	return a30
}

// schema30 is the OpenAPI 3.0 Schema Object: an extended subset of JSON
// Schema draft-05 with no other keywords allowed.
func schema30() typeDef {
	return typeDef{name: "schema", ext: true, ref: refReplace, later: keywords31,
		fields: "title:string multipleOf:number maximum:number exclusiveMaximum:bool minimum:number " +
			"exclusiveMinimum:bool maxLength:integer minLength:integer pattern:string maxItems:integer " +
			"minItems:integer uniqueItems:bool maxProperties:integer minProperties:integer required:[]string " +
			"enum:[]any type:string allOf:[]schema oneOf:[]schema anyOf:[]schema not:schema items:schema " +
			"properties:map:schema additionalProperties:bool|schema description:string format:string default:any " +
			"nullable:bool discriminator:discriminator readOnly:bool writeOnly:bool xml:xml " +
			"externalDocs:externalDocs example:any deprecated:bool"}
}

// schema31 is the OpenAPI 3.1 Schema Object (JSON Schema 2020-12 plus
// discriminator, xml, externalDocs and example).
func schema31() typeDef {
	return typeDef{name: "schema", ext: true, ref: refSiblings, open: true, boolean: true,
		fields: "$ref:string $id:string $schema:string $anchor:string $dynamicAnchor:string $dynamicRef:string " +
			"$comment:string $defs:map:schema title:string description:string default:any examples:[]any " +
			"deprecated:bool readOnly:bool writeOnly:bool multipleOf:number maximum:number exclusiveMaximum:number " +
			"minimum:number exclusiveMinimum:number maxLength:integer minLength:integer pattern:string " +
			"maxItems:integer minItems:integer uniqueItems:bool maxContains:integer minContains:integer " +
			"maxProperties:integer minProperties:integer required:[]string dependentRequired:map:[]string " +
			"enum:[]any const:any type:string|[]string format:string allOf:[]schema oneOf:[]schema anyOf:[]schema " +
			"not:schema if:schema then:schema else:schema dependentSchemas:map:schema prefixItems:[]schema " +
			"items:schema contains:schema properties:map:schema patternProperties:map:schema " +
			"additionalProperties:schema propertyNames:schema unevaluatedItems:schema unevaluatedProperties:schema " +
			"contentEncoding:string contentMediaType:string contentSchema:schema discriminator:discriminator " +
			"xml:xml externalDocs:externalDocs example:any"}
}

// keywords31 are the JSON Schema keywords a 3.0 schema may not use.
var keywords31 = func() map[string]string {
	out := map[string]string{}
	for _, k := range strings.Fields("const examples prefixItems contains minContains maxContains " +
		"patternProperties dependentSchemas dependentRequired propertyNames unevaluatedItems " +
		"unevaluatedProperties if then else $defs $schema $id $anchor $dynamicRef $dynamicAnchor $comment " +
		"contentMediaType contentEncoding contentSchema") {
		out[k] = k + " needs OpenAPI 3.1"
	}
	return out
}()

// laterIn31 notes fields that only 3.1 has, for a 3.0 document.
func laterIn31(v31 bool, fields ...string) map[string]string {
	if v31 {
		return nil
	}
	out := map[string]string{}
	for _, f := range fields {
		out[f] = f + " is new in OpenAPI 3.1"
	}
	return out
}

var statusCode = regexp.MustCompile(`^[1-5](?:[0-9]{2}|XX)$`)

// statusKey checks a member name of a responses object.
func statusKey(k string) string {
	if k == "default" || statusCode.MatchString(k) {
		return ""
	}
	return fmt.Sprintf("response key %s is not an HTTP status code (100-599, 1XX-5XX) or \"default\"", quote(k))
}

// pathKey checks a member name of a paths object.
func pathKey(k string) string {
	if strings.HasPrefix(k, "/") {
		return ""
	}
	return fmt.Sprintf("path %s must start with \"/\"", quote(k))
}
