package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/relay-dev/relay/internal/load"
)

// TestEveryKindHasAModel: a kind that load recognises but the differ cannot
// read would pass --kind and sniffing, then fail every diff.
func TestEveryKindHasAModel(t *testing.T) {
	for _, k := range load.Kinds() {
		m, ok := kindModels[k]
		if !assert.True(t, ok, "kind %s has no entry in diff's kindModels (kinds.go)", k) {
			continue
		}
		assert.NotNil(t, m.build, "kind %s has no builder", k)
		assert.NotEmpty(t, m.family, "kind %s has no family", k)
	}
	for k := range kindModels {
		assert.True(t, k.Known(), "kindModels has %s, which load does not know", k)
	}
}
