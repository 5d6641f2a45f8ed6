package proxy

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/relay-dev/relay/internal/registry"
)

// ActiveStore is what RegistrySource needs of a registry: registry.Store
// (file store or PostgreSQL) satisfies it.
type ActiveStore interface {
	Active(ctx context.Context, function string) (registry.Version, error)
}

// BuildFunc turns a registry version into a checker.
type BuildFunc func(ctx context.Context, v registry.Version) (Checker, error)

// RegistrySource follows a function's active version by polling the
// registry every Interval. Polling is deliberately simple: it works the
// same on the file store (no inotify, so network file systems and
// containers' bind mounts behave) and on PostgreSQL, and costs one read of
// the active version per interval. A version is rebuilt only when its
// identity (version and bundle digest) changes, so a poll that finds the
// same version does no work.
type RegistrySource struct {
	Store    ActiveStore
	Function string
	Build    BuildFunc
	Interval time.Duration // default 2 s
	// Logf reports failed polls; nil discards. A failed poll keeps the
	// current checker.
	Logf func(format string, args ...any)

	mu      sync.Mutex
	current Checker
	name    string
	sha     string
	failed  string // the identity of a version that did not build: not retried
	changed chan struct{}
	once    sync.Once
}

// Changed fires when a poll found a new active version and built its
// checker.
func (s *RegistrySource) Changed() <-chan struct{} {
	s.init()
	return s.changed
}

func (s *RegistrySource) init() {
	s.once.Do(func() { s.changed = make(chan struct{}, 1) })
}

// Current returns the checker of the latest active version seen; the
// first call reads the registry.
func (s *RegistrySource) Current(ctx context.Context) (Checker, string, error) {
	s.init()
	s.mu.Lock()
	c, name := s.current, s.name
	s.mu.Unlock()
	if c != nil {
		return c, name, nil
	}
	if _, err := s.poll(ctx); err != nil {
		return nil, "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current, s.name, nil
}

// Watch polls until ctx ends.
func (s *RegistrySource) Watch(ctx context.Context) {
	s.init()
	interval := s.Interval
	if interval <= 0 {
		interval = 2 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		changed, err := s.poll(ctx)
		switch {
		case err != nil && s.Logf != nil && ctx.Err() == nil:
			s.Logf("could not check %s for a newly approved version: %v", s.Function, err)
		case changed:
			select {
			case s.changed <- struct{}{}:
			default: // a swap is already pending; it will read the latest
			}
		}
	}
}

// poll reads the active version and builds its checker when it is new.
func (s *RegistrySource) poll(ctx context.Context) (bool, error) {
	v, err := s.Store.Active(ctx, s.Function)
	if registry.IsNotFound(err) {
		return false, fmt.Errorf("%s has no approved version in the registry: publish and approve one", s.Function)
	}
	if err != nil {
		return false, err
	}
	id := v.Version + "\x00" + v.SHA256
	s.mu.Lock()
	same := s.current != nil && s.sha == id || s.failed == id
	s.mu.Unlock()
	if same {
		return false, nil
	}
	c, err := s.Build(ctx, v)
	if err == nil && c == nil {
		err = errors.New("no checker was built")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed = id // reported once; the same bytes will not build next time either
		return false, fmt.Errorf("cannot judge traffic against %s: %w", v.Ref(), err)
	}
	s.current, s.name, s.sha, s.failed = c, v.Ref(), id, ""
	return true, nil
}
