// Package filestore is the registry backend that keeps contracts as plain
// files in the repository, so that publishing and approving show up in code
// review as ordinary diffs.
//
// # Layout
//
//	<root>/                      default .relay/registry/ in the repository
//	  .gitignore                 ignores the lock and temporary files below
//	  .gitattributes             no line-ending conversion; audit.jsonl merges with relay
//	  audit.jsonl                the global audit log of earlier relays: read, never written
//	  <team>/<name>/             one directory per function
//	    .lock                    the function's lock file
//	    audit.jsonl              the function's audit log: one JSON event per line
//	    active.json              pointer to the active version
//	    .incidents/<fp>.json     runtime drift incidents (see incidents.go)
//	    <version>/               one directory per version, e.g. 1.4.0/
//	      version.json           metadata: file list and hashes, status, review
//	      <contract files>       the bundle, at its relative paths
//
// Each function has its own hash chain, so two branches that publish or
// review different functions change different files, and git merges them
// without a conflict. A registry written by an earlier relay keeps every
// event in one global audit.jsonl; it is read, verified as one chain and
// never appended to again. A function's history is its events in that log,
// then its own log, whose first event continues the chain from the
// function's last legacy event (same next Seq, PrevHash its hash), so the
// old events stay bound to the new ones and nothing is rewritten.
//
// Content files are written once and never changed. version.json is
// rewritten (atomically) when the status changes; its file list, hashes,
// author and diff summary never change.
//
// # Commit protocol and crash safety
//
// The function's audit log is the commit point: an operation has happened
// exactly when its event is a complete line of the log. Everything else is
// either written before the event (a version's content) or derived from
// the log afterwards (statuses in version.json, active.json):
//
//   - Publish creates the function's log if it is missing (empty), then
//     writes the bundle and version.json into a temporary directory
//     .tmp-<version>-<random> beside the version directories, fsyncs every
//     file and directory in it, renames it to <version>/, fsyncs the
//     function directory, and only then appends the publish event, whose
//     detail is the bundle's SHA256. A crash before the rename leaves a
//     .tmp-* directory, which readers ignore and the next writer of the
//     function removes. A crash after the rename leaves a version directory
//     with no publish event: readers ignore it (they look up versions in
//     the log, not in the directory listing) and publishing that version
//     again replaces it, since it was never acknowledged to anyone.
//   - A status change appends its event, then rewrites version.json and,
//     when the active version changed, active.json. A crash in between
//     leaves those files behind the log; readers take statuses from the
//     log, and the next writer of the function rolls the files forward.
//   - An append is one write of one line followed by fsync. A crash during
//     it can leave a partial last line (no newline): readers ignore it and
//     the next appender truncates it away before writing.
//
// So after a crash at any point the store loads, lists and verifies, and
// holds exactly the operations that returned (or were about to return)
// success.
//
// active.json records the audit sequence number of the event that made its
// version active. A pointer that is merely behind the log (a crash) is
// rolled forward; one that names a version the log never made active at
// that point was edited by hand, and reading the active version or writing
// to the function fails with registry.ErrConflict rather than guess. The
// pointer is replaced with compare-and-swap under the function's lock.
//
// # Concurrency
//
// Writers of one function serialise on its lock file with flock(2), which
// works across processes; a function's log is only appended to under that
// lock, and every lock wait is bounded (Options.LockWait). Readers take no
// locks: every file they read is replaced atomically (rename) or only ever
// appended to, and they read the log before the directories it names.
//
// All paths are opened through an os.Root, so a symbolic link committed
// into the registry cannot lead a read or a write outside it.
//
// # Verification and its limits
//
// Get, List, Active and every write verify the whole hash chain first and
// fail closed with registry.ErrTampered; Get and Active also check every
// file against version.json and the bundle against the SHA256 in its
// publish event. Audit lists events without verifying, so a damaged log
// can still be inspected. A hash chain cannot notice events cut off its
// end: that needs the log's history in version control. Two branches that
// both appended to one function's log conflict in git; MergeLogs (behind
// `relay registry merge-driver`) re-chains them deterministically.
package filestore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// DefaultDir is the registry's directory relative to the repository root.
const DefaultDir = ".relay/registry"

// Names inside the root. Teams must start with a letter or digit, so
// dot-files cannot collide with them; auditFile is refused as a team name.
const (
	auditFile = "audit.jsonl"
	// auditLock was the global log's lock; still ignored, for old checkouts.
	auditLock     = ".audit.lock"
	gitignore     = ".gitignore"
	gitattributes = ".gitattributes"
	fnLock        = ".lock"
	activeFile    = "active.json"
	tmpPrefix     = ".tmp-"
)

