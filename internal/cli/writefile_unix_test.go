//go:build unix

package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A FIFO is written in place: the reader at the other end gets the report
// and the FIFO stays a FIFO.
func TestWriteReportFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	// Held open for reading and writing, the FIFO has a reader, so relay's
	// open for writing does not wait; the pipe buffer holds the report.
	r, err := os.OpenFile(fifo, os.O_RDWR|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Skipf("cannot open a FIFO read-write here: %v", err)
	}
	defer r.Close()
	if err := writeReportFile(fifo, []byte("report\n")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(fifo)
	if err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v, %v", info, err)
	}
	buf := make([]byte, 64)
	n, err := readNow(r, buf)
	if err != nil || string(buf[:n]) != "report\n" {
		t.Errorf("read %q, %v from the FIFO; want the report", buf[:n], err)
	}
}

// readNow reads what the pipe holds without waiting for more.
func readNow(f *os.File, buf []byte) (int, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	var n int
	var rerr error
	if err := rc.Read(func(fd uintptr) bool {
		n, rerr = syscall.Read(int(fd), buf)
		return true
	}); err != nil {
		return 0, err
	}
	if n < 0 {
		n = 0
	}
	return n, rerr
}

// A link in /proc stands for an open file (--output /dev/stdout when the
// shell appends to a file): the report is appended through it, never
// renamed over the file and the shell's earlier output.
func TestWriteReportFileProcLink(t *testing.T) {
	p := filepath.Join(t.TempDir(), "log.txt")
	if err := os.WriteFile(p, []byte("first\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	link := fmt.Sprintf("/proc/self/fd/%d", f.Fd())
	if _, err := os.Readlink(link); err != nil {
		t.Skipf("no /proc links here: %v", err)
	}
	if err := writeReportFile(link, []byte("report\n")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "first\nreport\n" {
		t.Errorf("the file holds %q, %v; want the report after the earlier output", b, err)
	}
}

// A link to a FIFO is written through, in place: both stay what they are.
func TestWriteReportFileLinkToFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo, link := filepath.Join(dir, "pipe"), filepath.Join(dir, "out")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	if err := os.Symlink("pipe", link); err != nil {
		t.Fatal(err)
	}
	r, err := os.OpenFile(fifo, os.O_RDWR|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Skipf("cannot open a FIFO read-write here: %v", err)
	}
	defer r.Close()
	if err := writeReportFile(link, []byte("report\n")); err != nil {
		t.Fatal(err)
	}
	assertSymlink(t, link)
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v, %v", info, err)
	}
	buf := make([]byte, 64)
	if n, err := readNow(r, buf); err != nil || string(buf[:n]) != "report\n" {
		t.Errorf("read %q, %v from the FIFO; want the report", buf[:n], err)
	}
}
