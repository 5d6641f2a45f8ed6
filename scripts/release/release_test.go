package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// platforms are the six targets `make release` promises.
var platforms = []string{"darwin_amd64", "darwin_arm64", "linux_amd64", "linux_arm64", "windows_amd64", "windows_arm64"}

// TestPack: each platform directory becomes one archive (zip for
// Windows) with its files under the directory's name and the binary
// executable; SHA256SUMS verifies; the same input gives the same bytes.
func TestPack(t *testing.T) {
	build := func() string {
		dist := t.TempDir()
		for _, p := range []string{"linux_amd64", "windows_arm64"} {
			dir := filepath.Join(dist, "relay_v1.2.3_"+p)
			require.NoError(t, os.MkdirAll(dir, 0o755))
			bin := "relay"
			if strings.HasPrefix(p, "windows") {
				bin = "relay.exe"
			}
			require.NoError(t, os.WriteFile(filepath.Join(dir, bin), []byte("binary for "+p), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# relay\n"), 0o644))
		}
		require.NoError(t, run(dist))
		return dist
	}
	dist := build()
	names := listDir(t, dist)
	assert.Equal(t, []string{"SHA256SUMS", "relay_v1.2.3_linux_amd64.tar.gz", "relay_v1.2.3_windows_arm64.zip"}, names)
	verifySums(t, dist, 2)

	tarFiles := readTarGz(t, filepath.Join(dist, "relay_v1.2.3_linux_amd64.tar.gz"))
	assert.Equal(t, "binary for linux_amd64", tarFiles["relay_v1.2.3_linux_amd64/relay"].data)
	assert.Equal(t, int64(0o755), tarFiles["relay_v1.2.3_linux_amd64/relay"].mode)
	assert.Equal(t, int64(0o644), tarFiles["relay_v1.2.3_linux_amd64/README.md"].mode)
	zipFiles := readZip(t, filepath.Join(dist, "relay_v1.2.3_windows_arm64.zip"))
	assert.Equal(t, "binary for windows_arm64", zipFiles["relay_v1.2.3_windows_arm64/relay.exe"])
	assert.Contains(t, zipFiles, "relay_v1.2.3_windows_arm64/README.md")

	again := build()
	for _, n := range names {
		a, err := os.ReadFile(filepath.Join(dist, n))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(again, n))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs on the same input", n)
	}

	assert.ErrorContains(t, run(t.TempDir()), "no relay_* directories")
}

// TestMakeRelease runs the real `make release` into a temporary directory:
// six archives and a SHA256SUMS that verifies. Cross-compiling six
// binaries takes minutes, so it runs only with RELAY_TEST_RELEASE=1
// (`make release-check`), never with -short.
func TestMakeRelease(t *testing.T) {
	if testing.Short() || os.Getenv("RELAY_TEST_RELEASE") != "1" {
		t.Skip("cross-compiles six binaries; run it with make release-check (RELAY_TEST_RELEASE=1)")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	dist := t.TempDir()
	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-30*time.Second))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "make", "-C", root, "release", "DIST="+dist, "VERSION=v0.0.0-test", "COMMIT=0123456789abcdef")
	ownGroup(cmd)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)

	var want []string
	for _, p := range platforms {
		ext := ".tar.gz"
		if strings.HasPrefix(p, "windows") {
			ext = ".zip"
		}
		want = append(want, "relay_v0.0.0-test_"+p+ext)
	}
	want = append(want, "SHA256SUMS")
	sort.Strings(want)
	assert.Equal(t, want, listDir(t, dist))
	verifySums(t, dist, 6)
	if sha, err := exec.LookPath("sha256sum"); err == nil {
		check := exec.Command(sha, "-c", "SHA256SUMS")
		check.Dir = dist
		out, err := check.CombinedOutput()
		assert.NoError(t, err, "sha256sum -c: %s", out)
	}

	// The binary for this machine runs and knows its version and commit.
	host := runtime.GOOS + "_" + runtime.GOARCH
	if host != "linux_amd64" && host != "linux_arm64" && host != "darwin_amd64" && host != "darwin_arm64" {
		return
	}
	name := "relay_v0.0.0-test_" + host
	files := readTarGz(t, filepath.Join(dist, name+".tar.gz"))
	bin := filepath.Join(t.TempDir(), "relay")
	require.NoError(t, os.WriteFile(bin, []byte(files[name+"/relay"].data), 0o755))
	got, err := exec.Command(bin, "--version").Output()
	require.NoError(t, err)
	assert.Equal(t, "relay v0.0.0-test (commit 0123456789ab)\n", string(got))
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// verifySums recomputes every archive's digest against SHA256SUMS.
func verifySums(t *testing.T, dist string, n int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, n)
	names := make([]string, len(lines))
	for i, line := range lines {
		_, names[i], _ = strings.Cut(line, "  ")
	}
	assert.True(t, sort.StringsAreSorted(names), "SHA256SUMS is in archive-name order: %v", names)
	for _, line := range lines {
		sum, name, ok := strings.Cut(line, "  ")
		require.True(t, ok, "line %q is not in sha256sum format", line)
		got, err := fileSHA256(filepath.Join(dist, name))
		require.NoError(t, err)
		assert.Equal(t, got, sum, name)
	}
}

type tarEntry struct {
	data string
	mode int64
}

func readTarGz(t *testing.T, p string) map[string]tarEntry {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer func() { _ = f.Close() }()
	gz, err := gzip.NewReader(f)
	require.NoError(t, err)
	tr := tar.NewReader(gz)
	out := map[string]tarEntry{}
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		require.NoError(t, err)
		data, err := io.ReadAll(tr)
		require.NoError(t, err)
		out[hdr.Name] = tarEntry{data: string(data), mode: hdr.Mode}
	}
}

func readZip(t *testing.T, p string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(p)
	require.NoError(t, err)
	defer func() { _ = zr.Close() }()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		_ = rc.Close()
		out[f.Name] = string(data)
	}
	return out
}
