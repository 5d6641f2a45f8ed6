package check

import (
	"testing"
	"time"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/finding"
)

// FuzzPolicy: whatever .relay.yaml parses either compiles into a policy or
// is one error; applying what compiles never panics.
func FuzzPolicy(f *testing.F) {
	for _, seed := range []string{
		"ignore:\n  - rule: operation-removed\n    reason: r\n    until: 2026-12-31\n",
		"severity: {operation-removed: info}\nfail-on: warning\n",
		"stability: {beta: info}\ndeprecation: {min-days: 90}\n",
		"ignore: [{rule: '*', operation: 'GET /**', pointer: '/a/*/b', reason: r}]\n",
		"ignore: [{rule: 'x-y', reason: r}]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse(".relay.yaml", data)
		if err != nil {
			return
		}
		pol, err := NewPolicy(cfg)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		changes := []finding.Change{{ID: "operation-removed", Level: finding.Breaking, Operation: "GET /a/b",
			Pointer: "/paths/~1a~1b/get", Affects: []string{"GET /a/b"}}}
		_, _, _ = pol.Apply(changes, time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC))
		_ = pol.RulesOptions(time.Time{})
	})
}
