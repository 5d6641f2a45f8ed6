package filestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestLayout pins the on-disk format: the tree, version.json and
// active.json, byte for byte. These files are read in code review and by
// other tools, so a change here must be deliberate.
func TestLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	s := open(t, dir, registrytest.NewClock().Now)
	defer s.Close()
	ctx := context.Background()
	req := registrytest.Request(fnPay, "1.0.0", "alice", "one")
	req.Diff = &registry.DiffSummary{Base: "0.9.0", Verdict: "non-breaking", NonBreaking: 1}
	ok(t)(s.Publish(ctx, req))
	before := snapshotFiles(t, filepath.Join(dir, fnPay, "1.0.0"))
	ok(t)(s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", Reason: "looks <good> & fine", To: registry.Approved}))

	wantTree := []string{
		".gitattributes", ".gitignore",
		"my-team/payments/.lock", "my-team/payments/1.0.0/api.yaml",
		"my-team/payments/1.0.0/paths/pets.yaml", "my-team/payments/1.0.0/schemas/empty.json",
		"my-team/payments/1.0.0/version.json", "my-team/payments/active.json", "my-team/payments/audit.jsonl",
	}
	if got := tree(t, dir); !slices.Equal(got, wantTree) {
		t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantTree, "\n"))
	}
	sum := registry.BundleSHA256(req.Files)
	wantMeta := `{
  "function": "my-team/payments",
  "version": "1.0.0",
  "kind": "openapi",
  "main": "api.yaml",
  "sha256": "` + sum + `",
  "files": [
    {
      "path": "api.yaml",
      "sha256": "` + registry.FileSHA256(req.Files["api.yaml"]) + `",
      "size": 90
    },
    {
      "path": "paths/pets.yaml",
      "sha256": "` + registry.FileSHA256(req.Files["paths/pets.yaml"]) + `",
      "size": 47
    },
    {
      "path": "schemas/empty.json",
      "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "size": 0
    }
  ],
  "author": "alice",
  "createdAt": "2026-01-02T03:04:05Z",
  "diff": {
    "base": "0.9.0",
    "verdict": "non-breaking",
    "breaking": 0,
    "warning": 0,
    "nonBreaking": 1,
    "info": 0
  },
  "status": "approved",
  "reviewer": "bob",
  "reason": "looks <good> & fine",
  "decidedAt": "2026-01-02T03:04:06Z"
}
`
	checkFile(t, filepath.Join(dir, fnPay, "1.0.0", "version.json"), wantMeta)
	checkFile(t, filepath.Join(dir, fnPay, "active.json"), "{\n  \"function\": \"my-team/payments\",\n  \"version\": \"1.0.0\",\n  \"seq\": 2\n}\n")
	checkFile(t, filepath.Join(dir, ".gitattributes"), "# relay contract registry: stored bytes are never converted, and audit logs merge with\n"+
		"#   git config merge.relay-audit.driver \"relay registry merge-driver %O %A %B %P\"\n* -text\naudit.jsonl merge=relay-audit\n")
	checkFile(t, filepath.Join(dir, ".gitignore"), "# relay contract registry: lock and temporary files are not part of the record.\n.audit.lock\n.lock\n.tmp-*\n")
	after := snapshotFiles(t, filepath.Join(dir, fnPay, "1.0.0"))
	delete(before, "version.json")
	delete(after, "version.json")
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed when the status did", p)
		}
	}
	checkAuditLines(t, dir, sum)
}

// checkAuditLines pins the function's audit.jsonl: one compact JSON object
// per line.
func checkAuditLines(t *testing.T, dir, sum string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, fnPay, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("audit.jsonl has %d lines, want 2", len(lines))
	}
	prefix := `{"seq":1,"time":"2026-01-02T03:04:05Z","actor":"alice","action":"publish","function":"my-team/payments","version":"1.0.0","detail":"` +
		sum + `","prevHash":"` + registry.GenesisHash + `","hash":"`
	if !strings.HasPrefix(lines[0], prefix) {
		t.Errorf("first audit line:\n%s\nwant prefix:\n%s", lines[0], prefix)
	}
}

func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func snapshotFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range tree(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(filepath.Join(dir, p))
		out[p] = string(b) + "|" + info.ModTime().String()
	}
	return out
}

func checkFile(t *testing.T, name, want string) {
	t.Helper()
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestReadsCreateNothing: reading, and failing to change, a registry that
// does not exist leaves no directory behind.
func TestReadsCreateNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	s := open(t, dir, nil)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.List(ctx, fnPay); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("List: %v", err)
	}
	if _, err := s.Apply(ctx, registry.Change{Function: fnPay, Version: "1.0.0", Actor: "bob", To: registry.Approved}); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("Approve: %v", err)
	}
	if err := s.VerifyAudit(ctx); err != nil {
		t.Errorf("VerifyAudit: %v", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the registry directory was created: %v", err)
	}
}

// TestSymlinkCannotEscape: a contract file replaced by a symlink that
// leads outside the registry is refused, not followed.
func TestSymlinkCannotEscape(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "registry")
	seed(t, dir, false)
	outside := filepath.Join(t.TempDir(), "secret.yaml")
	if err := os.WriteFile(outside, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, fnPay, "1.0.0", "api.yaml")
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, target); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir, nil)
	defer s.Close()
	_, err := s.Get(context.Background(), fnPay, "1.0.0")
	if !errors.Is(err, registry.ErrTampered) || !strings.Contains(err.Error(), "api.yaml") {
		t.Errorf("Get through an escaping symlink: %v", err)
	}
}
