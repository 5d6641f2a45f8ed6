package load

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/relay-dev/relay/internal/source"
)

// echoMax bounds how much of a hostile input an error message may repeat.
const echoMax = 200

// withDefaults fills zero limits with the documented defaults.
func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxFileBytes, 64<<20)
	def(&l.MaxDepth, 256)
	def(&l.MaxNodes, 20_000_000)
	def(&l.MaxKeyBytes, 4096)
	def(&l.MaxAliases, 10_000)
	def(&l.MaxFiles, DefaultMaxFiles)
	def(&l.MaxTotalBytes, DefaultMaxTotalBytes)
	def(&l.MaxTotalNodes, 20_000_000)
	return l
}

// quote renders echoed input as a Go-quoted string, truncated first so a
// hostile key or value cannot flood the terminal.
func quote(s string) string {
	return fmt.Sprintf("%q", source.Truncate(s, echoMax))
}

// errAtOffset builds an error at byte offset off of src. Errors are rare, so
// a fresh line index here costs nothing on the happy path.
func errAtOffset(display string, src []byte, off int, format string, args ...any) *source.Error {
	line, col := source.NewLineIndex(src).Position(off)
	return source.Errorf(source.Pos{File: display, Line: line, Col: col}, format, args...)
}

// wholeFile builds an error about the file as a whole, placed at its start.
func wholeFile(display, format string, args ...any) *source.Error {
	return errAt(display, 1, 1, format, args...)
}

// errAt builds an error at a known line and column.
func errAt(display string, line, col int, format string, args ...any) *source.Error {
	return source.Errorf(source.Pos{File: display, Line: line, Col: col}, format, args...)
}

// stripBOM drops a leading UTF-8 byte order mark, which editors hide and
// neither parser should see as content.
func stripBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
}

// checkCommon rejects what no contract file may contain: nothing at all,
// more bytes than the limit, invalid UTF-8, and NUL bytes.
func checkCommon(display string, b []byte, lim Limits) *source.Error {
	if len(b) > lim.MaxFileBytes {
		return wholeFile(display, "file is larger than the limit of %d bytes", lim.MaxFileBytes)
	}
	if !utf8.Valid(b) {
		return errAtOffset(display, b, firstInvalidUTF8(b), "file is not valid UTF-8")
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return errAtOffset(display, b, i, "file contains a NUL byte")
	}
	return nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// isBlank reports whether b holds only whitespace.
func isBlank(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n")) == 0
}
