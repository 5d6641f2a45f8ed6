package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/drift/proxy"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
)

// lockedBuffer is stderr shared by the proxy's goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type checkerFunc func(ctx context.Context, ex drift.Exchange) []event.Event

func (f checkerFunc) Check(ctx context.Context, ex drift.Exchange) []event.Event { return f(ctx, ex) }

// fakeCheckerFor stands in for the validation engine: every exchange is
// drift under a rule naming the contract's info.version.
func fakeCheckerFor(t *testing.T) {
	t.Helper()
	old := checkerFor
	t.Cleanup(func() { checkerFor = old })
	checkerFor = func(_ context.Context, doc *load.Document) (proxy.Checker, error) {
		return checkerFunc(func(_ context.Context, ex drift.Exchange) []event.Event {
			return []event.Event{{Operation: ex.Method + " /pets/{id}", Rule: "judged-by-" + doc.APIVersion,
				Direction: event.Response, Status: ex.Status}}
		}), nil
	}
}

type runningProxy struct {
	stderr     *lockedBuffer
	addr       string
	cancel     context.CancelFunc
	code       chan int
	eventsPath string
}

var forwarding = regexp.MustCompile(`forwarding (127\.0\.0\.1:\d+) to`)

func runProxy(t *testing.T, args ...string) *runningProxy {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"id":"7"}`)
	}))
	t.Cleanup(up.Close)
	r := &runningProxy{stderr: &lockedBuffer{}, code: make(chan int, 1), eventsPath: filepath.Join(t.TempDir(), "out", "drift.jsonl")}
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: r.stderr}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	all := append([]string{"drift", "proxy", "--upstream", up.URL, "--listen", "127.0.0.1:0",
		"--admin-listen", "127.0.0.1:0", "--sample-rate", "1", "--tenant-header", "X-Tenant",
		"--events", r.eventsPath}, args...)
	go func() { r.code <- Run(ctx, all, ios) }()
	t.Cleanup(func() { graceOverride.Store(0) }) // runs last: the proxy has stopped
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.code:
		case <-time.After(20 * time.Second):
			t.Error("the proxy did not stop")
		}
	})
	require.Eventually(t, func() bool {
		m := forwarding.FindStringSubmatch(r.stderr.String())
		if m != nil {
			r.addr = m[1]
		}
		return m != nil || strings.Contains(r.stderr.String(), "relay: ")
	}, 20*time.Second, 2*time.Millisecond)
	require.NotEmpty(t, r.addr, r.stderr.String())
	return r
}

func (r *runningProxy) waitEvent(t *testing.T, rule string) {
	t.Helper()
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(r.eventsPath)
		return bytes.Contains(b, []byte(`"rule":"`+rule+`"`))
	}, 20*time.Second, 2*time.Millisecond, "no event with rule %s", rule)
}

func (r *runningProxy) get(t *testing.T) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+r.addr+"/pets/7", nil)
	require.NoError(t, err)
	req.Header.Set("X-Tenant", "acme")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	require.JSONEq(t, `{"id":"7"}`, string(body))
}

const petsContract = "openapi: 3.0.3\ninfo: {title: pets, version: %s}\npaths: {}\n"

func TestDriftProxyContractEndToEnd(t *testing.T) {
	fakeCheckerFor(t)
	dir := t.TempDir()
	contract := filepath.Join(dir, "api.yaml")
	require.NoError(t, os.WriteFile(contract, []byte(strings.Replace(petsContract, "%s", "1.0.0", 1)), 0o644))
	r := runProxy(t, "--contract", contract, "--function", "my-team/pets")
	r.get(t)
	r.waitEvent(t, "judged-by-1.0.0")
	b, err := os.ReadFile(r.eventsPath)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"function":"my-team/pets","tenant":"acme","operation":"GET /pets/{id}"`)
	r.cancel()
	assert.Equal(t, 0, <-r.code, "a graceful stop is a clean exit")
	assert.Contains(t, r.stderr.String(), "relay drift proxy: judging against "+contract+" now\n")
	assert.Contains(t, r.stderr.String(), "relay drift proxy: stopped\n")
	r.code <- 0 // for the cleanup
}

