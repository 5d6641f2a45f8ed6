package filestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestApplyFailsAfterCommit: when rewriting version.json fails after the
// approval was committed (a full disk), Apply still returns the approved
// version, with an ErrAfterCommit error saying so; the next write repairs
// the file.
func TestApplyFailsAfterCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.0.0", "alice", "1.0.0")))
	meta := filepath.Join(dir, fnPay, "1.0.0", "version.json")
	saved, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	// Replace version.json by a directory once the event is committed, so
	// that reading and rewriting it fails as an I/O error would.
	filestore.SetTestHook(func(stage string) {
		if stage == "status-committed" {
			_ = os.Remove(meta)
			_ = os.Mkdir(meta, 0o755)
		}
	})
	v, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: "ok", To: registry.Approved})
	filestore.SetTestHook(nil)
	if !errors.Is(err, registry.ErrAfterCommit) || !strings.Contains(err.Error(), "my-team/payments@1.0.0 is approved in the audit log, but updating its files failed") {
		t.Fatalf("Apply with a failing version.json write: %v; want ErrAfterCommit", err)
	}
	if v.Version != "1.0.0" || v.Status != registry.Approved || v.Reviewer != "bob" {
		t.Errorf("Apply returned %+v; want the committed approval", v)
	}
	if err := os.Remove(meta); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(meta, saved, 0o644); err != nil {
		t.Fatal(err)
	}
	ok(t)(s.Publish(ctx, registrytest.Request(fnPay, "1.1.0", "alice", "1.1.0")))
	checkMetaStatus(t, dir, "1.0.0", registry.Approved)
}
