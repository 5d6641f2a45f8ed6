package filestore

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"
)

// tmpName is a fresh hidden name in dir for base; readers skip names with
// tmpPrefix and writers remove them under the function lock.
func tmpName(dir, base string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return path.Join(dir, tmpPrefix+base+"-"+hex.EncodeToString(b[:]))
}

// writeAtomic replaces name with data: write a temporary file in the same
// directory, fsync it, rename it over name, fsync the directory. Readers
// see the old content or the new, never a mix, and a crash leaves one of
// the two plus at most a temporary file.
func writeAtomic(root *os.Root, name string, data []byte) error {
	dir := path.Dir(name)
	tmp := tmpName(dir, path.Base(name))
	if err := writeNew(root, tmp, data); err != nil {
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return syncDir(root, dir)
}

// writeNew creates name (which must not exist), writes data and fsyncs.
func writeNew(root *os.Root, name string, data []byte) error {
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = root.Remove(name)
	}
	return err
}

// syncDir fsyncs a directory so that entries created, renamed or removed in
// it survive a crash.
func syncDir(root *os.Root, dir string) error {
	f, err := root.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdirAllSync creates dir and its missing parents and fsyncs each parent
// whose listing changed, so the new directories survive a crash.
func mkdirAllSync(root *os.Root, dir string) error {
	var missing []string
	for d := dir; d != "."; d = path.Dir(d) {
		if _, err := root.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
	}
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range missing {
		if err := syncDir(root, path.Dir(d)); err != nil {
			return err
		}
	}
	return nil
}

// writeTree writes files (relative path → bytes) under the new directory
// dir, fsyncing every file and then every directory deepest first, so that
// once dir is renamed into place its whole content is durable.
func writeTree(root *os.Root, dir string, files map[string][]byte) error {
	if err := root.Mkdir(dir, 0o755); err != nil {
		return err
	}
	dirs := map[string]bool{dir: true}
	for _, p := range slices.Sorted(maps.Keys(files)) {
		full := path.Join(dir, p)
		for d := path.Dir(full); d != dir && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
		if err := root.MkdirAll(path.Dir(full), 0o755); err != nil {
			return err
		}
		if err := writeNew(root, full, files[p]); err != nil {
			return fmt.Errorf("cannot write %s: %w", full, err)
		}
	}
	for _, d := range deepestFirst(dirs) {
		if err := syncDir(root, d); err != nil {
			return err
		}
	}
	return nil
}

func deepestFirst(set map[string]bool) []string {
	out := slices.Collect(maps.Keys(set))
	slices.SortFunc(out, func(a, b string) int {
		return strings.Count(b, "/") - strings.Count(a, "/")
	})
	return out
}

// removeTree deletes a directory that was never committed: first renamed
// to a temporary name, so that it disappears from its real name atomically
// and a crash mid-removal leaves only a .tmp-* directory.
func removeTree(root *os.Root, dir string) error {
	tmp := tmpName(path.Dir(dir), "removed-"+path.Base(dir))
	if err := root.Rename(dir, tmp); err != nil {
		return err
	}
	if err := syncDir(root, path.Dir(dir)); err != nil {
		return err
	}
	return root.RemoveAll(tmp)
}

// removeTemps deletes the .tmp-* entries directly in dir: leftovers of
// writers that crashed. Only called under the function lock, when no
// writer of this function is alive to own them.
func removeTemps(root *os.Root, dir string) error {
	entries, err := readDir(root, dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			if err := root.RemoveAll(path.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// readDir lists dir inside root; a missing directory is empty.
func readDir(root *os.Root, dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(root.FS(), dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return entries, nil
}
