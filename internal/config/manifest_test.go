package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/load"
)

func TestContracts(t *testing.T) {
	cfg, err := parseText(t, `contracts:
  - function: my-team/payments
    path: docs/contracts/payments.yml
    base: registry
  - path: ./api/../api/orders.yaml
    base: origin/main
    kind: openapi
  - function: my-team/users
    path: users.yaml
  - path: schemas/event.json
    base: main
    schema-role: output
`)
	require.NoError(t, err)
	require.Len(t, cfg.Contracts, 4)
	assert.Equal(t, diff.RoleOutput, cfg.Contracts[3].SchemaRole)
	assert.Empty(t, cfg.Contracts[0].SchemaRole, "unset: the command line decides")
	assert.Equal(t, Contract{Function: "my-team/payments", Path: "docs/contracts/payments.yml", Base: RegistryBase, Pos: cfg.Contracts[0].Pos}, *cfg.Contracts[0])
	assert.Equal(t, 2, cfg.Contracts[0].Pos.Line)
	assert.Equal(t, "api/orders.yaml", cfg.Contracts[1].Path)
	assert.Equal(t, "origin/main", cfg.Contracts[1].Base)
	assert.Equal(t, load.OpenAPI, cfg.Contracts[1].Kind)
	assert.Equal(t, RegistryBase, cfg.Contracts[2].Base, "a function without base compares with the registry")
}

func TestContractErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"contracts: {path: a.yaml}", ".relay.yaml:1:12: contracts must be a list"},
		{"contracts:\n  - a.yaml", ".relay.yaml:2:5: each contracts entry must be a mapping"},
		{"contracts:\n  - base: main", ".relay.yaml:2:5: contracts entry needs a path"},
		{"contracts:\n  - path: a.yaml", ".relay.yaml:2:5: contracts entry a.yaml needs a base"},
		{"contracts:\n  - {path: a.yaml, base: registry}", ".relay.yaml:2:5: contracts entry a.yaml has base registry but no function"},
		{"contracts:\n  - path: ../a.yaml\n    base: main", ".relay.yaml:2:11: contracts path must be a file relative to .relay.yaml"},
		{"contracts:\n  - path: /etc/a.yaml\n    base: main", ".relay.yaml:2:11: contracts path must be a file relative"},
		{"contracts:\n  - path: a.yaml\n    base: --upload-pack=x", ".relay.yaml:3:11: contracts base must be registry or a git ref"},
		{"contracts:\n  - path: a.yaml\n    base: main:a.yaml", ".relay.yaml:3:11: contracts base must be registry or a git ref"},
		{"contracts:\n  - path: a.yaml\n    function: payments", ".relay.yaml:3:15: contracts function must be team/name"},
		{"contracts:\n  - path: a.yaml\n    base: main\n    kind: graphql", ".relay.yaml:4:11: contracts kind must be openapi"},
		{"contracts:\n  - path: a.yaml\n    base: main\n    owner: me", ".relay.yaml:4:5: unknown contracts key \"owner\""},
		{"contracts:\n  - path: 3\n    base: main", ".relay.yaml:2:11: contracts path must be a string"},
		{"contracts:\n  - path: a.json\n    base: main\n    schema-role: both", `.relay.yaml:4:18: contracts schema-role must be input or output, not "both"`},
		{"contracts:\n  - {path: a.yaml, base: main}\n  - {path: ./a.yaml, base: dev}", ".relay.yaml:3:5: contract a.yaml is already listed at line 2"},
	} {
		_, err := parseText(t, c.text)
		if assert.Error(t, err, c.text) {
			assert.Contains(t, err.Error(), c.want, c.text)
		}
	}
}
