// Package source is relay's position-aware view of a contract document.
//
// Every loader turns bytes into a tree of *Node values that remember the file,
// line and column they came from, and every finding points back into that tree.
// The tree is deliberately small and generic (JSON data model plus positions):
// the differ works on it directly instead of on a library's typed model, which
// keeps a 4 MB description cheap to load and lets each finding name its line.
package source

import "fmt"

// Pos is a 1-based line and column inside a file.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

// String renders file:line:col, the form editors and CI annotations link.
func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsZero reports whether p carries no location.
func (p Pos) IsZero() bool { return p.File == "" && p.Line == 0 }

// Error is a problem in an input file. Its message is one sentence that names
// the file and line, which is what users see on exit code 1.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Pos.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Pos.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Errorf builds an *Error at pos.
func Errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Truncate shortens echoed input to about limit bytes so a hostile document
// cannot flood the terminal through an error message.
func Truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
