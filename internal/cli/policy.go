package cli

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// printNotices writes the policy's notices (retired rule IDs) to stderr.
func printNotices(ios *iostreams.IOStreams, pol *check.Policy) {
	for _, n := range pol.Notices {
		fmt.Fprintln(ios.ErrOut, "relay: "+n)
	}
}

// printStale warns about ignores that matched nothing.
func printStale(ios *iostreams.IOStreams, pol *check.Policy, stale []report.StaleIgnore) {
	for _, s := range stale {
		fmt.Fprintln(ios.ErrOut, staleWarning(pol, s))
	}
}

// staleWarning is the warning for one stale ignore, escaped: the entry's
// rule, operation and pointer are .relay.yaml text a pull request writes.
func staleWarning(pol *check.Policy, s report.StaleIgnore) string {
	return safe(pol.StaleWarning(s))
}

// config loads .relay.yaml (explicit --config, else the nearest one up
// from the working directory), or returns nil when there is none.
func (opts *DiffOptions) config() (*config.Config, error) {
	return loadConfig(opts.ConfigPath)
}

// policy loads .relay.yaml and compiles its diff policy against the rule
// catalog. It runs before the contracts are loaded: a broken policy is
// reported as such.
func (opts *DiffOptions) policy() (*check.Policy, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	return check.NewPolicy(cfg)
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
	return writeReportFile(path, buf.Bytes())
}
