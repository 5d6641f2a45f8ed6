package config

import (
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
)

// FuzzConfig: any .relay.yaml either loads or is one error with a
// position; applying what loads never panics.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		"ignore:\n  - rule: operation-removed\n    reason: r\n    until: 2026-12-31\n",
		"severity: {operation-removed: info}\nfail-on: warning\n",
		"contracts:\n  - {function: a/b, path: x.yaml, base: origin/main}\n",
		"stability: {beta: info}\ndeprecation: {min-days: 90}\nnotify: {webhook: https://x/y}\n",
		"ignore: [{rule: '*', operation: 'GET /**', pointer: '/a/*/b', reason: r}]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := load.ParseFile(".relay.yaml", data)
		if err != nil {
			return
		}
		cfg, err := parse(file)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		changes := []finding.Change{{ID: "operation-removed", Level: finding.Breaking, Operation: "GET /a/b",
			Pointer: "/paths/~1a~1b/get", Affects: []string{"GET /a/b"}}}
		_, _, _ = cfg.Apply(changes, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
		_ = cfg.RulesOptions(time.Time{})
	})
}