// gitattributesText keeps git from converting line endings in the stored
// bytes (core.autocrlf would otherwise make every checkout fail its
// hashes) and names the merge driver for the audit logs.
const gitattributesText = "# relay contract registry: stored bytes are never converted, and audit logs merge with\n" +
	"#   git config merge.relay-audit.driver \"relay registry merge-driver %O %A %B %P\"\n" +
	"* -text\n" + auditFile + " merge=relay-audit\n"

// gitignoreText keeps lock and temporary files out of commits.
const gitignoreText = "# relay contract registry: lock and temporary files are not part of the record.\n" +
	auditLock + "\n" + fnLock + "\n" + tmpPrefix + "*\n"

// Options configures a Store.
type Options struct {
	// Clock stamps events; nil means the wall clock.
	Clock func() time.Time
	// LockWait bounds every wait for a lock another writer holds; 0 means
	// DefaultLockWait.
	LockWait time.Duration
}

// Store is the file-backed registry.Store.
type Store struct {
	dir      string
	clock    registry.Clock
	lockWait time.Duration

	mu      sync.Mutex
	root    *os.Root // nil until the directory exists
	ignored bool     // .gitignore and .gitattributes checked by this Store
}

var _ registry.Store = (*Store)(nil)

// Open returns the store kept in dir. The directory is created by the
// first write, so reading a repository without a registry changes nothing.
func Open(dir string, opts Options) (*Store, error) {
	s := &Store{dir: dir, clock: opts.Clock, lockWait: opts.LockWait}
	if s.lockWait <= 0 {
		s.lockWait = DefaultLockWait
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("cannot open the registry %s: %w", dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("the registry %s is not a directory", dir)
	}
	if s.root, err = os.OpenRoot(dir); err != nil {
		return nil, fmt.Errorf("cannot open the registry %s: %w", dir, err)
	}
	return s, nil
}

// Dir is the directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// Close releases the directory handle.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == nil {
		return nil
	}
	err := s.root.Close()
	s.root = nil
	return err
}

// writeRoot returns the root, creating the directory on first use and
// making sure it has its .gitignore and .gitattributes.
func (s *Store) writeRoot() (*os.Root, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == nil {
		if err := os.MkdirAll(s.dir, 0o755); err != nil {
			return nil, fmt.Errorf("cannot create the registry %s: %w", s.dir, err)
		}
		root, err := os.OpenRoot(s.dir)
		if err != nil {
			return nil, fmt.Errorf("cannot open the registry %s: %w", s.dir, err)
		}
		s.root = root
	}
	if !s.ignored {
		if err := ensureFile(s.root, gitignore, []byte(gitignoreText)); err != nil {
			return nil, err
		}
		if err := ensureFile(s.root, gitattributes, []byte(gitattributesText)); err != nil {
			return nil, err
		}
		s.ignored = true
	}
	return s.root, nil
}

// ensureFile writes name unless it exists; a concurrent creator wins.
func ensureFile(root *os.Root, name string, data []byte) error {
	if _, err := root.Stat(name); err == nil {
		return nil
	}
	err := writeAtomic(root, name, data)
	if err != nil {
		return fmt.Errorf("cannot write %s in the registry: %w", name, err)
	}
	return nil
}

// checkFunction validates a function name for this layout.
func checkFunction(function string) error {
	if err := registry.ValidateFunction(function); err != nil {
		return err
	}
	if team, _, _ := strings.Cut(function, "/"); team == auditFile {
		return registry.Errorf(registry.ErrInvalid, "function name %q is reserved: the registry keeps its audit log under that name", function)
	}
	return nil
}

// checkRef validates function and version.
func checkRef(function, version string) error {
	if err := checkFunction(function); err != nil {
		return err
	}
	_, err := registry.ParseVersion(version)
	return err
}

// fnDir is the function's directory inside the root.
func fnDir(function string) string { return function }

// versionDir is the version's directory inside the root.
func versionDir(function, version string) string { return path.Join(function, version) }

// testHook, when set by a test, is called at the named stages of a
// publish, so a test can stop or kill the process exactly there.
var testHook func(stage string)

func hook(stage string) {
	if testHook != nil {
		testHook(stage)
	}
}
