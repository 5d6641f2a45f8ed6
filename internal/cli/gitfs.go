package cli

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"time"
)

// gitFS is an fs.FS of one directory of one commit. The loader reads the
// base contract and every file it $refs through it, so a git base is the
// whole contract as it was at that commit, not the old main file with
// today's siblings. Like os.DirFS it cannot reach above its directory.
type gitFS struct {
	repo   gitRepo
	commit string // full SHA, resolved once
	dir    string // slash path from the repository root; "." for the root
}

// maxGitObjectBytes refuses absurd blobs before reading them into memory;
// the loader's own, smaller limit then applies to what is read.
const maxGitObjectBytes = 256 << 20

var (
	_ fs.ReadFileFS = (*gitFS)(nil)
	_ fs.StatFS     = (*gitFS)(nil)
)

// object is one git object read with `git cat-file --batch`.
type object struct {
	typ  string // "blob", "tree", …
	data []byte
}

// Open implements fs.FS.
func (f *gitFS) Open(name string) (fs.File, error) {
	obj, err := f.object("open", name)
	if err != nil {
		return nil, err
	}
	info := gitFileInfo{name: path.Base(name), size: int64(len(obj.data)), dir: obj.typ == "tree"}
	if info.dir {
		info.size = 0 // a tree's object size is git's business; ls-tree reports none
		entries, err := f.readDir(name)
		if err != nil {
			return nil, err
		}
		return &gitDir{info: info, entries: entries}, nil
	}
	return &gitFile{info: info, Reader: bytes.NewReader(obj.data)}, nil
}

// ReadFile implements fs.ReadFileFS without the extra copy of Open+Read.
func (f *gitFS) ReadFile(name string) ([]byte, error) {
	obj, err := f.object("read", name)
	if err != nil {
		return nil, err
	}
	if obj.typ == "tree" {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return obj.data, nil
}

// Stat implements fs.StatFS.
func (f *gitFS) Stat(name string) (fs.FileInfo, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	_ = file.Close() // closing an in-memory file cannot fail
	return info, err
}

// object reads name at the commit. One short-lived cat-file per file keeps
// the FS stateless (nothing to close); contracts span few files.
func (f *gitFS) object(op, name string) (*object, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	spec := f.commit + ":" + path.Join(f.dir, name)
	if path.Join(f.dir, name) == "." {
		spec = f.commit + "^{tree}"
	}
	if strings.ContainsAny(spec, "\n\r") {
		// cat-file --batch reads one spec a line; a file name with a
		// newline is resolved to its object ID on the command line first.
		oid, err := f.repo.output("rev-parse", "--verify", "--quiet", "--end-of-options", spec)
		if err != nil || oid == "" {
			return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		spec = oid
	}
	obj, err := f.catFile(spec)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	return obj, nil
}

func (f *gitFS) catFile(spec string) (obj *object, err error) {
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = f.repo.dir
	cmd.Stdin = strings.NewReader(spec + "\n")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	obj, err = readBatchObject(bufio.NewReader(out))
	if err != nil {
		_ = cmd.Process.Kill() // it may be blocked writing a blob we refused
	}
	if werr := cmd.Wait(); err == nil && werr != nil {
		err = fmt.Errorf("git cat-file: %s", strings.TrimSpace(stderr.String()))
	}
	return obj, err
}

// readBatchObject parses one `git cat-file --batch` answer:
// "<oid> <type> <size>\n<content>\n", or "<spec> missing\n".
func readBatchObject(r *bufio.Reader) (*object, error) {
	header, err := r.ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	header = strings.TrimSuffix(header, "\n")
	if strings.HasSuffix(header, " missing") || strings.HasSuffix(header, " ambiguous") {
		return nil, fs.ErrNotExist
	}
	fields := strings.Fields(header)
	if len(fields) != 3 {
		return nil, fmt.Errorf("git cat-file: unexpected answer %q", header)
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("git cat-file: unexpected size in %q", header)
	}
	if size > maxGitObjectBytes {
		return nil, fmt.Errorf("file is larger than %d MiB", maxGitObjectBytes>>20)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	return &object{typ: fields[1], data: data}, nil
}

// readDir lists a tree with ls-tree; -z keeps odd file names intact.
func (f *gitFS) readDir(name string) ([]fs.DirEntry, error) {
	out, err := f.repo.run("ls-tree", "-z", "--long", f.commit+":"+path.Join(f.dir, name))
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	var entries []fs.DirEntry
	for _, rec := range strings.Split(string(out), "\x00") {
		// "<mode> <type> <oid> <size>\t<name>"; size is "-" for trees.
		meta, entryName, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 {
			continue
		}
		size, _ := strconv.ParseInt(fields[3], 10, 64)
		info := gitFileInfo{name: entryName, size: size, dir: fields[1] == "tree"}
		entries = append(entries, fs.FileInfoToDirEntry(info))
	}
	return entries, nil // git sorts tree entries by name, as fs.ReadDir wants
}

// gitFileInfo describes a blob or tree. Git stores no times, and file
// modes beyond "executable" do not matter to a loader.
type gitFileInfo struct {
	name string
	size int64
	dir  bool
}

func (i gitFileInfo) Name() string       { return i.name }
func (i gitFileInfo) Size() int64        { return i.size }
func (i gitFileInfo) ModTime() time.Time { return time.Time{} }
func (i gitFileInfo) IsDir() bool        { return i.dir }
func (i gitFileInfo) Sys() any           { return nil }
func (i gitFileInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}

// gitFile is an open blob.
type gitFile struct {
	*bytes.Reader
	info gitFileInfo
}

func (f *gitFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *gitFile) Close() error               { return nil }

// gitDir is an open tree.
type gitDir struct {
	info    gitFileInfo
	entries []fs.DirEntry
	offset  int
}

func (d *gitDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *gitDir) Close() error               { return nil }
func (d *gitDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

// ReadDir implements fs.ReadDirFile.
func (d *gitDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.offset:]
	if n <= 0 {
		d.offset = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.offset += n
	return rest[:n], nil
}
