package proxy

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOpRate(t *testing.T) {
	op, err := ParseOpRate("get /pets/{id}=0.5")
	require.NoError(t, err)
	assert.Equal(t, OpRate{Method: "GET", Segments: []string{"pets", "{id}"}, Rate: 0.5}, op)
	for in, want := range map[string]string{
		"GET /pets":       `sample rate "GET /pets" is not of the form 'GET /pets/{id}=0.5'`,
		"/pets=0.5":       `sample rate "/pets=0.5" is not of the form 'GET /pets/{id}=0.5'`,
		"GET /pets=1.5":   `sample rate "GET /pets=1.5": the rate "1.5" is not a number between 0 and 1`,
		"GET /pets=NaN":   `sample rate "GET /pets=NaN": the rate "NaN" is not a number between 0 and 1`,
		"GET /pets=-0.1":  `sample rate "GET /pets=-0.1": the rate "-0.1" is not a number between 0 and 1`,
		"GET pets/{id}=1": `sample rate "GET pets/{id}=1" is not of the form 'GET /pets/{id}=0.5'`,
	} {
		_, err := ParseOpRate(in)
		assert.EqualError(t, err, want, in)
	}
}

func TestSamplingRates(t *testing.T) {
	s := Sampling{Rate: 0.01, Ops: []OpRate{
		{Method: "GET", Segments: []string{"pets", "{id}"}, Rate: 0.5},
		{Method: "GET", Segments: []string{"pets", "mine"}, Rate: 1},
	}}
	assert.InDelta(t, 0.5, s.rate("GET", "/pets/7"), 0)
	assert.InDelta(t, 1, s.rate("GET", "/pets/mine"), 0, "the more literal template wins")
	assert.InDelta(t, 0.01, s.rate("POST", "/pets/7"), 0, "the method must match")
	assert.InDelta(t, 0.01, s.rate("GET", "/pets/7/toys"), 0)
	s.Rand = func() float64 { return 0.4 }
	assert.True(t, s.sample("GET", "/pets/7"))
	assert.False(t, s.sample("GET", "/owners/7"))
}

func TestErrorStatusesAreAlwaysSampled(t *testing.T) {
	c := newFlagIDs("x")
	h := start(t, petsUpstream(), c, func(o *Options, _ *Timeouts) { o.Sampling = Sampling{Rate: 0, Errors: true} })
	get(t, h.url+"/pets/1")
	res, _ := get(t, h.url+"/pets/1?status=500")
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	ex := recv(t, "the error exchange", c.seen)
	assert.Equal(t, http.StatusInternalServerError, ex.Status, "the 200 at rate 0 was not sampled; the 500 was")
	assert.Equal(t, "/pets/1?status=500", ex.URL)
	assert.Equal(t, int64(1), h.p.Metrics().Sampled())
}

func TestRateZeroWithoutErrorsCapturesNothing(t *testing.T) {
	c := newFlagIDs("x")
	h := start(t, petsUpstream(), c, func(o *Options, _ *Timeouts) { o.Sampling = Sampling{} })
	get(t, h.url+"/pets/1?status=500")
	get(t, h.url+"/pets/1")
	assert.Equal(t, int64(0), h.p.Metrics().Sampled())
	assert.Empty(t, c.seen)
}
