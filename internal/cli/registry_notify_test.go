package cli

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// hook is a real webhook receiver on 127.0.0.1 that answers the given
// status codes in turn (then 200s).
type hook struct {
	mu       sync.Mutex
	statuses []int
	bodies   []string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.bodies = append(h.bodies, string(b))
	code := http.StatusOK
	if n := len(h.bodies) - 1; n < len(h.statuses) {
		code = h.statuses[n]
	}
	w.WriteHeader(code)
}

// approval is one `relay contract approve my-team/payments@1.0.0` run
// against a fresh file store where ada published that version.
type approval struct {
	store  registry.Store
	code   int
	stderr string
}

// approve runs the approval in a directory whose .relay.yaml is relayYAML
// (none when empty), with $RELAY_NOTIFY_WEBHOOK set to envHook.
func approve(t *testing.T, relayYAML, envHook string) approval {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "registry")
	store, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	_, err = store.Publish(context.Background(), registrytest.Request("my-team/payments", "1.0.0", "ada", "v1"))
	require.NoError(t, err)
	wd := t.TempDir()
	t.Chdir(wd) // no .relay.yaml on the way up but this one
	if relayYAML != "" {
		require.NoError(t, os.WriteFile(filepath.Join(wd, ".relay.yaml"), []byte(relayYAML), 0o600))
	}
	ios, _, _, stderr := iostreams.Test()
	cmd := newCmdApprove(ios, func(o *ApproveOptions) error {
		o.NotifyBackoff, o.Registry = time.Millisecond, dir
		o.Getenv = func(k string) string {
			if k == NotifyEnv {
				return envHook
			}
			return os.Getenv(k)
		}
		return runApprove(context.Background(), o)
	})
	code := execute(context.Background(), func() *cobra.Command { return rootWith(ios, cmd) },
		[]string{"approve", "my-team/payments@1.0.0", "--reviewer", "bob", "--reason", "ok"}, ios)
	return approval{store: store, code: code, stderr: stderr.String()}
}

// trail is the audit trail as "action version" lines.
func (a approval) trail(t *testing.T) []string {
	t.Helper()
	events, err := a.store.Audit(context.Background(), registry.AuditFilter{})
	require.NoError(t, err)
	require.NoError(t, a.store.VerifyAudit(context.Background()))
	var out []string
	for _, e := range events {
		out = append(out, string(e.Action)+" "+e.Version)
	}
	return out
}

// serveHook starts a webhook receiver answering statuses (then 200s).
func serveHook(t *testing.T, statuses ...int) (*hook, string) {
	t.Helper()
	h := &hook{statuses: statuses}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv.URL + "/services/T0/B0/secret"
}

// decideWithHook approves with the webhook pointed at a server answering
// statuses; it returns the server, the store and stderr.
func decideWithHook(t *testing.T, statuses ...int) (*hook, registry.Store, string) {
	t.Helper()
	h, url := serveHook(t, statuses...)
	a := approve(t, "", url)
	require.Equal(t, 0, a.code, a.stderr)
	return h, a.store, a.stderr
}

func TestApprovalNotifiesAfterRetries(t *testing.T) {
	h, store, stderr := decideWithHook(t, 503, 502)
	require.Len(t, h.bodies, 3, "two failures, then delivered")
	var msg map[string]string
	require.NoError(t, json.Unmarshal([]byte(h.bodies[2]), &msg))
	assert.Equal(t, "Contract my-team/payments@1.0.0 was approved by bob: ok", msg["text"])
	assert.Contains(t, stderr, "notified the webhook of my-team/payments@1.0.0")
	events, err := store.Audit(context.Background(), registry.AuditFilter{Action: registry.ActionNotifyFailed})
	require.NoError(t, err)
	assert.Empty(t, events)
}

func TestFailedNotificationKeepsTheApprovalAndIsAudited(t *testing.T) {
	h, store, stderr := decideWithHook(t, 500, 500, 500, 500, 500)
	assert.Len(t, h.bodies, 4, "bounded attempts")
	v, err := store.Active(context.Background(), "my-team/payments")
	require.NoError(t, err, "the approval stands")
	assert.Equal(t, registry.Approved, v.Status)
	assert.Contains(t, stderr, "is approved, but the notification failed")
	assert.NotContains(t, stderr, "secret", "webhook URLs are credentials")
	events, err := store.Audit(context.Background(), registry.AuditFilter{Action: registry.ActionNotifyFailed})
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, "1.0.0", events[0].Version)
	assert.Contains(t, events[0].Detail, "500 Internal Server Error")
	assert.NotContains(t, events[0].Detail, "secret")
	require.NoError(t, store.VerifyAudit(context.Background()))
}

// The regression tests for notify-failed: a delivery that really fails is
// recorded after the decision; a configuration problem stops the command
// before anything is written and is never recorded as a failed delivery.

func TestUnreachableWebhookIsAuditedAfterTheApproval(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/services/T0/B0/secret"
	srv.Close() // nothing listens there now
	a := approve(t, "notify: {webhook: \""+url+"\"}\n", "")
	require.Equal(t, 0, a.code, "a failed delivery never changes the exit code: %s", a.stderr)
	assert.Equal(t, []string{"publish 1.0.0", "approve 1.0.0", "notify-failed 1.0.0"}, a.trail(t))
	events, err := a.store.Audit(context.Background(), registry.AuditFilter{Action: registry.ActionNotifyFailed})
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Contains(t, events[0].Detail, "connection refused")
	assert.NotContains(t, events[0].Detail+a.stderr, "secret", "webhook URLs are credentials")
	assert.Contains(t, a.stderr, "is approved, but the notification failed")
}

