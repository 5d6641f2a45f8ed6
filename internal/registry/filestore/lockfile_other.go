//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package filestore

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// tryLock fails where flock(2) is missing: a store that cannot exclude
// other processes would corrupt the audit chain, so it refuses to write.
func tryLock(*os.File) (bool, error) {
	return false, fmt.Errorf("the file registry needs flock(2), which %s lacks: %w", runtime.GOOS, errors.ErrUnsupported)
}

func unlock(*os.File) error { return nil }
