package validate

// The Swagger 2.0 objects (https://spec.openapis.org/oas/v2.0). Parameters,
// items and headers share the JSON Schema validation keywords of a
// non-body parameter.
var swagger20 = compile("document", map[string]typeDef{
	"document": {name: "Swagger document", ext: true,
		fields: "swagger!:string info!:info host:string basePath:string schemes:[]string consumes:[]string " +
			"produces:[]string paths!:paths definitions:map:schema parameters:map:parameter responses:map:response " +
			"securityDefinitions:map:securityScheme security:[]securityRequirement tags:[]tag externalDocs:externalDocs"},
	"info": {name: "info object", ext: true,
		fields: "title!:string description:string termsOfService:string contact:contact license:license version!:string"},
	"contact":      {name: "contact object", ext: true, fields: "name:string url:string email:string"},
	"license":      {name: "license object", ext: true, fields: "name!:string url:string"},
	"paths":        {name: "paths object", plural: "paths objects", ext: true, keys: "pathItem", keyRule: pathKey},
	"externalDocs": {name: "external documentation object", ext: true, fields: "description:string url!:string"},
	"pathItem": {name: "path item", ext: true, ref: refSiblings,
		fields: "get:operation put:operation post:operation delete:operation options:operation head:operation " +
			"patch:operation parameters:[]parameter"},
	"operation": {name: "operation", ext: true,
		fields: "tags:[]string summary:string description:string externalDocs:externalDocs operationId:string " +
			"consumes:[]string produces:[]string parameters:[]parameter responses!:responses schemes:[]string " +
			"deprecated:bool security:[]securityRequirement"},
	"parameter": {name: "parameter", ext: true, ref: refReplace,
		enums:  map[string]string{"in": "query header path formData body", "collectionFormat": "csv ssv tsv pipes multi"},
		fields: "name!:string in!:string description:string required:bool schema:schema allowEmptyValue:bool " + itemFields},
	"items":     {name: "items object", ext: true, fields: itemFields},
	"responses": {name: "responses object", plural: "responses objects", ext: true, keys: "response", keyRule: statusKey},
	"response": {name: "response", ext: true, ref: refReplace,
		fields: "description!:string schema:schema headers:map:header examples:map:any"},
	"header": {name: "header", ext: true, fields: "description:string " + itemFields},
	"tag":    {name: "tag object", ext: true, fields: "name!:string description:string externalDocs:externalDocs"},
	"schema": {name: "schema", ext: true, ref: refReplace,
		fields: "format:string title:string description:string default:any multipleOf:number maximum:number " +
			"exclusiveMaximum:bool minimum:number exclusiveMinimum:bool maxLength:integer minLength:integer " +
			"pattern:string maxItems:integer minItems:integer uniqueItems:bool maxProperties:integer " +
			"minProperties:integer required:[]string enum:[]any type:string|[]string items:schema|[]schema " +
			"allOf:[]schema properties:map:schema additionalProperties:bool|schema discriminator:string " +
			"readOnly:bool xml:xml externalDocs:externalDocs example:any"},
	"xml": {name: "XML object", ext: true, fields: "name:string namespace:string prefix:string attribute:bool wrapped:bool"},
	"securityScheme": {name: "security scheme", ext: true,
		enums: map[string]string{"type": "basic apiKey oauth2", "in": "query header",
			"flow": "implicit password application accessCode"},
		fields: "type!:string description:string name:string in:string flow:string authorizationUrl:string " +
			"tokenUrl:string scopes:map:string"},
	"securityRequirement": {name: "security requirement", keys: "[]string"},
})

// itemFields are the fields of a non-body parameter, an items object and a
// header.
const itemFields = "type:string format:string items:items collectionFormat:string default:any maximum:number " +
	"exclusiveMaximum:bool minimum:number exclusiveMinimum:bool maxLength:integer minLength:integer " +
	"pattern:string maxItems:integer minItems:integer uniqueItems:bool enum:[]any multipleOf:number"
