package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/config"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// TestSummaryMatchesSchema: summary.json, for a compared, an unchanged and
// a failed entry, validates against contracts/summary.schema.json.
func TestSummaryMatchesSchema(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "contracts", "summary.schema.json"))
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("summary.schema.json", doc))
	schema, err := c.Compile("summary.schema.json")
	require.NoError(t, err)

	rep := report.New(report.Tool{Name: "relay", Version: "dev"}, report.Side{}, report.Side{},
		[]finding.Change{{ID: "operation-removed", Level: finding.Breaking, Pointer: "/paths/~1a/get"}}, finding.Breaking)
	results := []*entryResult{
		{ct: &config.Contract{Function: "my-team/payments", Path: "docs/payments.yaml", Base: "main"},
			base: sideSpec{Raw: "git:main"}, rep: rep, reports: []output{{Format: "json", Path: "reports/my-team-payments.json"}}},
		{ct: &config.Contract{Path: "docs/orders.yaml", Base: "main"}, base: sideSpec{Raw: "git:main"}, unchanged: true},
		{ct: &config.Contract{Function: "my-team/users", Path: "users.yaml", Base: config.RegistryBase},
			base: sideSpec{Raw: "registry:my-team/users"}, err: errors.New("my-team/users has no approved version")},
	}
	all := allSummary{SchemaVersion: "relay.contract.diff-all/v1", ExitCode: exitInput}
	for _, r := range results {
		all.Contracts = append(all.Contracts, summarize(r))
	}
	data, err := json.Marshal(all)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(v), string(data))

	all.Contracts[0].Verdict = "mostly fine"
	data, _ = json.Marshal(all)
	v, _ = jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.Error(t, schema.Validate(v), "the schema must reject an unknown verdict")
}
