package cli

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/registry"
)

// dialLog records every connection the webhook transport is about to make
// (after relay's own guard) and refuses all but loopback ones, so a test
// can never send traffic anywhere else, whatever relay does.
type dialLog struct {
	mu    sync.Mutex
	addrs []string
}

func (d *dialLog) observe(_, address string) error {
	d.mu.Lock()
	d.addrs = append(d.addrs, address)
	d.mu.Unlock()
	host, _, _ := net.SplitHostPort(address)
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return errors.New("the test refuses to dial " + address)
	}
	return nil
}

func (d *dialLog) dialled(prefix string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, a := range d.addrs {
		if strings.HasPrefix(a, prefix) {
			return true
		}
	}
	return false
}

// recordDials installs a dialLog for the test.
func recordDials(t *testing.T) *dialLog {
	t.Helper()
	d := &dialLog{}
	webhookDialObserver = d.observe
	t.Cleanup(func() { webhookDialObserver = nil })
	return d
}

// redirector answers every POST with a 307 to target, which re-sends the
// decision there if followed.
func redirector(t *testing.T, target string) (*hook, string) {
	t.Helper()
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/final" {
			h.ServeHTTP(w, r)
			return
		}
		h.mu.Lock()
		h.bodies = append(h.bodies, "redirected")
		h.mu.Unlock()
		to := target
		if to == "" {
			to = "/final"
		}
		http.Redirect(w, r, to, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	return h, srv.URL + "/services/T0/B0/secret"
}

func notifyFailures(t *testing.T, s registry.Store) []string {
	t.Helper()
	events, err := s.Audit(context.Background(), registry.AuditFilter{Action: registry.ActionNotifyFailed})
	require.NoError(t, err)
	var out []string
	for _, e := range events {
		out = append(out, e.Detail)
	}
	return out
}

// TestWebhookRefusesCrossHostRedirect: a 307 to another host (here another
// port on 127.0.0.1: relay compares scheme, host and port) would re-send
// the decision there; it is refused, not retried, reported and audited,
// and never announced as "notified".
func TestWebhookRefusesCrossHostRedirect(t *testing.T) {
	dials := recordDials(t)
	elsewhere, elsewhereURL := serveHook(t)
	first, url := redirector(t, elsewhereURL)
	a := approve(t, "", url)
	require.Equal(t, 0, a.code, a.stderr)
	assert.Empty(t, elsewhere.bodies, "the decision reached the other host")
	assert.Len(t, first.bodies, 1, "a refused redirect is final, not retried")
	assert.NotContains(t, a.stderr, "notified the webhook")
	assert.Contains(t, a.stderr, "is approved, but the notification failed: webhook delivery to http://127.0.0.1:")
	assert.Contains(t, a.stderr, "the webhook redirected to another host (http://127.0.0.1:")
	fails := notifyFailures(t, a.store)
	require.Len(t, fails, 1)
	assert.Contains(t, fails[0], "redirected to another host")
	assert.NotContains(t, fails[0]+a.stderr, "secret")
	assert.True(t, dials.dialled("127.0.0.1:"))
}

// TestWebhookFollowsSameHostRedirect: a redirect within the webhook's own
// scheme, host and port is followed and the decision delivered.
func TestWebhookFollowsSameHostRedirect(t *testing.T) {
	recordDials(t)
	h, url := redirector(t, "")
	a := approve(t, "", url)
	require.Equal(t, 0, a.code, a.stderr)
	assert.Equal(t, []string{"redirected"}, h.bodies[:1])
	require.Len(t, h.bodies, 2)
	assert.Contains(t, h.bodies[1], "was approved by bob")
	assert.Contains(t, a.stderr, "notified the webhook")
	assert.Empty(t, notifyFailures(t, a.store))
}

// TestWebhookNeverDialsMetadataAddress: a redirect to 169.254.169.254
// (the cloud metadata service) is refused before any connection is
// attempted there.
func TestWebhookNeverDialsMetadataAddress(t *testing.T) {
	dials := recordDials(t)
	_, url := redirector(t, "http://169.254.169.254/latest/meta-data/")
	a := approve(t, "", url)
	require.Equal(t, 0, a.code, a.stderr)
	assert.False(t, dials.dialled("169.254."), "dialled %v", dials.addrs)
	assert.Contains(t, a.stderr, "the notification failed")
	assert.NotContains(t, a.stderr, "notified the webhook")
}

// TestWebhookLinkLocalNeedsConfig: a webhook whose host is a link-local
// address is refused before the decision unless .relay.yaml allows it; a
// name that resolves to one is refused at the dial, before connecting.
func TestWebhookLinkLocalNeedsConfig(t *testing.T) {
	dials := recordDials(t)
	a := approve(t, "", "http://169.254.169.254/latest/meta-data/")
	assert.Equal(t, exitInput, a.code, a.stderr)
	assert.Contains(t, a.stderr, "relay: $"+NotifyEnv+": the webhook's host 169.254.169.254 is a link-local address, "+
		"where cloud metadata services answer; set notify.allow-link-local: true in .relay.yaml to allow it; nothing was recorded")
	assert.Equal(t, []string{"publish 1.0.0"}, a.trail(t))

	a = approve(t, "notify: {webhook: \"http://[fe80::1]:8080/x\"}\n", "")
	assert.Equal(t, exitInput, a.code, a.stderr)
	// Messages escape "::" so that no text can form a CI workflow command.
	assert.Contains(t, a.stderr, `the webhook's host fe80:\u003a1 is a link-local address`)
	assert.False(t, dials.dialled("169.254.") || dials.dialled("[fe80"), "dialled %v", dials.addrs)

	// Allowed: the connection is attempted (and refused by the test's
	// observer, so nothing is sent).
	a = approve(t, "notify: {webhook: \"http://169.254.169.254/latest\", allow-link-local: true}\n", "")
	require.Equal(t, 0, a.code, a.stderr)
	assert.True(t, dials.dialled("169.254.169.254:80"), "dialled %v", dials.addrs)
}

// TestDialGuardRefusesResolvedLinkLocal: the guard judges the address a
// name resolved to, which is what the dialer hands it.
func TestDialGuardRefusesResolvedLinkLocal(t *testing.T) {
	for _, addr := range []string{"169.254.169.254:80", "[fe80::1]:443", "[::ffff:169.254.169.254]:80", "0.0.0.0:80",
		"[fd00:ec2::254]:80", "100.100.100.200:80"} {
		err := guardWebhookDial(false)("tcp", addr, nil)
		assert.ErrorContains(t, err, "link-local", addr)
	}
	for _, addr := range []string{"127.0.0.1:80", "10.0.0.1:443", "[::1]:80", "93.184.216.34:443"} {
		assert.NoError(t, guardWebhookDial(false)("tcp", addr, nil), addr)
	}
	assert.NoError(t, guardWebhookDial(true)("tcp", "169.254.169.254:80", nil))
}

// TestWebhookTransportGuardsEveryDial: the guard is wired into the
// transport itself, so a URL that skipped the settings check (or a name
// resolving to a link-local address) is refused before connecting, and
// the refusal is final.
func TestWebhookTransportGuardsEveryDial(t *testing.T) {
	dials := recordDials(t)
	_, _, err := postWebhook(context.Background(), "http://169.254.169.254/latest/meta-data/", "application/json", []byte("{}"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused to connect to 169.254.169.254:80: a link-local or cloud metadata address")
	assert.False(t, dials.dialled("169.254."), "dialled %v", dials.addrs)
}
