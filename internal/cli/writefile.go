package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// writeMode is how a report reaches an existing path.
type writeMode int

const (
	// writeAtomic writes a temporary file beside the path and renames it
	// into place: readers (a CI step uploading the report, a rerun) never
	// see half a report. Only for regular files and new paths.
	writeAtomic writeMode = iota
	// writeInPlace opens the path and writes into it: a device such as
	// /dev/null, a FIFO or a terminal is a destination, not a file to be
	// replaced by one (a rename run as root turns /dev/null into a regular
	// file for every other program on the machine).
	writeInPlace
)

// lstatFile is os.Lstat; tests swap it to present a regular file as a
// device, which they could neither create nor safely risk replacing.
var lstatFile = os.Lstat

// maxLinkHops bounds a chain of symbolic links, as the kernel's ELOOP does.
const maxLinkHops = 40

// writeModeOf decides from what is at the path now.
func writeModeOf(info fs.FileInfo) writeMode {
	if info.Mode().IsRegular() {
		return writeAtomic
	}
	return writeInPlace
}

// writeReportFile writes a report, or any file relay produces, to path
// without clobbering what is there: a regular file or a new path is
// replaced atomically (missing parent directories are created, as
// DESIGN.md promises for --output); a device, FIFO or socket is written in
// place; a symbolic link is followed and the file it points to written by
// the same rules, so the link stays a link, as with a shell's `>`.
func writeReportFile(path string, data []byte) error {
	target, info, stream, err := resolveLinks(path)
	if err != nil {
		return err
	}
	if info != nil && info.IsDir() {
		return &fs.PathError{Op: "write", Path: path, Err: errors.New("is a directory")}
	}
	if target != path {
		// Through the link even for a device: a link planted in /tmp that
		// names a disk must meet the kernel's checks, not a direct open.
		return writeThroughLink(path, target, stream, data)
	}
	if info != nil && writeModeOf(info) == writeInPlace {
		return writeInto(target, data)
	}
	return writeFileAtomic(target, data)
}

// writeThroughLink writes the file a symbolic link names. It opens the
// link first, so the kernel's own checks on following it apply as they
// would to `>` (fs.protected_symlinks in sticky directories such as /tmp,
// permissions on the target), which the rename alone would bypass; a
// dangling link's target is created, as `>` would. The target is replaced
// atomically only when it is the very regular file the kernel opened; a
// device or FIFO is written in place, and so is a link into /proc
// (/dev/stdout is one), which names an open file or a pipe, not a path to
// rename over: it is appended to, like the stream it is.
func writeThroughLink(link, target string, stream bool, data []byte) error {
	f, err := os.OpenFile(link, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	opened, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	if same, err := lstatFile(target); err == nil && !stream && os.SameFile(opened, same) && opened.Mode().IsRegular() {
		if err := f.Close(); err != nil {
			return err
		}
		return writeFileAtomic(target, data)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// resolveLinks follows symbolic links from path to what they finally name,
// returning that path and its FileInfo (nil when nothing is there yet: a new
// path or a dangling link), and whether a link in /proc was followed: those
// (/dev/stdout → /proc/self/fd/1) stand for open files, not paths. Unlike
// filepath.EvalSymlinks it accepts a dangling last link, which names the
// file to create.
func resolveLinks(path string) (target string, info fs.FileInfo, viaProc bool, err error) {
	p := path
	for range maxLinkHops {
		info, err := lstatFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, viaProc, nil
		}
		if err != nil {
			return "", nil, false, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return p, info, viaProc, nil
		}
		viaProc = viaProc || strings.HasPrefix(filepath.ToSlash(filepath.Clean(p)), "/proc/")
		dest, err := os.Readlink(p)
		if err != nil {
			return "", nil, false, err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	return "", nil, false, &fs.PathError{Op: "write", Path: path, Err: fmt.Errorf("more than %d symbolic links in a row (a loop?)", maxLinkHops)}
}

// writeInto writes into an existing non-regular file. No O_TRUNC and no
// O_CREATE: a device or FIFO is neither truncated nor created.
func writeInto(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it into place. Missing parent directories are created; an
// existing file's permission bits are kept.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	// CreateTemp makes 0600 files; a new report is as readable as any
	// output, and a replaced one keeps the permissions it had.
	perm := fs.FileMode(0o644)
	if old, err := os.Stat(path); err == nil && old.Mode().IsRegular() {
		perm = old.Mode().Perm()
	}
	if err := tmp.Chmod(perm); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
