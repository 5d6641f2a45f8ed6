package finding_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
)

func TestParseLevelAcceptsExactlyTheFourLevels(t *testing.T) {
	for _, l := range finding.Levels {
		got, err := finding.ParseLevel(string(l))
		require.NoError(t, err)
		assert.Equal(t, l, got)
	}
	for _, bad := range []string{"", "Breaking", "error", "nonbreaking"} {
		_, err := finding.ParseLevel(bad)
		assert.Error(t, err, bad)
	}
}

func TestRankOrdersMostSevereFirst(t *testing.T) {
	for i := 1; i < len(finding.Levels); i++ {
		assert.Greater(t, finding.Levels[i-1].Rank(), finding.Levels[i].Rank())
	}
	assert.Equal(t, -1, finding.Level("fatal").Rank())
}

func TestSortIsByLevelThenOperationPointerIDMessage(t *testing.T) {
	cs := []finding.Change{
		{ID: "b", Level: finding.Info, Operation: "GET /a"},
		{ID: "z", Level: finding.Breaking, Operation: "GET /b", Pointer: "/x"},
		{ID: "a", Level: finding.Breaking, Operation: "GET /b", Pointer: "/x", Message: "2"},
		{ID: "a", Level: finding.Breaking, Operation: "GET /b", Pointer: "/x", Message: "1"},
		{ID: "y", Level: finding.Breaking, Operation: "GET /a", Pointer: "/y"},
		{ID: "c", Level: finding.Warning},
	}
	finding.Sort(cs)
	var got []string
	for _, c := range cs {
		got = append(got, c.ID+c.Message)
	}
	assert.Equal(t, []string{"y", "a1", "a2", "z", "c", "b"}, got)
}
