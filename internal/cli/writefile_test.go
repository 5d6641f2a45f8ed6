package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symbolic link is written through: the file it points to gets the
// report and the link stays a link.
func TestWriteReportFileFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "reports", "2026-12-03.json")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink(filepath.Join("reports", "2026-12-03.json"), link); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	if err := writeReportFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	assertSymlink(t, link)
	if b, err := os.ReadFile(target); err != nil || string(b) != "new" {
		t.Errorf("target holds %q, %v; want %q", b, err, "new")
	}
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// A dangling link creates the file it names, as a shell redirection does.
func TestWriteReportFileDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink("today.json", link); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	if err := writeReportFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	assertSymlink(t, link)
	if b, err := os.ReadFile(filepath.Join(dir, "today.json")); err != nil || string(b) != "new" {
		t.Errorf("target holds %q, %v; want %q", b, err, "new")
	}
}

// A loop of links is an error naming the path, not a hang.
func TestWriteReportFileSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink("b", a); err != nil {
		t.Skipf("cannot make a symbolic link here: %v", err)
	}
	if err := os.Symlink("a", b); err != nil {
		t.Fatal(err)
	}
	if err := writeReportFile(a, []byte("x")); err == nil {
		t.Fatal("writing through a loop of links succeeded")
	}
	assertSymlink(t, a)
}

func assertSymlink(t *testing.T, p string) {
	t.Helper()
	info, err := os.Lstat(p)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (%v, %v)", p, info, err)
	}
}

// fakeMode is a FileInfo that reports another mode: a regular file
// standing in for a character device such as /dev/null, which a test
// cannot create and must never risk replacing.
type fakeMode struct {
	fs.FileInfo
	mode fs.FileMode
}

func (f fakeMode) Mode() fs.FileMode { return f.mode }

// A character device is written in place: the same file before and after,
// never a new regular file renamed over it.
func TestWriteReportFileDeviceInPlace(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "null")
	if err := os.WriteFile(dev, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(dev)
	lstat := lstatFile
	t.Cleanup(func() { lstatFile = lstat })
	lstatFile = func(p string) (fs.FileInfo, error) {
		info, err := lstat(p)
		if p == dev && err == nil {
			return fakeMode{info, fs.ModeDevice | fs.ModeCharDevice | 0o666}, nil
		}
		return info, err
	}
	if err := writeReportFile(dev, []byte("report")); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(dev)
	if err != nil || !os.SameFile(before, after) {
		t.Fatalf("the device was replaced by another file (%v)", err)
	}
	if b, _ := os.ReadFile(dev); !strings.HasPrefix(string(b), "report") {
		t.Errorf("device holds %q, want the report written into it", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// The real /dev/null is checked read-only: the mode relay decides from.
func TestWriteModeOfDevNull(t *testing.T) {
	info, err := os.Lstat(os.DevNull)
	if err != nil || info.Mode().IsRegular() {
		t.Skipf("%s is not a device here", os.DevNull)
	}
	if writeModeOf(info) != writeInPlace {
		t.Errorf("%s would be replaced, not written in place", os.DevNull)
	}
}

// Replacing a report keeps the permissions its owner gave it: a report
// made private stays private.
func TestWriteReportFileKeepsMode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeReportFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want the file's own 0600 kept", info.Mode().Perm(), err)
	}
}
