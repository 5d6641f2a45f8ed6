package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag holding a number of bytes, written as a plain count
// or with a binary unit: 512KiB, 64MiB, 1GiB (K, M and G mean the same).
type byteSize int

// byteUnits are the suffixes byteSize accepts, longest first.
var byteUnits = []struct {
	suffix string
	shift  uint
}{{"kib", 10}, {"mib", 20}, {"gib", 30}, {"k", 10}, {"m", 20}, {"g", 30}, {"b", 0}}

// maxByteSize keeps sizes far from overflow: nothing relay reads is near it.
const maxByteSize = 1 << 40

func (b *byteSize) Set(s string) error {
	num, shift := strings.ToLower(strings.TrimSpace(s)), uint(0)
	for _, u := range byteUnits {
		if strings.HasSuffix(num, u.suffix) {
			num, shift = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > maxByteSize>>shift {
		return fmt.Errorf("want a size such as 128MiB, 1GiB or a number of bytes from 1 to 1TiB")
	}
	*b = byteSize(n << shift)
	return nil
}

func (b *byteSize) String() string {
	switch n := int(*b); {
	case n > 0 && n%(1<<30) == 0:
		return strconv.Itoa(n>>30) + "GiB"
	case n > 0 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "MiB"
	case n > 0 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "KiB"
	default:
		return strconv.Itoa(n)
	}
}

func (b *byteSize) Type() string { return "SIZE" }
