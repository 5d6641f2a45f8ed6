package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	urlBase = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'pet.yaml#/Pet'}\n    delete:\n      responses: {'204': {description: gone}}\n"
	urlRev  = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'pet.yaml#/Pet'}\n"
)

// contractServer serves a base contract whose relative $ref is on the
// same server, a contract that never finishes answering, and 404s.
func contractServer(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/api/base.yaml", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(urlBase)) })
	mux.HandleFunc("/api/pet.yaml", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("Pet:\n  type: object\n  properties:\n    name: {type: string}\n"))
	})
	mux.HandleFunc("/api/big.yaml", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("#", 2048)))
	})
	mux.HandleFunc("/api/hang.yaml", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("openapi: 3.0.3\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // never finishes: only relay's timeout ends the fetch
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestURLSides: a base or contract given as an http(s) URL is fetched
// only with --allow-remote-refs, its relative $refs resolve on the server,
// and the fetch is bounded in size and time.
func TestURLSides(t *testing.T) {
	srv := contractServer(t)
	dir := t.TempDir()
	rev := filepath.Join(dir, "revision.yaml")
	require.NoError(t, os.WriteFile(rev, []byte(urlRev), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pet.yaml"), []byte("Pet:\n  type: object\n  properties:\n    name: {type: string}\n"), 0o600))

	code, _, errOut := runRoot(t, nil, "contract", "diff", "--base", srv+"/api/base.yaml", "--contract", rev)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "relay: the base contract "+srv+"/api/base.yaml is a URL: pass --allow-remote-refs to fetch it\n")

	code, out, errOut := runRoot(t, nil, "contract", "diff", "--base", srv+"/api/base.yaml", "--contract", rev,
		"--allow-remote-refs", "--format", "json")
	assert.Equal(t, 20, code, errOut)
	assert.Contains(t, out, `"source": "`+srv+`/api/base.yaml"`)
	assert.Contains(t, out, `"id": "operation-removed"`)

	// The revision as a URL, positionally.
	code, _, errOut = runRoot(t, nil, "contract", "diff", rev, srv+"/api/base.yaml")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "the revision contract "+srv+"/api/base.yaml is a URL: pass --allow-remote-refs")
	code, _, errOut = runRoot(t, nil, "contract", "diff", rev, srv+"/api/base.yaml", "--allow-remote-refs")
	assert.Equal(t, 10, code, errOut)

	code, _, errOut = runRoot(t, nil, "contract", "diff", srv+"/api/missing.yaml", rev, "--allow-remote-refs")
	assert.Equal(t, exitInput, code)
	assert.Equal(t, "relay: cannot fetch the base contract "+srv+"/api/missing.yaml: HTTP status 404 Not Found\n", errOut)

	old := maxContractBytes
	t.Cleanup(func() { maxContractBytes = old })
	maxContractBytes = 1024
	code, _, errOut = runRoot(t, nil, "contract", "diff", srv+"/api/big.yaml", rev, "--allow-remote-refs")
	assert.Equal(t, exitInput, code)
	assert.Equal(t, "relay: cannot fetch the base contract "+srv+"/api/big.yaml: it is larger than the limit of 1024 bytes\n", errOut)
}

func TestFetchContractTimeout(t *testing.T) {
	srv := contractServer(t)
	old := contractFetchTimeout
	t.Cleanup(func() { contractFetchTimeout = old })
	contractFetchTimeout = 50 * time.Millisecond
	_, err := fetchContract(context.Background(), srv+"/api/hang.yaml")
	require.Error(t, err)
	assert.Equal(t, "no complete answer within 50ms", err.Error())
}
