// Command release packs the binaries `make release` cross-compiled into
// archives and writes SHA256SUMS, with the standard library only, so a
// release needs nothing but Go and make.
//
// Usage: go run ./scripts/release DIST
//
// Each directory DIST/relay_VERSION_OS_ARCH (holding relay or relay.exe,
// README.md…) becomes DIST/relay_VERSION_OS_ARCH.tar.gz, or .zip for
// Windows, and is removed. DIST/SHA256SUMS lists every archive in the
// format `sha256sum -c` checks. Archives are reproducible: entries are
// sorted and carry a fixed time, so the same binaries give the same bytes.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// epoch is every entry's modification time (reproducible archives).
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/release DIST")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

// run archives every relay_* directory of dist and writes SHA256SUMS.
func run(dist string) error {
	entries, err := os.ReadDir(dist)
	if err != nil {
		return err
	}
	var sums []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), "relay_") {
			continue
		}
		name, err := pack(dist, e.Name())
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		sum, err := fileSHA256(filepath.Join(dist, name))
		if err != nil {
			return err
		}
		sums = append(sums, sum+"  "+name+"\n")
	}
	if len(sums) == 0 {
		return fmt.Errorf("no relay_* directories in %s: run make release", dist)
	}
	// ReadDir sorts by name: the list is in archive-name order.
	return os.WriteFile(filepath.Join(dist, "SHA256SUMS"), []byte(strings.Join(sums, "")), 0o644)
}

// pack archives dist/dir into its archive and removes the directory.
func pack(dist, dir string) (string, error) {
	files, err := os.ReadDir(filepath.Join(dist, dir))
	if err != nil {
		return "", err
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, f.Name())
	}
	slices.Sort(names)
	archive, write := dir+".tar.gz", writeTarGz
	if strings.Contains(dir, "_windows_") {
		archive, write = dir+".zip", writeZip
	}
	out, err := os.Create(filepath.Join(dist, archive))
	if err != nil {
		return "", err
	}
	err = write(out, filepath.Join(dist, dir), dir, names)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return archive, os.RemoveAll(filepath.Join(dist, dir))
}

// mode is an entry's permission bits: executables 0755, the rest 0644.
func mode(name string) int64 {
	if name == "relay" || name == "relay.exe" {
		return 0o755
	}
	return 0o644
}

// writeTarGz writes the files under prefix/ into a gzipped tar.
func writeTarGz(w io.Writer, dir, prefix string, names []string) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: prefix + "/" + n, Mode: mode(n), Size: int64(len(data)), ModTime: epoch,
			Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip writes the files under prefix/ into a zip.
func writeZip(w io.Writer, dir, prefix string, names []string) error {
	zw := zip.NewWriter(w)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: prefix + "/" + n, Method: zip.Deflate, Modified: epoch}
		hdr.SetMode(os.FileMode(mode(n)))
		f, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	return zw.Close()
}

func fileSHA256(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }() // read-only
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
