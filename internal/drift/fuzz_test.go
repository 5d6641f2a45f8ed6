package drift

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// The readers take whatever a proxy or a browser wrote: they must return
// an error or exchanges, never panic or hang. Each exchange they hand over
// also goes through the validator, which must not fail internally.

func fuzzSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzReadNDJSON(f *testing.F) {
	fuzzSeeds(f, "samples.ndjson")
	f.Add([]byte(`{"method":"GET","path":"/v1/pets/1","status":200,"response":{"bodyBase64":"e30="}}`))
	f.Add([]byte("{\"method\":\"GET\",\"url\":\"\xff\",\"status\":-1}\n\n{}"))
	f.Add([]byte(`{"method":"POST","path":"/v1/pets","request":{"headers":{"a":["b","c"]},"bodyText":"[[[["}}`))
	v := petstore(f, Options{MaxBody: 4096})
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = ReadNDJSON(bytes.NewReader(data), func(ex Exchange) error {
			v.Check(context.Background(), ex)
			return nil
		})
		if v.Stats().Internal != 0 {
			t.Fatalf("the validator failed internally on %q", data)
		}
	})
}

func FuzzReadHAR(f *testing.F) {
	fuzzSeeds(f, "petstore.har")
	f.Add([]byte(`{"log":{"entries":[{"request":{"method":"GET","url":"/v1/pets"},"response":{"status":200,"content":{"text":"e30=","encoding":"base64"}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[]}} trailing`))
	f.Add([]byte(`{"log":{"entries":{}}}`))
	v := petstore(f, Options{MaxBody: 4096})
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = ReadHAR(bytes.NewReader(data), func(ex Exchange) error {
			v.Check(context.Background(), ex)
			return nil
		})
		if v.Stats().Internal != 0 {
			t.Fatalf("the validator failed internally on %q", data)
		}
	})
}
