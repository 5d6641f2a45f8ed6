package filestore_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestConformance runs the shared suite against the file store.
func TestConformance(t *testing.T) {
	registrytest.Run(t, registrytest.Harness{
		New: func(t *testing.T, clock func() time.Time) registry.Store {
			return open(t, filepath.Join(t.TempDir(), "registry"), clock)
		},
		TamperAudit:      tamperAudit,
		TamperContent:    tamperContent,
		ContradictActive: contradictActive,
	})
}

func open(t *testing.T, dir string, clock func() time.Time) *filestore.Store {
	t.Helper()
	s, err := filestore.Open(dir, filestore.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dirOf(t *testing.T, s registry.Store) string {
	t.Helper()
	fs, ok := s.(*filestore.Store)
	if !ok {
		t.Fatalf("not a file store: %T", s)
	}
	return fs.Dir()
}

// tamperAudit rewrites the actor of the second event, leaving its hash.
func tamperAudit(t *testing.T, s registry.Store) {
	t.Helper()
	name := filepath.Join(dirOf(t, s), "my-team", "payments", "audit.jsonl")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[1] = bytes.Replace(lines[1], []byte(`"actor":"reviewer"`), []byte(`"actor":"mallory"`), 1)
	if err := os.WriteFile(name, bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func tamperContent(t *testing.T, s registry.Store, function, version string) {
	t.Helper()
	name := filepath.Join(dirOf(t, s), function, version, "paths", "pets.yaml")
	if err := os.WriteFile(name, []byte("get: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// contradictActive keeps active.json's sequence number but names another
// version, as a hand edit would.
func contradictActive(t *testing.T, s registry.Store, function, version string) {
	t.Helper()
	name := filepath.Join(dirOf(t, s), function, "active.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]any
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	p["version"] = version
	out, _ := json.Marshal(p)
	if err := os.WriteFile(name, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
