package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/registry"
)

// VerifyAudit checks everything the registry's hashes and history
// protect, and reports every problem it finds, one sentence each: every
// hash chain (the legacy log and each function's log); that each
// function's events replay; and, per function, that every version the log
// names has its version.json agreeing with the log (permanent fields and
// status) and every stored file matching its hash; that active.json
// agrees with the log; and that no version directory exists that the log
// does not name (a deleted, emptied or cut log).
func (s *Store) VerifyAudit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := s.readRoot()
	if err != nil || root == nil {
		return err
	}
	legacy, err := readLegacy(root, true)
	if err != nil {
		return err
	}
	fns, err := functions(root, legacy)
	if err != nil {
		return err
	}
	var problems []error
	for _, fn := range fns {
		if err := ctx.Err(); err != nil {
			return err
		}
		problems = append(problems, verifyFunction(root, legacy, fn)...)
	}
	return errors.Join(problems...)
}

// verifyFunction returns the problems of one function.
func verifyFunction(root *os.Root, legacy *auditLog, function string) []error {
	listed, err := listVersions(root, function)
	if err != nil {
		return []error{err}
	}
	h, err := readHistory(root, legacy, function, true)
	if err != nil {
		return []error{err}
	}
	st, err := fold(function, h.events())
	if err != nil {
		return []error{err}
	}
	if err := checkOrphans(root, st, h, listed); err != nil {
		return []error{err} // a missing history explains everything else
	}
	var problems []error
	for _, v := range st.list() {
		if _, err := load(root, st, v.Version, true); err != nil {
			problems = append(problems, err)
		}
	}
	if p, err := readPointer(root, function); err != nil {
		problems = append(problems, err)
	} else if _, err := st.checkPointer(p); err != nil {
		problems = append(problems, err)
	}
	return problems
}

// listVersions names the version directories of function. Readers, who
// take no lock, list them before they read the log: every publish they see
// then either is in the log they read or is the one publish in progress,
// since writers of a function are serialised.
func listVersions(root *os.Root, function string) ([]string, error) {
	entries, err := readDir(root, fnDir(function))
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", displayName(root, fnDir(function)), err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := registry.ParseVersion(e.Name()); err == nil {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// checkOrphans refuses version directories the log does not name, except
// the one a publish that crashed before its commit (or is committing now)
// may leave: a pending version created after the function's last event, in
// a function whose log exists (publish creates the log before any
// content). listed comes from listVersions.
func checkOrphans(root *os.Root, st *fnState, h *history, listed []string) error {
	_, err := findOrphans(root, st, h, listed)
	return err
}

// findOrphans is checkOrphans, also returning the crash leftover, if any.
func findOrphans(root *os.Root, st *fnState, h *history, listed []string) (leftover string, err error) {
	_, statErr := root.Stat(fnLogName(st.function))
	logMissing := errors.Is(statErr, fs.ErrNotExist) && len(h.legacy) == 0
	var orphans []string
	for _, name := range listed {
		if st.versions[name] != nil {
			continue
		}
		if _, err := root.Stat(versionDir(st.function, name)); errors.Is(err, fs.ErrNotExist) {
			continue // a leftover the function's writer cleared since
		}
		orphans = append(orphans, name)
	}
	// Writers of a function are serialised, so a crash leaves at most one.
	switch {
	case len(orphans) == 0:
		return "", nil
	case len(orphans) == 1 && !logMissing && crashLeftover(root, st, orphans[0]):
		return orphans[0], nil
	}
	slices.SortFunc(orphans, registry.CompareVersions)
	logName := displayName(root, fnLogName(st.function))
	if logMissing {
		return "", registry.Errorf(registry.ErrTampered, "%s has stored versions (%s) but no audit log: %s was deleted; restore it from version control",
			st.function, strings.Join(orphans, ", "), logName)
	}
	return "", registry.Errorf(registry.ErrTampered, "%s has stored versions that its audit log %s never published (%s): the log was emptied or cut; restore it from version control",
		st.function, logName, strings.Join(orphans, ", "))
}

// crashLeftover reports whether the unlogged version directory looks like
// what a publish that crashed before its commit leaves behind.
func crashLeftover(root *os.Root, st *fnState, version string) bool {
	data, err := root.ReadFile(path.Join(versionDir(st.function, version), registry.MetadataFile))
	if err != nil {
		return false
	}
	var m meta
	if decodeJSON(data, &m) != nil {
		return false
	}
	return m.Status == registry.Pending && m.Function == st.function && m.Version == version &&
		!m.CreatedAt.Before(st.lastTime)
}
