package source

import "sort"

// LineIndex converts byte offsets to 1-based line and column numbers.
// Columns count runes, as editors do, not bytes.
type LineIndex struct {
	src    []byte
	starts []int
}

// NewLineIndex scans src once for line starts.
func NewLineIndex(src []byte) *LineIndex {
	starts := make([]int, 1, 1+len(src)/32)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &LineIndex{src: src, starts: starts}
}

// Position returns the line and column of byte offset off.
func (li *LineIndex) Position(off int) (line, col int) {
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	col = 1
	for j := li.starts[i]; j < off && j < len(li.src); j++ {
		if li.src[j]&0xC0 != 0x80 {
			col++
		}
	}
	// the loop counted the rune at off's own start byte only if off is past it
	return i + 1, col
}
