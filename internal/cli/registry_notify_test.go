package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

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

// decideWithHook publishes a version into a fresh file store, then approves
// it through the CLI with the webhook pointed at a server answering
// statuses; it returns the server, the store and stderr.
func decideWithHook(t *testing.T, statuses ...int) (*hook, registry.Store, string) {
	t.Helper()
	h := &hook{statuses: statuses}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "registry")
	store, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	_, err = store.Publish(context.Background(), registrytest.Request("my-team/payments", "1.0.0", "ada", "v1"))
	require.NoError(t, err)
	t.Chdir(t.TempDir()) // no .relay.yaml on the way up
	ios, _, _, stderr := iostreams.Test()
	cmd := newCmdApprove(ios, func(o *ApproveOptions) error {
		o.NotifyBackoff, o.Registry = time.Millisecond, dir
		o.Getenv = func(k string) string {
			if k == NotifyEnv {
				return srv.URL + "/services/T0/B0/secret"
			}
			return os.Getenv(k)
		}
		return runApprove(o)
	})
	cmd.SetArgs([]string{"my-team/payments@1.0.0", "--reviewer", "bob", "--reason", "ok"})
	cmd.SetOut(io.Discard)
	require.NoError(t, cmd.Execute(), stderr.String())
	return h, store, stderr.String()
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