func TestBrokenConfigStopsTheDecisionWithNothingWritten(t *testing.T) {
	h, url := serveHook(t)
	for name, cfg := range map[string]string{
		"invalid YAML":             "notify: {webhook: \"" + url + "\"}\nignore: [\n",
		"a bad setting elsewhere":  "notify: {webhook: \"" + url + "\"}\nfail-on: sometimes\n",
		"a webhook without a host": "notify: {webhook: \"http://\"}\n",
	} {
		t.Run(name, func(t *testing.T) {
			a := approve(t, cfg, "")
			assert.Equal(t, exitInput, a.code, a.stderr)
			assert.Contains(t, a.stderr, ".relay.yaml:")
			assert.Contains(t, a.stderr, "relay: ")
			assert.NotContains(t, a.stderr, "notification failed")
			assert.Equal(t, []string{"publish 1.0.0"}, a.trail(t), "nothing written")
			v, err := a.store.Get(context.Background(), "my-team/payments", "1.0.0")
			require.NoError(t, err)
			assert.Equal(t, registry.Pending, v.Status)
		})
	}
	assert.Empty(t, h.bodies, "nothing was announced")
}

func TestBadWebhookURLInTheEnvironmentStopsTheDecision(t *testing.T) {
	a := approve(t, "", "hooks.example/services/T0/B0/secret")
	assert.Equal(t, exitInput, a.code, a.stderr)
	assert.Contains(t, a.stderr, "$"+NotifyEnv+": the webhook must be an http(s) URL with a host; nothing was recorded")
	assert.NotContains(t, a.stderr, "secret")
	assert.Equal(t, []string{"publish 1.0.0"}, a.trail(t))
}

// TestConfigProblemIsNeverANotifyFailure is the reported bug: a typo in an
// ignore rule ID made approve print "notification failed" and append
// notify-failed after committing the approval. config no longer checks
// rule IDs (the diff pipeline does), and approve resolves the webhook
// before it writes.
func TestConfigProblemIsNeverANotifyFailure(t *testing.T) {
	h, url := serveHook(t)
	// A typo in a diff-policy entry is none of approve's business: the
	// decision is recorded and announced, and the trail says nothing else.
	a := approve(t, "ignore:\n  - rule: response-property-remved\n    reason: typo\n", url)
	assert.NotContains(t, a.stderr, "notification failed")
	require.Equal(t, 0, a.code, a.stderr)
	assert.Equal(t, []string{"publish 1.0.0", "approve 1.0.0"}, a.trail(t))
	assert.Len(t, h.bodies, 1)
	// Without a webhook at all, the same file announces nothing and
	// records nothing but the approval.
	b := approve(t, "ignore:\n  - rule: response-property-remved\n    reason: typo\n", "")
	assert.NotContains(t, b.stderr, "notification failed")
	require.Equal(t, 0, b.code, b.stderr)
	assert.Equal(t, []string{"publish 1.0.0", "approve 1.0.0"}, b.trail(t))
}

// diskFullStore commits like the store it wraps, then fails the way the
// file store does when rewriting version.json finds the disk full.
type diskFullStore struct{ registry.Store }

func (s diskFullStore) Apply(ctx context.Context, c registry.Change) (registry.Version, error) {
	v, err := s.Store.Apply(ctx, c)
	if err != nil {
		return v, err
	}
	return v, registry.AfterCommit(errors.New(v.Ref() + " is approved in the audit log, but updating its files failed: no space left on device"))
}

// approveOnFullDisk approves through a store that fails after its commit.
func approveOnFullDisk(t *testing.T, webhook string) approval {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "registry")
	store, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	_, err = store.Publish(context.Background(), registrytest.Request("my-team/payments", "1.0.0", "ada", "v1"))
	require.NoError(t, err)
	t.Chdir(t.TempDir())
	ios, _, _, stderr := iostreams.Test()
	cmd := newCmdApprove(ios, func(o *ApproveOptions) error {
		o.NotifyBackoff = time.Millisecond
		o.openStore = func(context.Context) (registry.Store, error) { return diskFullStore{store}, nil }
		o.Getenv = func(k string) string {
			if k == NotifyEnv {
				return webhook
			}
			return ""
		}
		return runApprove(context.Background(), o)
	})
	code := execute(context.Background(), func() *cobra.Command { return rootWith(ios, cmd) },
		[]string{"approve", "my-team/payments@1.0.0", "--reviewer", "bob", "--reason", "ok"}, ios)
	return approval{store: store, code: code, stderr: stderr.String()}
}

// TestApprovalOnAFullDiskIsStillAnnounced: the approval was committed, so
// the webhook hears of it (or notify-failed is recorded) before the failure
// is reported with exit 1.
func TestApprovalOnAFullDiskIsStillAnnounced(t *testing.T) {
	h, url := serveHook(t)
	a := approveOnFullDisk(t, url)
	assert.Equal(t, exitInput, a.code, a.stderr)
	assert.Contains(t, a.stderr, "my-team/payments@1.0.0 is approved by bob\n")
	assert.Contains(t, a.stderr, "notified the webhook of my-team/payments@1.0.0")
	assert.Contains(t, a.stderr, "relay: my-team/payments@1.0.0 is approved in the audit log, but updating its files failed: no space left on device\n")
	assert.Len(t, h.bodies, 1)

	_, failing := serveHook(t, 500, 500, 500, 500)
	b := approveOnFullDisk(t, failing)
	assert.Equal(t, exitInput, b.code, b.stderr)
	assert.Contains(t, b.stderr, "is approved, but the notification failed")
	assert.Equal(t, []string{"publish 1.0.0", "approve 1.0.0", "notify-failed 1.0.0"}, b.trail(t))
}
