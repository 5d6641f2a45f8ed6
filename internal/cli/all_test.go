package cli

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/iostreams"
)

func TestEntrySlugs(t *testing.T) {
	got := entrySlugs([]*config.Contract{
		{Function: "my-team/payments", Path: "a.yaml"},
		{Path: "docs/contracts/orders.v2.yaml"},
		{Path: "summary.yaml"},
		{Function: "my-team/payments", Path: "b.yaml"},
		{Path: "docs/contracts/orders.v2.json"},
		{Path: "é/.yaml"},
	})
	assert.Equal(t, []string{"my-team-payments", "docs-contracts-orders.v2", "summary-2", "my-team-payments-2", "docs-contracts-orders.v2-2", "contract"}, got)
}

func TestPlanAllOutputs(t *testing.T) {
	outs, err := planAllOutputs([]string{"text", "json=reports/", "sarif=reports"})
	require.NoError(t, err)
	// text without a directory is each contract's report on stdout.
	assert.Equal(t, []output{{Format: "text"}, {Format: "json", Path: "reports/"}, {Format: "sarif", Path: "reports"}}, outs)
	assert.Equal(t, []output{{Format: "text"}, {Format: "json", Path: "reports/a.json"}, {Format: "sarif", Path: "reports/a.sarif"}}, entryOutputs(outs, "a"))
	_, err = planAllOutputs([]string{"json=r", "json=r/"})
	assert.ErrorContains(t, err, "--format json is given twice")
	_, err = planAllOutputs([]string{"github"})
	assert.ErrorContains(t, err, "needs =DIR")
	for f := range reportExt {
		_, err := planAllOutputs([]string{f + "=d"})
		assert.NoError(t, err, f)
	}
}

// TestProgressOnlyOnTTY: a CI log gets no carriage-return progress line.
func TestProgressOnlyOnTTY(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	p := newProgress(ios, 2)
	p.step()
	p.finish()
	assert.Empty(t, errOut.String())

	ios.SetStderrTTY(true)
	p = newProgress(ios, 2)
	p.step()
	p.step()
	p.finish()
	assert.Equal(t, "\rrelay: compared 1 of 2 contracts\rrelay: compared 2 of 2 contracts\r\033[K", errOut.String())
}
