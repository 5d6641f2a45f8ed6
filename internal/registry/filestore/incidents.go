package filestore

// Drift incidents live beside the function they drift from:
//
//	<team>/<name>/.incidents/<fingerprint>.json
//
// one JSON file per incident, replaced atomically. They are written under
// the function's lock, so two processes recording the same fingerprint at
// once serialise and both counts land; a status change appends its audit
// event to the function's log (the commit point) and then rewrites the
// file, in the same write. Readers take no lock.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
)

const incidentsDir = ".incidents"

var _ registry.IncidentStore = (*Store)(nil)

func incidentName(function, fp string) string {
	return path.Join(fnDir(function), incidentsDir, fp+".json")
}

// RecordIncidents folds the events into their incidents, one locked write
// per function.
func (s *Store) RecordIncidents(ctx context.Context, events []event.Event) error {
	byFn := map[string][]event.Event{}
	for _, e := range events {
		if err := registry.CheckDriftEvent(e); err != nil {
			return err
		}
		byFn[e.Function] = append(byFn[e.Function], e)
	}
	var errs []error
	for _, fn := range slices.Sorted(func(yield func(string) bool) {
		for fn := range byFn {
			if !yield(fn) {
				return
			}
		}
	}) {
		// One function's failure (not in the registry) does not lose the
		// other functions' drift.
		if err := s.recordFunction(ctx, fn, byFn[fn]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Store) recordFunction(ctx context.Context, function string, events []event.Event) error {
	if err := s.checkKnown(function, events[0].Fingerprint); err != nil {
		return err
	}
	_, err := s.write(ctx, function, "", false, func(sess *session) (registry.Version, error) {
		if len(sess.st.versions) == 0 {
			return registry.Version{}, notInRegistry(function, events[0].Fingerprint)
		}
		dir := path.Join(fnDir(function), incidentsDir)
		if err := mkdirAllSync(sess.root, dir); err != nil {
			return registry.Version{}, fmt.Errorf("cannot create %s: %w", displayName(sess.root, dir), err)
		}
		if err := removeTemps(sess.root, dir); err != nil {
			return registry.Version{}, fmt.Errorf("cannot clean up %s: %w", displayName(sess.root, dir), err)
		}
		for _, e := range events {
			if err := sess.recordOne(e, s.clock); err != nil {
				return registry.Version{}, err
			}
		}
		return registry.Version{}, nil
	})
	return err
}

// recordOne merges e into its incident file; a reopen is committed to the
// audit log before the file says so.
func (sess *session) recordOne(e event.Event, clock registry.Clock) error {
	cur, err := readIncident(sess.root, incidentName(e.Function, e.Fingerprint))
	if err != nil {
		return err
	}
	next, reopened := registry.RecordInto(cur, e, clock.Stamp())
	if reopened {
		if _, err := sess.commit(registry.ReopenEvent(next)); err != nil {
			return err
		}
	}
	return writeAtomic(sess.root, incidentName(e.Function, e.Fingerprint), encodeJSON(next))
}

// checkKnown refuses a function the registry does not have, with a message
// that says so rather than naming a version.
func (s *Store) checkKnown(function, fp string) error {
	root, err := s.readRoot()
	if err != nil {
		return err
	}
	if root != nil {
		// The directory, not its log: a function of a legacy registry has
		// its events in the global log only. The write checks its versions.
		if _, err := root.Stat(fnDir(function)); err == nil {
			return nil
		}
	}
	return notInRegistry(function, fp)
}

func notInRegistry(function, fp string) error {
	return registry.Errorf(registry.ErrNotFound, "drift %s names %s, which has no version in the registry; publish the contract first", fp, function)
}

// readIncident reads one incident file; nil when it does not exist.
func readIncident(root *os.Root, name string) (*registry.Incident, error) {
	data, err := root.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", displayName(root, name), err)
	}
	var in registry.Incident
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, registry.Errorf(registry.ErrTampered, "%s is not a valid incident: %v", displayName(root, name), err)
	}
	if want := strings.TrimSuffix(path.Base(name), ".json"); in.Drift.Fingerprint != want {
		return nil, registry.Errorf(registry.ErrTampered, "%s holds incident %q, not %s", displayName(root, name), in.Drift.Fingerprint, want)
	}
	if !slices.Contains(registry.IncidentStatuses, in.Status) {
		return nil, registry.Errorf(registry.ErrTampered, "%s has the status %q, which is not open, acknowledged or resolved", displayName(root, name), in.Status)
	}
	return &in, nil
}

// ListIncidents reads every matching incident file.
func (s *Store) ListIncidents(ctx context.Context, f registry.IncidentFilter) ([]registry.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	root, err := s.readRoot()
	if err != nil || root == nil {
		return nil, err
	}
	fns := []string{f.Function}
	if f.Function == "" {
		legacy, err := readLegacy(root, false)
		if err != nil {
			return nil, err
		}
		if fns, err = functions(root, legacy); err != nil {
			return nil, err
		}
	}
	var out []registry.Incident
	for _, fn := range fns {
		ins, err := functionIncidents(root, fn)
		if err != nil {
			return nil, err
		}
		for _, in := range ins {
			if f.Match(in) {
				out = append(out, in)
			}
		}
	}
	registry.SortIncidents(out)
	return out, nil
}

func functionIncidents(root *os.Root, function string) ([]registry.Incident, error) {
	dir := path.Join(fnDir(function), incidentsDir)
	entries, err := readDir(root, dir)
	if err != nil {
		return nil, fmt.Errorf("cannot list %s: %w", displayName(root, dir), err)
	}
	var out []registry.Incident
	for _, e := range entries {
		fp, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || registry.ValidateFingerprint(fp) != nil {
			continue // temporary files and anything that is not an incident
		}
		in, err := readIncident(root, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if in != nil {
			out = append(out, *in)
		}
	}
	return out, nil
}

// SetIncidentStatus finds the incident's function, then changes it under
// that function's lock.
func (s *Store) SetIncidentStatus(ctx context.Context, c registry.IncidentChange) (registry.Incident, error) {
	if err := c.Validate(); err != nil {
		return registry.Incident{}, err
	}
	all, err := s.ListIncidents(ctx, registry.IncidentFilter{})
	if err != nil {
		return registry.Incident{}, err
	}
	i := slices.IndexFunc(all, func(in registry.Incident) bool { return in.Drift.Fingerprint == c.Fingerprint })
	if i < 0 {
		return registry.Incident{}, registry.Errorf(registry.ErrNotFound, "there is no drift incident %s", c.Fingerprint)
	}
	function := all[i].Drift.Function
	var out registry.Incident
	_, err = s.write(ctx, function, all[i].Drift.Version, false, func(sess *session) (registry.Version, error) {
		name := incidentName(function, c.Fingerprint)
		cur, err := readIncident(sess.root, name)
		if err != nil || cur == nil {
			return registry.Version{}, err
		}
		if err := c.Decide(*cur); err != nil {
			return registry.Version{}, err
		}
		now := s.clock.Stamp()
		out = c.Apply(*cur, now)
		if _, err := sess.commit(c.Event(out, now)); err != nil {
			return registry.Version{}, err
		}
		if err := writeAtomic(sess.root, name, encodeJSON(out)); err != nil {
			return registry.Version{}, registry.AfterCommit(fmt.Errorf(
				"incident %s is %s in the audit log, but rewriting %s failed: %w", c.Fingerprint, c.To, displayName(sess.root, name), err))
		}
		return registry.Version{}, nil
	})
	return out, err
}