func TestDriftProxyFollowsApprovals(t *testing.T) {
	fakeCheckerFor(t)
	regDir := t.TempDir()
	store, err := filestore.Open(regDir, filestore.Options{})
	require.NoError(t, err)
	approve := func(v string) {
		ctx := context.Background()
		_, err := store.Publish(ctx, registry.PublishRequest{Function: "my-team/pets", Version: v, Kind: "openapi",
			Main: "api.yaml", Files: map[string][]byte{"api.yaml": []byte(strings.Replace(petsContract, "%s", v, 1))}, Author: "ann"})
		require.NoError(t, err)
		_, err = store.Apply(ctx, registry.Change{Function: "my-team/pets", Version: v, Actor: "bob", To: registry.Approved})
		require.NoError(t, err)
	}
	approve("1.2.0")
	r := runProxy(t, "--function", "my-team/pets", "--registry", regDir, "--poll-interval", "5ms")
	r.get(t)
	r.waitEvent(t, "judged-by-1.2.0")
	approve("1.3.0")
	require.Eventually(t, func() bool {
		return strings.Contains(r.stderr.String(), "relay drift proxy: judging against my-team/pets@1.3.0 now\n")
	}, 20*time.Second, 2*time.Millisecond)
	r.get(t)
	r.waitEvent(t, "judged-by-1.3.0")
}

func TestDriftProxyBadInputIsExitOne(t *testing.T) {
	fakeCheckerFor(t)
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = busy.Close() }()
	contract := filepath.Join(dir, "api.yaml")
	require.NoError(t, os.WriteFile(contract, []byte(strings.Replace(petsContract, "%s", "1.0.0", 1)), 0o644))
	emptyReg := filepath.Join(dir, "reg")
	require.NoError(t, os.Mkdir(emptyReg, 0o755))
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"missing contract": {[]string{"--contract", filepath.Join(dir, "nope.yaml")},
			"relay: the proxy's contract " + filepath.Join(dir, "nope.yaml") + " does not exist\n"},
		"busy port": {[]string{"--contract", contract, "--listen", busy.Addr().String()},
			"relay: cannot listen on --listen " + busy.Addr().String() + ": bind: address already in use\n"},
		"no approved version": {[]string{"--function", "my-team/pets", "--registry", emptyReg},
			"relay: my-team/pets has no approved version in the registry: publish and approve one (registry at " + emptyReg + ")\n"},
	} {
		t.Run(name, func(t *testing.T) {
			ios, _, out, errOut := testIO()
			args := append([]string{"drift", "proxy", "--upstream", "http://127.0.0.1:1", "--listen", "127.0.0.1:0",
				"--admin-listen", "127.0.0.1:0"}, tc.args...)
			assert.Equal(t, exitInput, Run(context.Background(), args, ios))
			assert.Equal(t, tc.want, errOut.String())
			assert.Empty(t, out.String())
		})
	}
}

// TestDriftProxyJudgesWithTheRealEngine: without a fake, the proxy judges
// traffic with drift.NewValidator. The upstream answers GET /pets/7 with a
// body the contract does not declare as it is sent (plain text, sniffed by
// Go), so the real engine reports undocumented-media-type, labelled with the
// function, whose fingerprint includes it.
func TestDriftProxyJudgesWithTheRealEngine(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "api.yaml")
	require.NoError(t, os.WriteFile(contract, []byte(`openapi: 3.0.3
info: {title: pets, version: 1.0.0}
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                properties: {id: {type: integer}}
`), 0o644))
	r := runProxy(t, "--contract", contract, "--function", "my-team/pets")
	r.get(t)
	r.waitEvent(t, "undocumented-media-type")
	b, err := os.ReadFile(r.eventsPath)
	require.NoError(t, err)
	line := strings.SplitN(strings.TrimSpace(string(b)), "\n", 2)[0]
	var e event.Event
	require.NoError(t, json.Unmarshal([]byte(line), &e))
	assert.Equal(t, "my-team/pets", e.Function)
	assert.Equal(t, "acme", e.Tenant)
	assert.Equal(t, "GET /pets/{id}", e.Operation)
	assert.Equal(t, event.Fingerprint(e), e.Fingerprint, "the fingerprint covers the function")
}
