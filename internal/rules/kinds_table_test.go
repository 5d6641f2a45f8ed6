package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relay-dev/relay/internal/load"
)

// TestEveryKindHasRules: a kind without an entry would silently be
// classified by the HTTP operation rules alone.
func TestEveryKindHasRules(t *testing.T) {
	for _, k := range load.Kinds() {
		_, ok := kindRules[k]
		assert.True(t, ok, "kind %s has no entry in rules' kindRules (kinds.go)", k)
	}
	for k := range kindRules {
		assert.True(t, k.Known(), "kindRules has %s, which load does not know", k)
	}
}
