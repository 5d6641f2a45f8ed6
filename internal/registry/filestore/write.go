package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"

	"github.com/relay-dev/relay/internal/registry"
)

// session is one write to one function, made while holding its lock.
type session struct {
	root *os.Root
	st   *fnState
	hist *history
}

// write runs do under the function's lock, on a state read after the lock
// was taken and reconciled with the files. create says the write may bring
// a new function (and the registry directory) into being; other writes to
// a function that has no directory are ErrNotFound and create nothing.
func (s *Store) write(ctx context.Context, function, version string, create bool, do func(*session) (registry.Version, error)) (registry.Version, error) {
	if err := ctx.Err(); err != nil {
		return registry.Version{}, err
	}
	root, err := s.rootFor(function, version, create)
	if err != nil {
		return registry.Version{}, err
	}
	if err := mkdirAllSync(root, fnDir(function)); err != nil {
		return registry.Version{}, fmt.Errorf("cannot create the directory of %s: %w", function, err)
	}
	lock, err := acquire(ctx, root, path.Join(fnDir(function), fnLock), function, s.lockWait)
	if err != nil {
		return registry.Version{}, err
	}
	defer lock.release()
	sess, err := begin(root, function)
	if err != nil {
		return registry.Version{}, err
	}
	return do(sess)
}

// rootFor returns the root to write in. Only a creating write makes the
// registry directory or a function directory.
func (s *Store) rootFor(function, version string, create bool) (*os.Root, error) {
	if create {
		return s.writeRoot()
	}
	root, err := s.readRoot()
	if err != nil {
		return nil, err
	}
	missing := root == nil
	if !missing {
		_, err := root.Stat(fnDir(function))
		missing = errors.Is(err, fs.ErrNotExist)
	}
	if missing {
		return nil, registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(function, version))
	}
	return root, nil
}

// begin reads the state and repairs what a crashed writer left behind:
// temporary files go, version.json files and active.json roll forward to
// the log. A pointer that contradicts the log stops the write.
func begin(root *os.Root, function string) (*session, error) {
	legacy, err := readLegacy(root, true)
	if err != nil {
		return nil, err
	}
	h, err := readHistory(root, legacy, function, true)
	if err != nil {
		return nil, err
	}
	st, err := fold(function, h.events())
	if err != nil {
		return nil, err
	}
	listed, err := listVersions(root, function)
	if err != nil {
		return nil, err
	}
	leftover, err := findOrphans(root, st, h, listed)
	if err != nil {
		return nil, err
	}
	if leftover != "" {
		// Never acknowledged to anyone, and once the log moves on it could
		// no longer be told from a version whose publish was cut from it.
		if err := removeTree(root, versionDir(function, leftover)); err != nil {
			return nil, fmt.Errorf("cannot clear the uncommitted leftover %s: %w", displayName(root, versionDir(function, leftover)), err)
		}
	}
	sess := &session{root: root, st: st, hist: h}
	if err := sess.reconcile(); err != nil {
		return nil, err
	}
	return sess, nil
}

func (sess *session) reconcile() error {
	p, err := readPointer(sess.root, sess.st.function)
	if err != nil {
		return err
	}
	stale, err := sess.st.checkPointer(p)
	if err != nil {
		return err
	}
	if err := removeTemps(sess.root, fnDir(sess.st.function)); err != nil {
		return fmt.Errorf("cannot clean up %s: %w", sess.st.function, err)
	}
	for _, v := range sess.st.list() {
		if err := sess.syncMeta(v.Version); err != nil {
			return err
		}
	}
	if stale {
		return sess.swapPointer(p)
	}
	return nil
}

// syncMeta rewrites the version's version.json when its status part is
// behind the log; content files are never touched.
func (sess *session) syncMeta(version string) error {
	v := *sess.st.versions[version]
	dir := versionDir(v.Function, v.Version)
	if err := removeTemps(sess.root, dir); err != nil {
		return fmt.Errorf("cannot clean up %s: %w", v.Ref(), err)
	}
	m, err := readMeta(sess.root, v)
	if err != nil {
		return err
	}
	stale, err := sess.st.checkStatus(version, m.metaStatus, metaName(sess.root, v))
	if err != nil {
		return err
	}
	if stale {
		m.metaStatus = statusOf(v)
		return writeAtomic(sess.root, path.Join(dir, registry.MetadataFile), encodeJSON(m))
	}
	return nil
}

// swapPointer replaces active.json with the log's pointer, provided it
// still holds expected: compare-and-swap, under the function's lock.
func (sess *session) swapPointer(expected pointer) error {
	cur, err := readPointer(sess.root, sess.st.function)
	if err != nil {
		return err
	}
	if cur != expected {
		return registry.Errorf(registry.ErrConflict, "active.json of %s changed while relay was updating it (it names %q, expected %q)",
			sess.st.function, cur.Version, expected.Version)
	}
	next := sess.st.want()
	if next == cur {
		return nil
	}
	return writeAtomic(sess.root, path.Join(fnDir(sess.st.function), activeFile), encodeJSON(next))
}

// commit appends the event (the commit point) and replays it on the state.
func (sess *session) commit(e registry.Event) (registry.Event, error) {
	e, err := appendEvent(sess.root, sess.hist, e)
	if err != nil {
		return e, err
	}
	// The caller checked the event against the state, so it applies.
	return e, sess.st.apply(e)
}

// afterStatus brings the derived files up to date after a committed status
// change. The change itself is already permanent: a failure here returns
// the committed version with an ErrAfterCommit error, and the next write
// to the function repairs the files.
func (sess *session) afterStatus(version string, before pointer) (registry.Version, error) {
	ref := registry.Ref(sess.st.function, version)
	err := sess.syncMeta(version)
	if err == nil {
		err = sess.swapPointer(before)
	}
	if err == nil {
		var v registry.Version
		if v, err = load(sess.root, sess.st, version, false); err == nil {
			return v, nil
		}
	}
	// Committed all the same: return what the log says, so that the caller
	// still announces the change.
	return *sess.st.versions[version], registry.AfterCommit(fmt.Errorf(
		"%s is %s in the audit log, but updating its files failed (the next change to %s repairs them): %w",
		ref, sess.st.versions[version].Status, sess.st.function, err))
}
