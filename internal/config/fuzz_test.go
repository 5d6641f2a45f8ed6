package config

import (
	"testing"

	"github.com/relay-dev/relay/internal/load"
)

// FuzzConfig: any .relay.yaml either loads or is one error with a
// position; it never panics.
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
		if _, err := parse(file); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}
