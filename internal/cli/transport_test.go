package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// remoteServer serves a schema, a redirect to a file: URL and 404s on
// 127.0.0.1.
func remoteServer(t *testing.T) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/s/pet.yaml", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("Pet:\n  type: object\n  properties:\n    name: {type: string}\n"))
	})
	mux.HandleFunc("/s/evil.yaml", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	return srv.URL
}

func TestFetchRemoteRef(t *testing.T) {
	base := remoteServer(t)
	body, err := fetchRemoteRef(context.Background(), base+"/s/pet.yaml")
	require.NoError(t, err)
	data, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	assert.Contains(t, string(data), "Pet:")

	_, err = fetchRemoteRef(context.Background(), base+"/s/missing.yaml")
	assert.ErrorContains(t, err, "HTTP status 404 Not Found")
	_, err = fetchRemoteRef(context.Background(), base+"/s/evil.yaml")
	assert.ErrorContains(t, err, "redirect to a file URL is not allowed")
}

// TestAllowRemoteRefsThroughTheCLI: --allow-remote-refs hands the loader
// the CLI's fetcher; without it the loader has none and refuses.
func TestAllowRemoteRefsThroughTheCLI(t *testing.T) {
	base := remoteServer(t)
	dir := t.TempDir()
	write := func(name, ref string) string {
		p := filepath.Join(dir, name)
		src := "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      $ref: '" + ref + "'\n"
		require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
		return p
	}
	good, evil := write("good.yaml", base+"/s/pet.yaml#/Pet"), write("evil.yaml", base+"/s/evil.yaml#/Pet")

	code, _, errOut := runRoot(t, nil, "contract", "diff", good, good, "--allow-remote-refs")
	assert.Equal(t, 0, code, errOut)
	code, _, errOut = runRoot(t, nil, "contract", "diff", good, good)
	assert.Equal(t, exitInput, code)
	assert.Contains(t, errOut, "pass --allow-remote-refs to fetch it")
	code, _, errOut = runRoot(t, nil, "contract", "diff", good, evil, "--allow-remote-refs")
	assert.Equal(t, exitInput, code)
	assert.Contains(t, errOut, "could not be fetched")
	assert.Contains(t, errOut, "redirect to a file URL is not allowed")
}

func TestPostWebhook(t *testing.T) {
	var gotType, gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotType, gotBody = r.Header.Get("Content-Type"), string(b)
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("slow down"))
	}))
	url := srv.URL + "/services/T0/B0/secret"
	code, status, err := postWebhook(context.Background(), url, "application/json", []byte(`{"text":"hi"}`))
	require.NoError(t, err, "an answer of any status is not a transport error")
	assert.Equal(t, http.StatusTooManyRequests, code)
	assert.Equal(t, "429 Too Many Requests", status)
	assert.Equal(t, "application/json", gotType)
	assert.Equal(t, `{"text":"hi"}`, gotBody)

	srv.Close() // nothing listens there now
	_, _, err = postWebhook(context.Background(), url, "application/json", nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "secret", "webhook URLs are credentials")
}
