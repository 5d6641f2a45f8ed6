package cli

import (
	"bytes"
	"context"
	"path"
	"path/filepath"

	"github.com/relay-dev/relay/internal/config"
)

// changeSet is the files that differ from a revision, as slash paths from
// the repository root, plus where the configuration sits in that tree.
type changeSet struct {
	// prefix is the configuration directory's path from the repository
	// root ("" or ending in '/'): manifest paths are relative to it.
	prefix string
	files  map[string]bool
}

// changedSince asks git which files differ between rev and the working
// tree. Untracked files count too: a contract (or a sibling it $refs)
// that is new and not yet added has changed as much as an edited one.
func changedSince(dir, rev string) (*changeSet, error) {
	g := gitRepo{dir: dir}
	prefix, err := g.prefix("--changed-since " + rev)
	if err != nil {
		return nil, err
	}
	commit, err := g.resolve(rev)
	if err != nil {
		return nil, err
	}
	// --no-relative and --full-name keep every path root-relative whatever
	// the user's diff.relative setting and the directory git runs in.
	diffOut, err := g.run("diff", "--no-relative", "--name-only", "-z", commit, "--")
	if err != nil {
		return nil, err
	}
	untracked, err := g.run("ls-files", "--full-name", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, err
	}
	cs := &changeSet{prefix: prefix, files: map[string]bool{}}
	for _, out := range [][]byte{diffOut, untracked} {
		for _, p := range bytes.Split(out, []byte{0}) {
			if len(p) > 0 {
				cs.files[string(p)] = true
			}
		}
	}
	return cs, nil
}

// touches reports whether the entry's contract, or any file it reaches
// through $ref, is in the set. The revision is loaded to learn its files;
// one that does not load counts as changed, so its error is reported by
// the diff rather than hidden as "unchanged".
func (cs *changeSet) touches(ctx context.Context, eo *DiffOptions, ct *config.Contract) bool {
	if cs.files[path.Join(cs.prefix, ct.Path)] {
		return true
	}
	rev, err := eo.load(ctx, eo.Revision, "revision")
	if err != nil {
		return true
	}
	dir := path.Join(cs.prefix, path.Dir(ct.Path))
	for _, f := range rev.Doc.Files {
		if p, local := rev.Doc.Paths[f]; local && cs.files[path.Join(dir, filepath.ToSlash(p))] {
			return true
		}
	}
	return false
}
