package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/rules"
)

// TestIDHistory: testdata/ids.txt lists every rule ID relay ever shipped.
// Each must still be in the catalog or be retired with a recorded reason
// and replacements that exist. -update appends new IDs; it never drops one.
func TestIDHistory(t *testing.T) {
	path := filepath.Join("testdata", "ids.txt")
	data, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./internal/rules -run TestIDHistory -update")
	shipped := map[string]bool{}
	for _, id := range strings.Fields(string(data)) {
		shipped[id] = true
	}
	for id := range shipped {
		if rules.ByID(id) != nil {
			assert.Nil(t, rules.RetiredByID(id), "%s is both in the catalog and retired", id)
			continue
		}
		old := rules.RetiredByID(id)
		if !assert.NotNil(t, old, "rule %s left the catalog without a record in retired.go", id) {
			continue
		}
		assert.NotEmpty(t, old.Reason, id)
		assert.NotEmpty(t, old.Since, id)
		for _, r := range old.Replacements {
			assert.NotNil(t, rules.ByID(r), "%s is replaced by %s, which is not in the catalog", id, r)
		}
	}
	var missing []string
	for _, r := range rules.All() {
		if !shipped[r.ID] {
			missing = append(missing, r.ID)
		}
	}
	if *update && len(missing) > 0 {
		all := append(strings.Fields(string(data)), missing...)
		sort.Strings(all)
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(all, "\n")+"\n"), 0o644))
		return
	}
	assert.Empty(t, missing, "new rules missing from testdata/ids.txt; run with -update")
}
