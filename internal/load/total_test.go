package load

import (
	"bytes"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lazyFS serves generated files without holding them: each big file is a
// tiny schema followed by size bytes of comment lines, produced as they
// are read, and it counts every byte handed out.
type lazyFS struct {
	small map[string]string
	big   map[string]int
	read  atomic.Int64
}

func (l *lazyFS) Open(name string) (fs.File, error) {
	if s, ok := l.small[name]; ok {
		return &lazyFile{fs: l, name: name, r: strings.NewReader(s), size: int64(len(s))}, nil
	}
	if n, ok := l.big[name]; ok {
		head := "type: string\n"
		r := io.MultiReader(strings.NewReader(head), io.LimitReader(commentLines{}, int64(n-len(head))))
		return &lazyFile{fs: l, name: name, r: r, size: int64(n)}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// commentLines is an endless stream of YAML comment lines.
type commentLines struct{}

func (commentLines) Read(p []byte) (int, error) {
	line := []byte("# padding padding padding padding padding padding padding padding\n")
	n := 0
	for n < len(p) {
		n += copy(p[n:], line)
	}
	return n, nil
}

type lazyFile struct {
	fs   *lazyFS
	name string
	r    io.Reader
	size int64
}

func (f *lazyFile) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	f.fs.read.Add(int64(n))
	return n, err
}
func (f *lazyFile) Close() error               { return nil }
func (f *lazyFile) Stat() (fs.FileInfo, error) { return lazyInfo{f}, nil }

type lazyInfo struct{ f *lazyFile }

func (i lazyInfo) Name() string       { return i.f.name }
func (i lazyInfo) Size() int64        { return i.f.size }
func (i lazyInfo) Mode() fs.FileMode  { return 0o444 }
func (i lazyInfo) ModTime() time.Time { return time.Time{} }
func (i lazyInfo) IsDir() bool        { return false }
func (i lazyInfo) Sys() any           { return nil }

// fourRefs is a contract that $refs four files.
const fourRefs = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" +
	"    A: {$ref: 'a.yaml'}\n    B: {$ref: 'b.yaml'}\n    C: {$ref: 'c.yaml'}\n    D: {$ref: 'd.yaml'}\n"

// TestTotalBytesBoundTheReading: the total is enforced while reading, not
// after parsing: once the files read so far leave less than a file's cap,
// the next file is read only up to what is left, and the load stops there
// with a message naming the flag. The reproduction: four 53 MB files, each
// under the 64 MiB per-file cap, took 108 s and 7.7 GiB; by default relay
// now reads about 64 MiB of them and refuses.
func TestTotalBytesBoundTheReading(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB of generated input")
	}
	const size = 53_000_000
	fsys := &lazyFS{small: map[string]string{"api.yaml": fourRefs},
		big: map[string]int{"a.yaml": size, "b.yaml": size, "c.yaml": size, "d.yaml": size}}
	_, err := Load(Options{FS: fsys, Path: "api.yaml", Display: "api.yaml"})
	requireSourceError(t, err, "b.yaml", 1, 1, "the contract's files hold more than 67108864 bytes together, the limit; "+
		"raise it with --max-total-bytes if the contract really is this large")
	require.LessOrEqual(t, fsys.read.Load(), int64(DefaultMaxTotalBytes+1), "read past the total")
}

// TestTotalBytesSmallLimit: the same with a small limit, and a limit that
// fits loads.
func TestTotalBytesSmallLimit(t *testing.T) {
	fsys := &lazyFS{small: map[string]string{"api.yaml": fourRefs},
		big: map[string]int{"a.yaml": 1000, "b.yaml": 1000, "c.yaml": 1000, "d.yaml": 1000}}
	limit := len(fourRefs) + 2500
	_, err := Load(Options{FS: fsys, Path: "api.yaml", Display: "api.yaml", Limits: Limits{MaxTotalBytes: limit}})
	requireSourceError(t, err, "c.yaml", 1, 1, "hold more than "+strconv.Itoa(limit)+" bytes together, the limit; raise it with --max-total-bytes")
	require.LessOrEqual(t, fsys.read.Load(), int64(limit+1), "read past the total")

	fsys.read.Store(0)
	d, err := Load(Options{FS: fsys, Path: "api.yaml", Display: "api.yaml", Limits: Limits{MaxTotalBytes: len(fourRefs) + 4000}})
	require.NoError(t, err)
	require.Len(t, d.Files, 5)
}

// TestTotalBytesCountStdin: bytes given as Data count towards the total.
func TestTotalBytesCountStdin(t *testing.T) {
	fsys := &lazyFS{big: map[string]int{"a.yaml": 1000, "b.yaml": 1000, "c.yaml": 1000, "d.yaml": 1000}}
	_, err := Load(Options{FS: fsys, Path: "api.yaml", Display: "-", Data: bytes.Clone([]byte(fourRefs)),
		Limits: Limits{MaxTotalBytes: len(fourRefs) + 1500}})
	requireSourceError(t, err, "b.yaml", 1, 1, "bytes together, the limit")
}
