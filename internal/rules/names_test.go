package rules

import (
	"testing"

	"github.com/relay-dev/relay/internal/load"
)

// TestDescribe: schema locations read as a person names them, in every
// document kind's layout.
func TestDescribe(t *testing.T) {
	const doc = `{
 "paths": {"/pets/{id}": {"parameters": [{"name": "id", "in": "path", "schema": {}}],
  "get": {"parameters": [{"name": "limit", "in": "query", "schema": {}}, {"name": "pet", "in": "body", "schema": {}}, {"name": "tag", "in": "query", "type": "string"}],
   "requestBody": {"content": {"application/json": {"schema": {"properties": {"tags": {"items": {}}, "point": {"prefixItems": [{}, {}]}}}}}},
   "responses": {"200": {"schema": {}, "headers": {"X-Rate": {"schema": {}}},
     "content": {"application/json": {"schema": {"properties": {"tags": {}}, "additionalProperties": {}, "oneOf": [{}, {}]}}}}}}}},
 "components": {"schemas": {"Pet": {"properties": {"owner": {"properties": {"name": {}}}}}},
   "responses": {"NotFound": {"content": {"text/plain": {"schema": {}}}}},
   "requestBodies": {"PetBody": {"content": {"application/json": {"schema": {}}}}},
   "messages": {"orderCreated": {"payload": {"properties": {"id": {}}}}}},
 "properties": {"a": {"items": {}}},
 "input": {"properties": {"amount": {}}}
}`
	f, err := load.ParseFile("api.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]string{
		"/paths/~1pets~1{id}/parameters/0/schema":                                                             "path parameter 'id'",
		"/paths/~1pets~1{id}/get/parameters/0/schema":                                                         "query parameter 'limit'",
		"/paths/~1pets~1{id}/get/parameters/1/schema":                                                         "body 'pet'",
		"/paths/~1pets~1{id}/get/parameters/2":                                                                "query parameter 'tag'",
		"/paths/~1pets~1{id}/get/requestBody/content/application~1json/schema":                                "application/json body",
		"/paths/~1pets~1{id}/get/requestBody/content/application~1json/schema/properties/tags/items":          "'tags[]' in application/json body",
		"/paths/~1pets~1{id}/get/requestBody/content/application~1json/schema/properties/point/prefixItems/1": "'point[1]' in application/json body",
		"/paths/~1pets~1{id}/get/responses/200/schema":                                                        "200 body",
		"/paths/~1pets~1{id}/get/responses/200/headers/X-Rate/schema":                                         "header 'X-Rate' of 200",
		"/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema":                              "200 application/json body",
		"/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/additionalProperties":         "'*' in 200 application/json body",
		"/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/oneOf/1":                      "'oneOf[1]' in 200 application/json body",
		"/components/schemas/Pet/properties/owner/properties/name":                                            "'Pet.owner.name'",
		"/components/responses/NotFound/content/text~1plain/schema":                                           "'NotFound' text/plain body",
		"/components/requestBodies/PetBody/content/application~1json/schema":                                  "'PetBody' application/json body",
		"/components/messages/orderCreated/payload/properties/id":                                             "'id' in message 'orderCreated' payload",
		"/properties/a/items":      "'a[]'",
		"/input/properties/amount": "'amount' in input",
		"":                         "the root schema",
	} {
		n, ok := f.Root.Lookup(ptr)
		if !ok {
			t.Fatalf("no node at %s", ptr)
		}
		if got := describe(n); got != want {
			t.Errorf("describe(%s) = %q, want %q", ptr, got, want)
		}
	}
	for ptr, want := range map[string]string{
		"/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema/properties/tags": "200 application/json body",
		"/components/schemas/Pet/properties/owner":                                               "",
		"/input/properties/amount":                                                               "",
	} {
		n, _ := f.Root.Lookup(ptr)
		if got := where(n); got != want {
			t.Errorf("where(%s) = %q, want %q", ptr, got, want)
		}
	}
}
