package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
)

// A version's diff and number were checked against the version active
// when it was proposed. Two proposals made against the same active version
// race: once one is approved, the other may remove what the first added,
// and a number that followed semver against the old active version no
// longer does against the new one. approve therefore checks the proposal
// again, against the version active now, before the decision is written.

// checkCurrent refuses to approve function@version when it was proposed
// against another version than the one active now and no longer follows
// the version policy against it. The refusal names the active version and
// the command that re-proposes the contract.
func (o *ApproveOptions) checkCurrent(ctx context.Context, s registry.Store) error {
	list, err := s.List(ctx, o.Function)
	if err != nil {
		return err
	}
	var stored *registry.Version
	for i := range list {
		if list[i].Version == o.Version {
			stored = &list[i]
		}
	}
	if stored == nil || stored.Status != registry.Pending {
		return nil // Apply explains what is wrong with a missing or decided version
	}
	active, err := s.Active(ctx, o.Function)
	if registry.IsNotFound(err) {
		return nil // nothing approved: the proposal's own diff is all there is
	}
	if err != nil {
		return err
	}
	if proposedAgainst(*stored) == active.Version {
		return nil
	}
	v, err := s.Get(ctx, o.Function, o.Version)
	if err != nil {
		return err
	}
	diff, err := o.rediff(ctx, v, active)
	if err != nil {
		return err
	}
	if _, err := registry.NextVersion(v.Version, active, diff, ""); err == nil {
		return nil
	}
	return o.staleError(v, active, diff, list)
}

// proposedAgainst is the version a proposal was compared with; "" for a
// function's first version.
func proposedAgainst(v registry.Version) string {
	if v.Diff == nil {
		return ""
	}
	return v.Diff.Base
}

// rediff compares the proposal's stored bundle with the active version
// through the same engine and policy as publish.
func (o *ApproveOptions) rediff(ctx context.Context, v, active registry.Version) (*registry.DiffSummary, error) {
	lo := load.Options{FS: bundleFS(v.Files), Path: v.Main, Display: "registry:" + v.Ref() + "/" + v.Main,
		Kind: load.Kind(v.Kind)}
	doc, err := load.Load(lo)
	if err != nil {
		return nil, check.LoadError(err, "revision", lo.Display)
	}
	d := &DiffOptions{IO: o.IO, Registry: o.Registry, Getenv: o.Getenv, Function: o.Function, Kind: load.Kind(v.Kind),
		Revision: sideSpec{Kind: sideRegistry, Raw: "registry:" + v.Ref()}, FailOn: finding.Breaking,
		Validate: check.ValidateOff, revisionLoaded: &check.Loaded{Doc: doc, Options: lo}}
	return publishDiff(ctx, d, active)
}

// staleError is the refusal: what the proposal was checked against, what
// is active now, why the number no longer fits, and how to re-propose.
func (o *ApproveOptions) staleError(v, active registry.Version, diff *registry.DiffSummary, list []registry.Version) error {
	against := "as the function's first version"
	if base := proposedAgainst(v); base != "" {
		against = "against " + base
	}
	from, err := registry.ParseVersion(active.Version)
	if err != nil {
		return err
	}
	want := freeVersion(from.Next(registry.BumpFor(diff.Verdict)), list)
	why := fmt.Sprintf("%s is not greater than it", v.Version)
	if to, err := registry.ParseVersion(v.Version); err == nil && to.Compare(from) > 0 {
		why = fmt.Sprintf("the diff against it is %s (%d breaking, %d warning, %d non-breaking, %d info): a %s bump no longer covers it",
			orDash(diff.Verdict), diff.Breaking, diff.Warning, diff.NonBreaking, diff.Info, registry.BumpOf(from, to))
	}
	return registry.Errorf(registry.ErrConflict, "%s was proposed %s, but %s is active now and %s; nothing was recorded; "+
		"update the contract (keep what %s added, or at least its own version, since identical content is refused) "+
		"and re-propose it with: relay contract publish --function %s --contract %s --version %s",
		v.Ref(), against, active.Ref(), why, active.Version, v.Function, contractPathOf(v), want)
}

// freeVersion is want, or the next patch after it that no version of the
// function holds yet (2.0.0 may itself be pending): still the bump the
// diff needs, and a number publish accepts.
func freeVersion(want registry.SemVer, list []registry.Version) string {
	taken := map[string]bool{}
	for _, v := range list {
		taken[v.Version] = true
	}
	for taken[want.String()] {
		want = want.Next(registry.BumpPatch)
	}
	return want.String()
}

// contractPathOf is where the function's contract lives for the command
// line: its .relay.yaml manifest entry, relative to the working directory,
// else the name it was published under.
func contractPathOf(v registry.Version) string {
	cfg, err := loadConfig("")
	if err != nil || cfg == nil {
		return v.Main
	}
	for _, c := range cfg.Contracts {
		if c.Function != v.Function {
			continue
		}
		p := filepath.Join(filepath.Dir(cfg.Path), filepath.FromSlash(c.Path))
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil {
				return rel
			}
		}
		return p
	}
	return v.Main
}
