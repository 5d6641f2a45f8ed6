package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// Publish stores a new pending version: content first, then the publish
// event that commits it (see the package doc).
func (s *Store) Publish(ctx context.Context, req registry.PublishRequest) (registry.Version, error) {
	v, err := newVersion(req)
	if err != nil {
		return registry.Version{}, err
	}
	return s.write(ctx, v.Function, v.Version, true, func(sess *session) (registry.Version, error) {
		if err := sess.checkNew(v); err != nil {
			return registry.Version{}, err
		}
		v.CreatedAt = s.clock.Stamp()
		if err := ensureLog(sess.root, v.Function); err != nil {
			return registry.Version{}, err
		}
		if err := sess.placeContent(v); err != nil {
			return registry.Version{}, err
		}
		e := registry.Event{Time: v.CreatedAt, Actor: v.Author, Action: registry.ActionPublish,
			Function: v.Function, Version: v.Version, Detail: v.SHA256}
		if _, err := sess.commit(e); err != nil {
			// Not committed: take the content back out rather than leave an
			// orphan for the next writer to clear.
			_ = removeTree(sess.root, versionDir(v.Function, v.Version))
			return registry.Version{}, err
		}
		v.Files = registry.CloneFiles(v.Files)
		return v, nil
	})
}

// newVersion validates a request and turns it into a pending version.
func newVersion(req registry.PublishRequest) (registry.Version, error) {
	if err := checkRef(req.Function, req.Version); err != nil {
		return registry.Version{}, err
	}
	ref := registry.Ref(req.Function, req.Version)
	if strings.TrimSpace(req.Author) == "" {
		return registry.Version{}, registry.Errorf(registry.ErrInvalid, "%s needs an author", ref)
	}
	if strings.TrimSpace(req.Kind) == "" {
		return registry.Version{}, registry.Errorf(registry.ErrInvalid, "%s needs a contract kind", ref)
	}
	if err := registry.ValidateBundle(ref, req.Main, req.Files); err != nil {
		return registry.Version{}, err
	}
	files := registry.CloneFiles(req.Files)
	var diff *registry.DiffSummary
	if req.Diff != nil {
		d := *req.Diff
		diff = &d
	}
	return registry.Version{Function: req.Function, Version: req.Version, Kind: req.Kind, Main: req.Main,
		Files: files, SHA256: registry.BundleSHA256(files), Status: registry.Pending, Author: req.Author, Diff: diff}, nil
}

// checkNew refuses a version number the function has, or content it has
// under another number.
func (sess *session) checkNew(v registry.Version) error {
	if old := sess.st.versions[v.Version]; old != nil {
		return registry.Errorf(registry.ErrExists, "%s already exists (%s); published content never changes, so publish it under a new version number",
			v.Ref(), old.Status)
	}
	for _, old := range sess.st.list() {
		if old.SHA256 == v.SHA256 {
			return registry.Errorf(registry.ErrIdentical, "%s is identical to %s (%s, sha256 %s); there is nothing new to publish",
				v.Ref(), old.Ref(), old.Status, short(v.SHA256))
		}
	}
	return nil
}

func short(sum string) string { return sum[:min(12, len(sum))] }

// placeContent writes the version directory under a temporary name and
// renames it into place. A directory already at the version's name is not
// in the log, so it is the orphan of a publish that crashed before its
// commit: it was never acknowledged, and is replaced.
func (sess *session) placeContent(v registry.Version) error {
	dir := versionDir(v.Function, v.Version)
	if _, err := sess.root.Stat(dir); err == nil {
		if err := removeTree(sess.root, dir); err != nil {
			return fmt.Errorf("cannot clear the uncommitted leftover %s: %w", dir, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	files := registry.CloneFiles(v.Files)
	files[registry.MetadataFile] = encodeJSON(newMeta(v))
	tmp := tmpName(fnDir(v.Function), v.Version)
	if err := writeTree(sess.root, tmp, files); err != nil {
		_ = sess.root.RemoveAll(tmp)
		return fmt.Errorf("cannot write %s: %w", v.Ref(), err)
	}
	hook("before-rename")
	if err := sess.root.Rename(tmp, dir); err != nil {
		_ = sess.root.RemoveAll(tmp)
		return fmt.Errorf("cannot write %s: %w", v.Ref(), err)
	}
	if err := syncDir(sess.root, path.Dir(dir)); err != nil {
		return fmt.Errorf("cannot write %s: %w", v.Ref(), err)
	}
	hook("before-commit")
	return nil
}
