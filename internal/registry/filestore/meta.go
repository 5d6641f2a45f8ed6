package filestore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// meta is version.json. Field order is the file's key order; the first
// block never changes after publishing, the second mirrors the audit log.
type meta struct {
	Function  string                `json:"function"`
	Version   string                `json:"version"`
	Kind      string                `json:"kind"`
	Main      string                `json:"main"`
	SHA256    string                `json:"sha256"`
	Files     []metaFile            `json:"files"`
	Author    string                `json:"author"`
	CreatedAt time.Time             `json:"createdAt"`
	Diff      *registry.DiffSummary `json:"diff,omitempty"`

	metaStatus
}

// metaStatus is the part of version.json derived from the audit log.
type metaStatus struct {
	Status       registry.Status `json:"status"`
	Reviewer     string          `json:"reviewer,omitempty"`
	Reason       string          `json:"reason,omitempty"`
	DecidedAt    *time.Time      `json:"decidedAt,omitempty"`
	RetiredBy    string          `json:"retiredBy,omitempty"`
	RetireReason string          `json:"retireReason,omitempty"`
	RetiredAt    *time.Time      `json:"retiredAt,omitempty"`
}

// metaFile lists one bundle file, so a changed file is named by path.
type metaFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// newMeta describes a version about to be published.
func newMeta(v registry.Version) meta {
	m := meta{Function: v.Function, Version: v.Version, Kind: v.Kind, Main: v.Main, SHA256: v.SHA256,
		Author: v.Author, CreatedAt: v.CreatedAt, Diff: v.Diff, metaStatus: statusOf(v)}
	for _, p := range slices.Sorted(maps.Keys(v.Files)) {
		m.Files = append(m.Files, metaFile{Path: p, SHA256: registry.FileSHA256(v.Files[p]), Size: len(v.Files[p])})
	}
	return m
}

// statusOf is the derived part of version.json for v.
func statusOf(v registry.Version) metaStatus {
	return metaStatus{Status: v.Status, Reviewer: v.Reviewer, Reason: v.Reason, DecidedAt: optTime(v.DecidedAt),
		RetiredBy: v.RetiredBy, RetireReason: v.RetireReason, RetiredAt: optTime(v.RetiredAt)}
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// equal compares derived parts; pointers to equal times are equal.
func (a metaStatus) equal(b metaStatus) bool {
	same := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	return a.Status == b.Status && a.Reviewer == b.Reviewer && a.Reason == b.Reason &&
		a.RetiredBy == b.RetiredBy && a.RetireReason == b.RetireReason &&
		same(a.DecidedAt, b.DecidedAt) && same(a.RetiredAt, b.RetiredAt)
}

// encodeJSON pretty-prints with a trailing newline: the files are meant to
// be read in code review.
func encodeJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // plain structs of strings, numbers and times
	return buf.Bytes()
}

// decodeJSON reads one of the store's own files strictly: unknown fields
// mean someone else wrote it.
func decodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// readMeta reads a committed version's version.json and checks it against
// the log's record of the version.
func readMeta(root *os.Root, v registry.Version) (meta, error) {
	name := path.Join(versionDir(v.Function, v.Version), registry.MetadataFile)
	data, err := root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return meta{}, registry.Errorf(registry.ErrTampered, "%s is in the audit log but its %s is missing from the registry", v.Ref(), name)
	}
	if err != nil {
		return meta{}, fmt.Errorf("cannot read %s: %w", name, err)
	}
	var m meta
	if err := decodeJSON(data, &m); err != nil {
		return meta{}, registry.Errorf(registry.ErrTampered, "%s of %s is not valid: %v", displayName(root, name), v.Ref(), err)
	}
	return m, checkMeta(m, v, displayName(root, name))
}

// metaName is the version's version.json as the user finds it.
func metaName(root *os.Root, v registry.Version) string {
	return displayName(root, path.Join(versionDir(v.Function, v.Version), registry.MetadataFile))
}

// checkMeta insists that version.json's permanent fields agree with the
// audit log, which the hash chain protects.
func checkMeta(m meta, v registry.Version, name string) error {
	switch {
	case m.Function != v.Function || m.Version != v.Version:
		return registry.Errorf(registry.ErrTampered, "%s names %s, not %s", name, registry.Ref(m.Function, m.Version), v.Ref())
	case m.SHA256 != v.SHA256:
		return registry.Errorf(registry.ErrTampered, "%s of %s records sha256 %s, but the audit log published %s", name, v.Ref(), m.SHA256, v.SHA256)
	case m.Author != v.Author:
		return registry.Errorf(registry.ErrTampered, "%s of %s names author %q, but the audit log says %q", name, v.Ref(), m.Author, v.Author)
	}
	return nil
}

// withMeta fills in what only version.json holds.
func withMeta(v registry.Version, m meta) registry.Version {
	v.Kind, v.Main, v.Diff = m.Kind, m.Main, m.Diff
	return v
}

// readFiles reads the bundle listed in version.json and checks every file
// against its recorded hash, then the bundle against the published one.
func readFiles(root *os.Root, v registry.Version, m meta) (map[string][]byte, error) {
	dir := versionDir(v.Function, v.Version)
	files := make(map[string][]byte, len(m.Files))
	for _, f := range m.Files {
		name := path.Join(dir, f.Path)
		b, err := root.ReadFile(name)
		if err != nil {
			return nil, registry.Errorf(registry.ErrTampered, "cannot read %s of %s: %v", name, v.Ref(), err)
		}
		b, ok := matchEOL(b, f.SHA256)
		if !ok {
			return nil, registry.Errorf(registry.ErrTampered, "%s of %s was changed after publishing: its sha256 no longer matches version.json",
				displayName(root, name), v.Ref())
		}
		files[f.Path] = b
	}
	if registry.BundleSHA256(files) != v.SHA256 {
		return nil, registry.Errorf(registry.ErrTampered, "the files of %s do not add up to its published sha256 %s", v.Ref(), v.SHA256)
	}
	return files, nil
}

// pointer is active.json.
type pointer struct {
	Function string `json:"function"`
	// Version is "" when no version is active.
	Version string `json:"version"`
	// Seq is the audit event that made Version active.
	Seq int64 `json:"seq"`
}

// readPointer reads active.json; a missing file is the empty pointer.
func readPointer(root *os.Root, function string) (pointer, error) {
	name := path.Join(fnDir(function), activeFile)
	data, err := root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return pointer{Function: function}, nil
	}
	if err != nil {
		return pointer{}, fmt.Errorf("cannot read %s: %w", name, err)
	}
	var p pointer
	if err := decodeJSON(data, &p); err != nil || p.Function != function {
		return pointer{}, registry.Errorf(registry.ErrConflict, "%s is not a valid active pointer for %s; restore it from version control", name, function)
	}
	return p, nil
}

// matchEOL returns the bytes that hash to sum: b itself, or b with its
// line endings converted back, for a checkout whose git converted them
// (core.autocrlf) before the registry's .gitattributes said -text. Only
// line endings are undone, and only when the result is exactly the
// published bytes, so nothing else can slip through.
func matchEOL(b []byte, sum string) ([]byte, bool) {
	if registry.FileSHA256(b) == sum {
		return b, true
	}
	lf := bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if registry.FileSHA256(lf) == sum {
		return lf, true
	}
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	if registry.FileSHA256(crlf) == sum {
		return crlf, true
	}
	return nil, false
}
