package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/filestore"
	"github.com/relay-dev/relay/internal/registry/registrytest"
)

// TestDriftIncidentsJSONMatchesSchema: the --format json output, with an
// open and an acknowledged incident, validates against
// contracts/drift-incidents.schema.json (which $refs the event schema).
func TestDriftIncidentsJSONMatchesSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for _, name := range []string{"drift-incidents.schema.json", "drift-event.schema.json"} {
		f, err := os.Open(filepath.Join("..", "..", "contracts", name))
		require.NoError(t, err)
		doc, err := jsonschema.UnmarshalJSON(f)
		_ = f.Close()
		require.NoError(t, err)
		require.NoError(t, c.AddResource("https://relay.dev/schemas/"+name, doc))
	}
	schema, err := c.Compile("https://relay.dev/schemas/drift-incidents.schema.json")
	require.NoError(t, err)

	dir := filepath.Join(t.TempDir(), "registry")
	s, err := filestore.Open(dir, filestore.Options{})
	require.NoError(t, err)
	ctx := context.Background()
	_, err = s.Publish(ctx, registrytest.Request("my-team/pay", "1.0.0", "alice", "x"))
	require.NoError(t, err)
	a, b := registrytest.Drift("my-team/pay", "GET /a", registrytest.Start, 3), registrytest.Drift("my-team/pay", "GET /b", registrytest.Start, 1)
	require.NoError(t, s.RecordIncidents(ctx, []event.Event{a, b}))
	_, err = s.SetIncidentStatus(ctx, registry.IncidentChange{Fingerprint: a.Fingerprint, To: registry.IncidentAcknowledged, Actor: "bob", Reason: "on it"})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	ios, _, out, errOut := testIO()
	code := execute(ctx, func() *cobra.Command { return rootWith(ios, newCmdDriftIncidents(ios, nil)) },
		[]string{"incidents", "--registry", dir, "--format", "json"}, ios)
	require.Equal(t, 0, code, errOut.String())
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Bytes()))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(v), out.String())
	require.Contains(t, out.String(), `"status": "acknowledged"`)
}
