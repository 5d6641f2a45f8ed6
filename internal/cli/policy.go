package cli

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// applyPolicy applies ignores and severity overrides and settles the fail
// threshold: an explicit --fail-on beats the file's fail-on. It prints
// nothing: --all runs it concurrently and decides what to say once.
func (opts *DiffOptions) applyPolicy(cfg *config.Config, changes []finding.Change) ([]finding.Change, []report.StaleIgnore, finding.Level, error) {
	failOn := opts.FailOn
	if cfg != nil && cfg.FailOn != "" && !opts.FailOnSet {
		failOn = cfg.FailOn
	}
	kept, stale, err := cfg.Apply(changes, opts.Now)
	if err != nil {
		return nil, nil, "", err
	}
	return kept, stale, failOn, nil
}

// printNotices writes the configuration's notices (retired rule IDs) to stderr.
func printNotices(ios *iostreams.IOStreams, cfg *config.Config) {
	if cfg == nil {
		return
	}
	for _, n := range cfg.Notices {
		fmt.Fprintln(ios.ErrOut, "relay: "+n)
	}
}

// printStale warns about ignores that matched nothing.
func printStale(ios *iostreams.IOStreams, cfg *config.Config, stale []report.StaleIgnore) {
	for _, s := range stale {
		fmt.Fprintln(ios.ErrOut, config.StaleWarning(cfg.Path, s))
	}
}

// config loads .relay.yaml (explicit --config, else the nearest one up
// from the working directory), or returns nil when there is none. It runs
// before the contracts are loaded: a broken policy is reported as such.
func (opts *DiffOptions) config() (*config.Config, error) {
	return loadConfig(opts.ConfigPath)
}

// loadConfig loads the explicit path, else .relay.yaml found from the
// working directory up; nil when there is none.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, nil //nolint:nilerr // no working directory means no implicit config, not a failure
		}
		if path = config.Find(wd); path == "" {
			return nil, nil
		}
	}
	return config.Load(path)
}

// writeBaseline writes the ignore list for today's findings atomically.
func writeBaseline(path string, changes []finding.Change, now time.Time) error {
	var buf bytes.Buffer
	if err := config.WriteBaseline(&buf, changes, now); err != nil {
		return err
	}
	return writeFileAtomic(path, buf.Bytes())
}
