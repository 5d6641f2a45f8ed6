package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"

	"github.com/relay-dev/relay/internal/registry"
)

// readRoot returns the root for reading, or nil while the registry
// directory does not exist (nothing to read). It opens a directory that
// another process created after Open.
func (s *Store) readRoot() (*os.Root, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root != nil {
		return s.root, nil
	}
	root, err := os.OpenRoot(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.root = root
	return root, nil
}

// snapshot reads the verified log and replays it for function. Readers
// read the log first and the directories it names second, so anything the
// log mentions is already fully on disk.
func (s *Store) snapshot(ctx context.Context, function string) (*os.Root, *fnState, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := checkFunction(function); err != nil {
		return nil, nil, err
	}
	root, err := s.readRoot()
	if err != nil {
		return nil, nil, err
	}
	var listed []string
	if root != nil {
		// Listed before the log is read: see listVersions.
		if listed, err = listVersions(root, function); err != nil {
			return nil, nil, err
		}
	}
	legacy, err := readLegacy(root, true)
	if err != nil {
		return nil, nil, err
	}
	h, err := readHistory(root, legacy, function, true)
	if err != nil {
		return nil, nil, err
	}
	st, err := fold(function, h.events())
	if err != nil {
		return nil, nil, err
	}
	if root != nil {
		err = checkOrphans(root, st, h, listed)
	}
	return root, st, err
}

// Get returns one version with its files, verified against its hashes.
func (s *Store) Get(ctx context.Context, function, version string) (registry.Version, error) {
	if err := checkRef(function, version); err != nil {
		return registry.Version{}, err
	}
	root, st, err := s.snapshot(ctx, function)
	if err != nil {
		return registry.Version{}, err
	}
	return load(root, st, version, true)
}

// load reads a committed version's metadata and, withFiles, its bundle.
func load(root *os.Root, st *fnState, version string, withFiles bool) (registry.Version, error) {
	v := st.versions[version]
	if v == nil {
		return registry.Version{}, notFound(st, version)
	}
	m, err := readMeta(root, *v)
	if err != nil {
		return registry.Version{}, err
	}
	if _, err := st.checkStatus(version, m.metaStatus, metaName(root, *v)); err != nil {
		return registry.Version{}, err
	}
	out := withMeta(*v, m)
	if withFiles {
		out.Files, err = readFiles(root, out, m)
	}
	return out, err
}

func notFound(st *fnState, version string) error {
	if len(st.versions) == 0 {
		return registry.Errorf(registry.ErrNotFound, "%s does not exist: no version of it was ever published", st.function)
	}
	return registry.Errorf(registry.ErrNotFound, "%s does not exist", registry.Ref(st.function, version))
}

// List returns the function's versions in semver order, without files.
func (s *Store) List(ctx context.Context, function string) ([]registry.Version, error) {
	root, st, err := s.snapshot(ctx, function)
	if err != nil {
		return nil, err
	}
	if len(st.versions) == 0 {
		return nil, notFound(st, "")
	}
	var out []registry.Version
	for _, v := range st.list() {
		full, err := load(root, st, v.Version, false)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// Active returns the active version with its files. A stale active.json
// (a crash after the log was written) is fine: the log decides. One that
// contradicts the log is ErrConflict.
func (s *Store) Active(ctx context.Context, function string) (registry.Version, error) {
	root, st, err := s.snapshot(ctx, function)
	if err != nil {
		return registry.Version{}, err
	}
	if root != nil {
		p, err := readPointer(root, function)
		if err != nil {
			return registry.Version{}, err
		}
		if _, err := st.checkPointer(p); err != nil {
			return registry.Version{}, err
		}
	}
	a := st.active()
	if a == "" {
		if len(st.versions) == 0 {
			return registry.Version{}, notFound(st, "")
		}
		return registry.Version{}, registry.Errorf(registry.ErrNotFound, "%s has no active version: none of its %d versions is approved", function, len(st.versions))
	}
	return load(root, st, a, true)
}

// Audit returns the matching events in order. It reads the log without
// verifying the chain, so a damaged log can still be inspected; use
// VerifyAudit to check it.
func (s *Store) Audit(ctx context.Context, filter registry.AuditFilter) ([]registry.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	root, err := s.readRoot()
	if err != nil {
		return nil, err
	}
	legacy, err := readLegacy(root, false)
	if err != nil {
		return nil, err
	}
	events, err := allEvents(root, legacy, false)
	if err != nil {
		return nil, err
	}
	return filter.Apply(events), nil
}
