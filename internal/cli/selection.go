package cli

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sync"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/iostreams"
)

// selection is --all's FILE arguments: the entries whose contract, or a
// file it reaches through $ref, is one of them. The pre-commit hook passes
// the staged files, so a change to a $ref'd schema checks the contracts
// that use it.
type selection struct {
	args []string
	// keys maps each argument's path relative to the configuration's
	// directory (slash-separated) to the argument as given.
	keys   map[string]string
	config string // the configuration file, for messages

	mu  sync.Mutex
	hit map[string]bool // arguments that reached an entry
}

func newSelection(args []string) *selection {
	return &selection{args: args, keys: map[string]string{}, hit: map[string]bool{}}
}

// resolve reads the arguments relative to the configuration's directory,
// where manifest paths are rooted. A file outside it reaches no entry.
func (s *selection) resolve(cfgPath string) {
	s.config = displayPath(cfgPath)
	dir, err := filepath.Abs(filepath.Dir(cfgPath))
	if err != nil {
		return
	}
	for _, a := range s.args {
		abs, err := filepath.Abs(a)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(dir, abs); err == nil && filepath.IsLocal(rel) {
			s.keys[filepath.ToSlash(rel)] = a
		}
	}
}

// touches reports whether an argument is the entry's contract or a file it
// $refs. A revision that does not load counts as reached, so that its
// error is reported rather than skipped.
func (s *selection) touches(ctx context.Context, eo *DiffOptions, ct *config.Contract) bool {
	main := path.Clean(ct.Path)
	files := []string{main}
	rev, err := eo.load(ctx, eo.Revision, "revision")
	if err == nil {
		dir := path.Dir(main)
		for _, f := range rev.Doc.Files {
			if p, local := rev.Doc.Paths[f]; local {
				files = append(files, path.Join(dir, filepath.ToSlash(p)))
			}
		}
	}
	reached := err != nil
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range files {
		if a, ok := s.keys[f]; ok {
			s.hit[a] = true
			reached = true
		}
	}
	return reached
}

// report says which arguments belong to no contract, one line each, and
// keeps the results of the entries the arguments reached.
func (s *selection) report(ios *iostreams.IOStreams, results []*entryResult) []*entryResult {
	for _, a := range s.args {
		if !s.hit[a] {
			fmt.Fprintf(ios.ErrOut, "relay: %s belongs to no contract of %s; skipped\n", quoteOdd(a), s.config)
		}
	}
	var kept []*entryResult
	for _, r := range results {
		if r.selected {
			kept = append(kept, r)
		}
	}
	return kept
}

// quoteOdd quotes a file name that would not read as one on a line of its
// own (a newline, leading or trailing spaces, control characters).
func quoteOdd(name string) string {
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Sprintf("%q", name)
		}
	}
	if name != "" && (name[0] == ' ' || name[len(name)-1] == ' ') {
		return fmt.Sprintf("%q", name)
	}
	return name
}
