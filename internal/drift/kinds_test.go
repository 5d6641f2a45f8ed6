package drift

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validator(t *testing.T, name string, opts Options) *Validator {
	t.Helper()
	v, err := NewValidator(context.Background(), loadContract(t, name), opts)
	require.NoError(t, err)
	return v
}

func located(t *testing.T, v *Validator, ex Exchange) []string {
	t.Helper()
	var out []string
	for _, e := range v.Check(context.Background(), ex) {
		loc := ""
		if e.Location != nil {
			loc = e.Location.File + ":" + itoa(e.Location.Line)
		}
		out = append(out, e.Operation+" "+e.Rule+" "+e.InstancePath+" "+e.Observed+" "+loc)
	}
	return out
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

func TestSwagger2(t *testing.T) {
	v := validator(t, "petstore-swagger.yaml", Options{})
	ex := Exchange{Method: "GET", URL: "https://api.petstore.example/v1/pets/1", Status: 200,
		RespHeader: jsonHeader, RespBody: []byte(`{"id":"one"}`)}
	assert.ElementsMatch(t, []string{
		"GET /pets/{id} type-mismatch /id string (3 chars) testdata/petstore-swagger.yaml:21",
		"GET /pets/{id} required-missing /name absent testdata/petstore-swagger.yaml:19",
	}, located(t, v, ex))
	ex = Exchange{Method: "GET", URL: "/v1/pets/x", Status: 200, RespHeader: jsonHeader, RespBody: []byte(`{"id":1,"name":"a"}`)}
	assert.Equal(t, []string{"GET /pets/{id} parameter-invalid /path/id string (1 chars) testdata/petstore-swagger.yaml:11"},
		located(t, v, ex))
}

func TestFunctionContract(t *testing.T) {
	v := validator(t, "payments-function.yaml", Options{Function: "my-team/payments"})
	ex := Exchange{Method: "POST", URL: "/charge", ReqHeader: jsonHeader,
		ReqBody: []byte(`{"amount":"12","currency":"EUR","source":"tok_x"}`),
		Status:  200, RespHeader: jsonHeader, RespBody: []byte(`{"chargeId":"c1","status":"refunded","amount":12}`)}
	assert.ElementsMatch(t, []string{
		"input type-mismatch /amount string (2 chars) testdata/payments-function.yaml:35",
		"output enum-mismatch /status string (8 chars) testdata/payments-function.yaml:17",
	}, located(t, v, ex))
	for _, e := range v.Check(context.Background(), ex) {
		assert.Equal(t, "my-team/payments", e.Function)
	}
	// Error responses are not the output's business.
	ex.ReqBody, ex.Status = []byte(`{"amount":1,"currency":"EUR","source":"t"}`), 402
	assert.Empty(t, located(t, v, ex))
}

func TestJSONSchemaRoles(t *testing.T) {
	body := []byte(`{"quantity":0,"note":"x"}`)
	in := validator(t, "order.schema.json", Options{})
	assert.ElementsMatch(t, []string{
		"input required-missing /orderId absent testdata/order.schema.json:4",
		"input additional-property  object (2 keys) testdata/order.schema.json:5",
		"input constraint-violated /quantity number testdata/order.schema.json:8",
	}, located(t, in, Exchange{Method: "POST", URL: "/orders", ReqBody: body}))
	out := validator(t, "order.schema.json", Options{SchemaRole: "output"})
	assert.Empty(t, located(t, out, Exchange{Method: "POST", URL: "/orders", ReqBody: body}))
	assert.Len(t, located(t, out, Exchange{Method: "GET", URL: "/orders/1", Status: 200, RespBody: body}), 3)
}

// TestCheckIsSafeForConcurrentUse runs the fixture traffic from several
// goroutines at once (go test -race catches shared writes) and expects
// each goroutine to see what one alone sees.
func TestCheckIsSafeForConcurrentUse(t *testing.T) {
	v := petstore(t, Options{})
	var exs []Exchange
	require.NoError(t, readNDJSONFile(t, "samples.ndjson", func(ex Exchange) error { exs = append(exs, ex); return nil }))
	want := 0
	for _, ex := range exs {
		want += len(v.Check(context.Background(), ex))
	}
	got := make(chan int, 8)
	for range 8 {
		go func() {
			n := 0
			for _, ex := range exs {
				n += len(v.Check(context.Background(), ex))
			}
			got <- n
		}()
	}
	for range 8 {
		assert.Equal(t, want, <-got)
	}
	assert.Equal(t, int64(0), v.Stats().Internal)
}

func readNDJSONFile(t *testing.T, name string, fn func(Exchange) error) error {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	return ReadNDJSON(f, fn)
}

// TestFlawedContractsStillMatch: a contract kin-openapi's full validation
// refuses (a duplicate required entry, overlapping templates, an ECMA-only
// pattern) is still served by its provider, so its traffic is still judged.
func TestFlawedContractsStillMatch(t *testing.T) {
	v := validator(t, "flawed.yaml", Options{})
	ok := Exchange{Method: "GET", URL: "/files/a", Status: 200, RespHeader: jsonHeader, RespBody: []byte(`{"id":"tmp-x"}`)}
	assert.Empty(t, located(t, v, ok))
	bad := Exchange{Method: "GET", URL: "/files/a", Status: 200, RespHeader: jsonHeader, RespBody: []byte(`{}`)}
	assert.Equal(t, []string{"GET /files/{fileName} required-missing /id absent testdata/flawed.yaml:13"}, located(t, v, bad))
	assert.Empty(t, located(t, v, Exchange{Method: "DELETE", URL: "/files/a", Status: 204}))
	assert.Equal(t, []string{"PUT /files/a undocumented-operation   "},
		located(t, v, Exchange{Method: "PUT", URL: "/files/a", Status: 200}))
}

func TestUndocumentedOperationsGroupIdentifiers(t *testing.T) {
	v := petstore(t, Options{})
	agg := NewAggregate()
	for _, u := range []string{"/v1/owners/7", "/v1/owners/8", "/v1/owners/3f2a1c9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"} {
		agg.Add(v.Check(context.Background(), Exchange{Method: "GET", URL: u, Status: 200})...)
	}
	agg.Add(v.Check(context.Background(), Exchange{Method: "GET", URL: "/v1/owners/me", Status: 200})...)
	var got []string
	for _, e := range agg.Events() {
		got = append(got, e.Operation+" "+itoa(int(e.Count))+" "+e.Observed)
	}
	assert.Equal(t, []string{"GET /v1/owners/me 1 ", "GET /v1/owners/{id} 3 "}, got)

	shown := petstore(t, Options{ShowValues: true})
	es := shown.Check(context.Background(), Exchange{Method: "GET", URL: "/v1/owners/7?x=1", Status: 200})
	require.Len(t, es, 1)
	assert.Equal(t, "path /v1/owners/7", es[0].Observed)
}

func TestUndocumentedStatus(t *testing.T) {
	v := validator(t, "headers.yaml", Options{})
	ex := Exchange{Method: "POST", URL: "/things", ReqHeader: jsonHeader, ReqBody: []byte(`{}`),
		Status: 409, RespHeader: jsonHeader, RespBody: []byte(`{"error":"conflict"}`)}
	assert.Equal(t, []string{"POST /things undocumented-status   testdata/headers.yaml:20"}, located(t, v, ex))
	es := v.Check(context.Background(), ex)
	require.Len(t, es, 1)
	assert.Equal(t, 409, es[0].Status)
	assert.Equal(t, "/paths/~1things/post/responses", es[0].SchemaPointer)
	assert.Equal(t, "POST /things answered 409, a status the contract does not declare", es[0].Message)
	// A declared status is not drift.
	ex.Status, ex.RespBody, ex.RespHeader = 201, nil, nil
	assert.Empty(t, located(t, v, ex))
}

func TestSchemaRulesOnOpenAPI(t *testing.T) {
	v := petstore(t, Options{})
	ex := petResponse(`{"id":1,"name":"Rex","category":"dog","status":"lost"}`)
	assert.Equal(t, []string{"GET /pets/{id} enum-mismatch /status string (4 chars) testdata/petstore.yaml:118"}, located(t, v, ex))
	es := v.Check(context.Background(), ex)
	require.Len(t, es, 1)
	assert.Equal(t, "the value is not one of the contract's allowed values", es[0].Message)
	assert.Equal(t, "/components/schemas/Pet/properties/status/enum", es[0].SchemaPointer)

	long := `{"name":"` + strings.Repeat("x", 101) + `"}`
	req := Exchange{Method: "POST", URL: "/v1/pets", ReqHeader: jsonHeader, ReqBody: []byte(long)}
	assert.Equal(t, []string{"POST /pets constraint-violated /name string (101 chars) testdata/petstore.yaml:127"}, located(t, v, req))

	wrong := Exchange{Method: "POST", URL: "/v1/pets", ReqHeader: http.Header{"Content-Type": {"text/plain"}}, ReqBody: []byte("Rex")}
	assert.Equal(t, []string{"POST /pets undocumented-media-type  text/plain body (3 bytes) testdata/petstore.yaml:49"}, located(t, v, wrong))
}
