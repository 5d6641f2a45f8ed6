package proxy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
)

// The proxy benchmarks compare requests straight to an upstream on
// loopback with requests through the proxy, at sample rates 0, 0.01 and
// 1, with 1 KiB and 100 KiB bodies:
//
//	go test ./internal/drift/proxy -run '^$' -bench . -benchtime 3000x
//
// Latency runs one request at a time and reports p50 and p99 in µs;
// throughput runs parallel clients and reports requests per second. The
// checker parses the body as JSON, standing in for the validator.

var benchBodies = map[string]int{"1KiB": 1 << 10, "100KiB": 100 << 10}

func benchUpstream(size int) *httptest.Server {
	body := []byte(`{"pad":"` + strings.Repeat("x", size-10) + `"}`)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
}

type benchTarget struct {
	url  string
	stop func()
	p    *Proxy
}

func benchProxy(b *testing.B, up string, rate float64) benchTarget {
	b.Helper()
	if rate < 0 {
		return benchTarget{url: up, stop: func() {}}
	}
	u, _ := url.Parse(up)
	parse := checkFunc(func(_ context.Context, ex drift.Exchange) []event.Event {
		var v any
		_ = json.Unmarshal(ex.RespBody, &v)
		return nil
	})
	p, err := New(Options{Upstream: u, Source: StaticSource{Checker: parse, Name: "bench"}, Emitter: newCollect(),
		Function: "bench", Sampling: Sampling{Rate: rate, Errors: true}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		b.Fatal(err)
	}
	srv := NewServer(p, Timeouts{})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	adm, _ := net.Listen("tcp", "127.0.0.1:0")
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, ln, adm); close(done) }()
	return benchTarget{url: "http://" + ln.Addr().String(), p: p, stop: func() { cancel(); <-done }}
}

var benchRates = []struct {
	name string
	rate float64
}{{"direct", -1}, {"rate=0", 0}, {"rate=0.01", 0.01}, {"rate=1", 1}}

func benchClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64}}
}

func fetch(b *testing.B, c *http.Client, u string) {
	res, err := c.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	_ = res.Body.Close()
}

func BenchmarkProxyLatency(b *testing.B) {
	for _, size := range []string{"1KiB", "100KiB"} {
		up := benchUpstream(benchBodies[size])
		for _, r := range benchRates {
			b.Run(fmt.Sprintf("%s/%s", size, r.name), func(b *testing.B) {
				t := benchProxy(b, up.URL, r.rate)
				defer t.stop()
				c := benchClient()
				fetch(b, c, t.url) // warm the connections
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for range b.N {
					start := time.Now()
					fetch(b, c, t.url)
					lat = append(lat, time.Since(start))
				}
				b.StopTimer()
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			})
		}
		up.Close()
	}
}

func BenchmarkProxyThroughput(b *testing.B) {
	for _, size := range []string{"1KiB", "100KiB"} {
		up := benchUpstream(benchBodies[size])
		for _, r := range benchRates {
			b.Run(fmt.Sprintf("%s/%s", size, r.name), func(b *testing.B) {
				t := benchProxy(b, up.URL, r.rate)
				defer t.stop()
				c := benchClient()
				b.SetParallelism(4)
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						fetch(b, c, t.url)
					}
				})
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
				if t.p != nil {
					b.ReportMetric(float64(t.p.Metrics().Dropped())/float64(b.N), "dropped/op")
				}
			})
		}
		up.Close()
	}
}
