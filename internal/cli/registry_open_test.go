package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/registry/filestore"
)

// TestOpenRegistryBySchemes checks that the URL scheme alone picks the
// backend: the PostgreSQL cases must fail inside pgstore (nothing listens
// on port 1), not as an unknown scheme.
func TestOpenRegistryBySchemes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, loc := range []string{filepath.Join(dir, "plain"), "file://" + filepath.Join(dir, "url")} {
		s, err := openRegistry(ctx, loc, nil)
		if err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		if _, ok := s.(*filestore.Store); !ok {
			t.Errorf("%s opened a %T, want the file store", loc, s)
		}
		_ = s.Close()
	}
	for _, loc := range []string{"postgres://relay:pw@127.0.0.1:1/db?connect_timeout=5", "postgresql://relay@127.0.0.1:1/db?connect_timeout=5"} {
		_, err := openRegistry(ctx, loc, nil)
		if err == nil || !strings.Contains(err.Error(), "cannot connect to the registry database") {
			t.Errorf("%s: %v, want pgstore's connection error", loc, err)
		}
	}
	_, err := openRegistry(ctx, "mysql://relay:hunter2@127.0.0.1/db", nil)
	if err == nil || !strings.Contains(err.Error(), `unknown registry URL scheme "mysql"`) || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("unknown scheme: %v", err)
	}
}
