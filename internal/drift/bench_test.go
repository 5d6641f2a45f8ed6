package drift

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// petsBody is a GET /pets response of about size bytes.
func petsBody(size int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; b.Len() < size-100; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"pet number %d","category":"dog","status":"available","tag":"t%d"}`, i, i, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

func benchCheck(b *testing.B, size int) {
	v := petstore(b, Options{MaxBody: 1 << 20})
	body := petsBody(size)
	ex := Exchange{Method: "GET", URL: "https://api.petstore.example/v1/pets?limit=20", Status: 200,
		RespHeader: http.Header{"Content-Type": {"application/json"}}, RespBody: body}
	if es := v.Check(context.Background(), ex); len(es) != 0 {
		b.Fatalf("the benchmark exchange drifts: %+v", es)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		v.Check(context.Background(), ex)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "validations/s")
}

// Run with -cpu 1 for validations per second per core.
func BenchmarkCheck1KB(b *testing.B)   { benchCheck(b, 1<<10) }
func BenchmarkCheck100KB(b *testing.B) { benchCheck(b, 100<<10) }

// BenchmarkNDJSONStream streams a generated NDJSON file through the
// reader and the validator and reports the peak heap: it must stay flat
// whatever the file's size. RELAY_DRIFT_BENCH_BYTES sets the size
// (default 64 MiB; the figure in the issue used 1 GiB). The file lives in
// a temporary directory and is never committed.
func BenchmarkNDJSONStream(b *testing.B) {
	size := int64(64 << 20)
	if s := os.Getenv("RELAY_DRIFT_BENCH_BYTES"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		size = n
	}
	path := filepath.Join(b.TempDir(), "traffic.ndjson")
	writeTraffic(b, path, size)
	v := petstore(b, Options{MaxBody: 1 << 20})
	b.SetBytes(size)
	b.ResetTimer()
	var peak uint64
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		agg := NewAggregate()
		n := 0
		err = ReadNDJSON(f, func(ex Exchange) error {
			agg.Add(v.Check(context.Background(), ex)...)
			if n++; n%20_000 == 0 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			return nil
		})
		_ = f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if agg.Len() != 1 {
			b.Fatalf("want the one planted drift, got %d", agg.Len())
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// writeTraffic writes about size bytes of exchanges, one in a thousand
// drifting (id as a string).
func writeTraffic(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var written int64
	for i := 0; written < size; i++ {
		id := strconv.Itoa(i)
		if i%1000 == 999 {
			id = strconv.Quote(id)
		}
		n, _ := fmt.Fprintf(w, `{"time":"2026-12-03T10:00:00Z","method":"GET","path":"/v1/pets/%d","status":200,"request":{"headers":{"Authorization":"Bearer x"}},"response":{"headers":{"Content-Type":"application/json"},"body":{"id":%s,"name":"pet %d","category":"dog","status":"available"}}}`+"\n", i, id, i)
		written += int64(n)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
