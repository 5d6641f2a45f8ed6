package drift

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func petstore(t testing.TB, opts Options) *Validator {
	t.Helper()
	opts.Contract = "testdata/petstore.yaml"
	v, err := NewValidator(context.Background(), loadContract(t, "petstore.yaml"), opts)
	require.NoError(t, err)
	return v
}

func petResponse(body string) Exchange {
	return Exchange{Method: "GET", URL: "/v1/pets/1", Status: 200,
		RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(body)}
}

func rules(t *testing.T, v *Validator, ex Exchange) []string {
	t.Helper()
	var out []string
	for _, e := range v.Check(context.Background(), ex) {
		out = append(out, e.Rule+" "+e.InstancePath+" "+e.Observed)
	}
	return out
}

func TestHostileBodiesNeverCrash(t *testing.T) {
	v := petstore(t, Options{MaxBody: 1 << 20})
	deep := strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)
	assert.Equal(t, []string{"invalid-json  application/json body (20000 bytes)"}, rules(t, v, petResponse(deep)))
	assert.Equal(t, []string{"invalid-json  application/json body (16 bytes)"}, rules(t, v, petResponse(`{"id":1}{"id":2}`)))
	assert.Equal(t, []string{"invalid-json  application/json body (3 bytes)"}, rules(t, v, petResponse(`{"i`)))

	// Duplicate keys: the last one wins, as in every JSON decoder Go has.
	dup := `{"id":"x","id":1,"name":"Rex","category":"dog","status":"sold"}`
	assert.Empty(t, rules(t, v, petResponse(dup)))

	// Invalid UTF-8 inside a string is still a string.
	bad := "{\"id\":1,\"name\":\"R\xffx\",\"category\":\"dog\",\"status\":\"sold\"}"
	assert.Empty(t, rules(t, v, petResponse(bad)))

	// A body over the capture cap: framing and type only, counted.
	small := petstore(t, Options{MaxBody: 64})
	huge := `{"id":1,"name":"` + strings.Repeat("x", 1<<20) + `"}`
	assert.Empty(t, rules(t, small, petResponse(huge)))
	assert.Equal(t, []string{"type-mismatch  array (truncated, 64 bytes captured)"},
		rules(t, small, petResponse("["+strings.Repeat(`1,`, 1<<16)+"1]")))
	assert.Equal(t, int64(2), small.Stats().Truncated)
	assert.Equal(t, int64(0), small.Stats().Internal)
}

func TestRedaction(t *testing.T) {
	body := `{"id":"secret-id-42","name":"Rex","category":"dog","status":"sold"}`
	hidden := petstore(t, Options{})
	assert.Equal(t, []string{"type-mismatch /id string (12 chars)"}, rules(t, hidden, petResponse(body)))
	shown := petstore(t, Options{ShowValues: true})
	assert.Equal(t, []string{`type-mismatch /id string (12 chars): "secret-id-42"`}, rules(t, shown, petResponse(body)))

	for _, h := range []string{"Authorization", "cookie", "Set-Cookie", "Proxy-Authorization", "X-Api-Key",
		"X-Auth-Token", "Client-Secret", "X-Password"} {
		assert.True(t, IsSecretHeader(h), h)
		assert.Equal(t, "string (6 chars)", describeParam("header", h, "s3cr3t", true), h)
	}
	assert.False(t, IsSecretHeader("Accept"))
	assert.Equal(t, `string (3 chars): "abc"`, describeParam("header", "X-Request-Id", "abc", true))
	assert.Equal(t, "string (3 chars)", describeParam("query", "q", "abc", false))
	assert.Equal(t, "string (6 chars)", describeParam("cookie", "session", "s3cr3t", true))
	assert.Equal(t, "string (6 chars)", describeParam("query", "access_token", "s3cr3t", true))

	// A body property named like a secret keeps its value hidden too.
	hv := validator(t, "headers.yaml", Options{ShowValues: true})
	assert.ElementsMatch(t, []string{
		"POST /things type-mismatch /cardToken number testdata/headers.yaml:18",
		"POST /things type-mismatch /note number: 4242 testdata/headers.yaml:19",
	}, located(t, hv, Exchange{Method: "POST", URL: "/things", ReqHeader: jsonHeader,
		ReqBody: []byte(`{"cardToken":4242424242424242,"note":4242}`)}))
}

func TestSecretHeaderParameterNeverShown(t *testing.T) {
	v := petstore(t, Options{ShowValues: true})
	ex := Exchange{Method: "GET", URL: "/v1/pets?limit=abc", Status: 200,
		ReqHeader:  http.Header{"Authorization": {"Bearer s3cr3t"}},
		RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: []byte(`[]`)}
	assert.Equal(t, []string{`parameter-invalid /query/limit string (3 chars): "abc"`}, rules(t, v, ex))

	hv, err := NewValidator(context.Background(), loadContract(t, "headers.yaml"), Options{ShowValues: true})
	require.NoError(t, err)
	ex = Exchange{Method: "GET", URL: "/things", Status: 200,
		ReqHeader: http.Header{"X-Api-Key": {"s3cr3t"}, "X-Request-Id": {"abc"}}}
	assert.ElementsMatch(t, []string{
		"parameter-invalid /header/X-Api-Key string (6 chars)",
		`parameter-invalid /header/X-Request-Id string (3 chars): "abc"`,
	}, rules(t, hv, ex))
	for _, e := range hv.Check(context.Background(), ex) {
		assert.NotContains(t, e.Message+e.Observed+e.Fix, "s3cr3t")
	}
}

func TestUnparsableURLIsNotEchoed(t *testing.T) {
	ex := Exchange{Method: "get", URL: "https://x/%zz?access_token=s3cr3t", Status: 200}
	for _, show := range []bool{false, true} {
		es := petstore(t, Options{ShowValues: show}).Check(context.Background(), ex)
		require.Len(t, es, 1)
		assert.Equal(t, "GET (unparsable URL)", es[0].Operation)
		assert.Equal(t, RuleUndocumentedOperation, es[0].Rule)
		if !show {
			assert.NotContains(t, es[0].Message+es[0].Observed, "s3cr3t")
		}
	}
}
