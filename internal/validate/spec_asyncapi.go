package validate

// The AsyncAPI objects (https://www.asyncapi.com/docs/reference/specification/v2.6.0
// and v3.0.0). 2.x fields added by minor versions are accepted in every
// 2.x document. Bindings are protocol-specific and read as data; schemas
// are walked (for their $refs and nested schemas) but their keywords are
// not checked.
var (
	async2 = compile("document", asyncCommon(map[string]typeDef{
		"document": {name: "AsyncAPI document", ext: true,
			fields: "asyncapi!:string id:string info!:info servers:map:server defaultContentType:string " +
				"channels!:map:channel components:components tags:[]tag externalDocs:externalDocs"},
		"info": {name: "info object", ext: true,
			fields: "title!:string version!:string description:string termsOfService:string contact:contact license:license"},
		"server": {name: "server object", ext: true, ref: refReplace,
			fields: "url!:string protocol!:string protocolVersion:string description:string variables:map:serverVariable " +
				"security:[]securityRequirement tags:[]tag bindings:any"},
		"channel": {name: "channel", ext: true, ref: refSiblings,
			fields: "description:string servers:[]string subscribe:operation publish:operation " +
				"parameters:map:parameter bindings:any"},
		"operation": {name: "operation", ext: true,
			fields: "operationId:string summary:string description:string security:[]securityRequirement tags:[]tag " +
				"externalDocs:externalDocs bindings:any traits:[]operationTrait message:message"},
		"operationTrait": {name: "operation trait", ext: true, ref: refReplace,
			fields: "operationId:string summary:string description:string security:[]securityRequirement tags:[]tag " +
				"externalDocs:externalDocs bindings:any"},
		"message": {name: "message", ext: true, ref: refReplace,
			fields: "messageId:string headers:schema payload:any correlationId:correlationId schemaFormat:string " +
				"contentType:string name:string title:string summary:string description:string tags:[]tag " +
				"externalDocs:externalDocs bindings:any examples:[]any traits:[]messageTrait oneOf:[]message"},
		"messageTrait": {name: "message trait", ext: true, ref: refReplace,
			fields: "messageId:string headers:schema correlationId:correlationId schemaFormat:string contentType:string " +
				"name:string title:string summary:string description:string tags:[]tag externalDocs:externalDocs " +
				"bindings:any examples:[]any"},
		"parameter": {name: "parameter", ext: true, ref: refReplace,
			fields: "description:string schema:schema location:string"},
		"components": {name: "components object", plural: "components objects", ext: true,
			fields: "schemas:map:schema servers:map:server serverVariables:map:serverVariable channels:map:channel " +
				"messages:map:message securitySchemes:map:securityScheme parameters:map:parameter " +
				"correlationIds:map:correlationId operationTraits:map:operationTrait messageTraits:map:messageTrait " +
				"serverBindings:map:any channelBindings:map:any operationBindings:map:any messageBindings:map:any"},
		"securityScheme": {name: "security scheme", ext: true, ref: refReplace,
			fields: "type!:string description:string name:string in:string scheme:string bearerFormat:string " +
				"flows:oauthFlows openIdConnectUrl:string"},
		"oauthFlow": {name: "OAuth flow object", ext: true,
			fields: "authorizationUrl:string tokenUrl:string refreshUrl:string scopes!:map:string"},
		"tag":                 {name: "tag object", ext: true, fields: "name!:string description:string externalDocs:externalDocs"},
		"externalDocs":        {name: "external documentation object", ext: true, fields: "description:string url!:string"},
		"securityRequirement": {name: "security requirement", keys: "[]string"},
	}))
	async3 = compile("document", asyncCommon(map[string]typeDef{
		"document": {name: "AsyncAPI document", ext: true,
			fields: "asyncapi!:string id:string info!:info servers:map:server defaultContentType:string " +
				"channels:map:channel operations:map:operation components:components"},
		"info": {name: "info object", ext: true,
			fields: "title!:string version!:string description:string termsOfService:string contact:contact " +
				"license:license tags:[]tag externalDocs:externalDocs"},
		"server": {name: "server object", ext: true, ref: refReplace,
			later: map[string]string{"url": "AsyncAPI 3 writes host and pathname instead of url"},
			fields: "host!:string protocol!:string protocolVersion:string pathname:string description:string title:string " +
				"summary:string variables:map:serverVariable security:[]securityScheme tags:[]tag " +
				"externalDocs:externalDocs bindings:any"},
		"channel": {name: "channel", ext: true, ref: refReplace,
			fields: "address:string|null messages:map:message title:string summary:string description:string " +
				"servers:[]server parameters:map:parameter tags:[]tag externalDocs:externalDocs bindings:any"},
		"operation": {name: "operation", ext: true, ref: refReplace, enums: map[string]string{"action": "send receive"},
			fields: "action!:string channel!:channel title:string summary:string description:string " +
				"security:[]securityScheme tags:[]tag externalDocs:externalDocs bindings:any " +
				"traits:[]operationTrait messages:[]message reply:operationReply"},
		"operationTrait": {name: "operation trait", ext: true, ref: refReplace,
			fields: "title:string summary:string description:string security:[]securityScheme tags:[]tag " +
				"externalDocs:externalDocs bindings:any"},
		"operationReply": {name: "operation reply", ext: true, ref: refReplace,
			fields: "address:operationReplyAddress channel:channel messages:[]message"},
		"operationReplyAddress": {name: "operation reply address", ext: true, ref: refReplace,
			fields: "description:string location!:string"},
		"message": {name: "message", ext: true, ref: refReplace,
			fields: "headers:schema payload:any correlationId:correlationId contentType:string name:string " +
				"title:string summary:string description:string tags:[]tag externalDocs:externalDocs bindings:any " +
				"examples:[]messageExample traits:[]messageTrait"},
		"messageTrait": {name: "message trait", ext: true, ref: refReplace,
			fields: "headers:schema correlationId:correlationId contentType:string name:string title:string " +
				"summary:string description:string tags:[]tag externalDocs:externalDocs bindings:any " +
				"examples:[]messageExample"},
		"messageExample": {name: "message example", ext: true,
			fields: "headers:map:any payload:any name:string summary:string"},
		"parameter": {name: "parameter", ext: true, ref: refReplace,
			fields: "enum:[]string default:string description:string examples:[]string location:string"},
		"components": {name: "components object", plural: "components objects", ext: true,
			fields: "schemas:map:schema servers:map:server channels:map:channel operations:map:operation " +
				"messages:map:message securitySchemes:map:securityScheme serverVariables:map:serverVariable " +
				"parameters:map:parameter correlationIds:map:correlationId replies:map:operationReply " +
				"replyAddresses:map:operationReplyAddress externalDocs:map:externalDocs tags:map:tag " +
				"operationTraits:map:operationTrait messageTraits:map:messageTrait serverBindings:map:any " +
				"channelBindings:map:any operationBindings:map:any messageBindings:map:any"},
		"securityScheme": {name: "security scheme", ext: true, ref: refReplace,
			fields: "type!:string description:string name:string in:string scheme:string bearerFormat:string " +
				"flows:oauthFlows openIdConnectUrl:string scopes:[]string"},
		"oauthFlow": {name: "OAuth flow object", ext: true,
			fields: "authorizationUrl:string tokenUrl:string refreshUrl:string availableScopes!:map:string"},
		"tag": {name: "tag object", ext: true, ref: refReplace,
			fields: "name!:string description:string externalDocs:externalDocs"},
		"externalDocs": {name: "external documentation object", ext: true, ref: refReplace,
			fields: "description:string url!:string"},
	}))
)

// asyncCommon adds the objects both major versions share.
func asyncCommon(defs map[string]typeDef) map[string]typeDef {
	defs["contact"] = typeDef{name: "contact object", ext: true, fields: "name:string url:string email:string"}
	defs["license"] = typeDef{name: "license object", ext: true, fields: "name!:string url:string"}
	defs["serverVariable"] = typeDef{name: "server variable", ext: true, ref: refReplace,
		fields: "enum:[]string default:string description:string examples:[]string"}
	defs["correlationId"] = typeDef{name: "correlation ID object", ext: true, ref: refReplace,
		fields: "description:string location!:string"}
	defs["oauthFlows"] = typeDef{name: "OAuth flows object", ext: true,
		fields: "implicit:oauthFlow password:oauthFlow clientCredentials:oauthFlow authorizationCode:oauthFlow"}
	defs["schema"] = typeDef{name: "schema", ext: true, ref: refSiblings, open: true, boolean: true, fields: schemaKeywords}
	return defs
}
