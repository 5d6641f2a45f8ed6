package registry

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"slices"
	"strings"
)

// BundleSHA256 is the hex sha256 identifying a bundle's content: the hash
// of, for each file in ascending byte order of its path, the path, a NUL
// byte, the content's length as 8 big-endian bytes and the content. The
// length makes the encoding unambiguous (a NUL inside one file cannot fake
// the boundary to the next), and sorting makes it independent of map order.
func BundleSHA256(files map[string][]byte) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range slices.Sorted(maps.Keys(files)) {
		b := files[p]
		h.Write([]byte(p))
		h.Write([]byte{0})
		for i, size := 0, uint64(len(b)); i < 8; i++ {
			n[7-i] = byte(size >> (8 * i))
		}
		h.Write(n[:])
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FileSHA256 is the hex sha256 of one file's bytes.
func FileSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// MetadataFile is the reserved bundle path where the file store keeps a
// version's metadata, beside the contract files.
const MetadataFile = "version.json"

// maxBundleFiles matches the loader's default cap on files per contract
// (load.DefaultMaxFiles): whatever diff loads by default can be published.
const maxBundleFiles = 10_000

// ValidateBundle checks a publish request's bundle: at least one file, the
// main file among them, and every path a clean relative slash path (no
// "..", no leading "/", no empty or "." elements, no backslash) whose
// elements do not start with '.' — the file store keeps its temporary and
// lock files under such names, and no contract needs one. A top-level
// MetadataFile is refused too: that name holds the version's metadata.
func ValidateBundle(ref, main string, files map[string][]byte) error {
	if len(files) == 0 {
		return Errorf(ErrInvalid, "%s has no contract files", ref)
	}
	if len(files) > maxBundleFiles {
		return Errorf(ErrInvalid, "%s has %d files; a bundle holds at most %d", ref, len(files), maxBundleFiles)
	}
	if _, ok := files[main]; !ok {
		return Errorf(ErrInvalid, "%s names %q as its main file, which is not in the bundle", ref, truncate(main))
	}
	if _, ok := files[MetadataFile]; ok {
		return Errorf(ErrInvalid, "%s has a top-level file named %s, a name the registry reserves for version metadata", ref, MetadataFile)
	}
	for p := range files {
		if !validBundlePath(p) {
			return Errorf(ErrInvalid, "%s has a file path %q that is not a clean relative path inside the bundle", ref, truncate(p))
		}
	}
	return nil
}

func validBundlePath(p string) bool {
	if !fs.ValidPath(p) || p == "." || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, elem := range strings.Split(p, "/") {
		if strings.HasPrefix(elem, ".") {
			return false
		}
	}
	return true
}

// CloneFiles copies a bundle so that callers and stores never share the
// byte slices of an immutable version.
func CloneFiles(files map[string][]byte) map[string][]byte {
	if files == nil {
		return nil
	}
	out := make(map[string][]byte, len(files))
	for p, b := range files {
		out[p] = slices.Clone(b)
	}
	return out
}
