package config

import (
	"io/fs"
	"path"
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// RegistryBase is the base value that compares an entry with its function's
// active version in the contract registry.
const RegistryBase = "registry"

// Contract is one entry of the contracts: manifest that --all and the CI
// script walk.
type Contract struct {
	// Function is the registry entry, team/name; "" when the entry has none.
	Function string
	// Path is the contract file as a clean slash path relative to the
	// directory holding .relay.yaml (so the file works from any checkout).
	Path string
	// Base is RegistryBase or a git revision such as origin/main.
	Base string
	Kind load.Kind // "" = sniff the document
	// SchemaRole is what a bare JSON Schema entry validates ("" = the
	// command line's --schema-role, input by default).
	SchemaRole diff.SchemaRole
	Pos        source.Pos
}

// parseContracts reads the manifest. Every entry is checked here, with its
// file:line, so a typo fails before any contract is loaded.
func (c *Config) parseContracts(n *source.Node) error {
	if n.Kind != source.Array {
		return source.Errorf(n.ValuePos(), "contracts must be a list of entries like {path: api.yaml, base: origin/main}")
	}
	seen := map[string]source.Pos{}
	for _, item := range n.Children {
		ct, err := parseContract(item)
		if err != nil {
			return err
		}
		// Two entries for one file would write their reports over each other.
		if prev, dup := seen[ct.Path]; dup {
			return source.Errorf(ct.Pos, "contract %s is already listed at line %d", ct.Path, prev.Line)
		}
		seen[ct.Path] = ct.Pos
		c.Contracts = append(c.Contracts, ct)
	}
	return nil
}

func parseContract(n *source.Node) (*Contract, error) {
	if n.Kind != source.Object {
		return nil, source.Errorf(n.ValuePos(), "each contracts entry must be a mapping with path and base")
	}
	ct := &Contract{Pos: n.ValuePos()}
	for _, m := range n.Children {
		if m.Kind != source.String {
			return nil, source.Errorf(m.ValuePos(), "contracts %s must be a string", source.Truncate(m.Key, 80))
		}
		var err error
		switch m.Key {
		case "function":
			ct.Function, err = parseFunctionName(m)
		case "path":
			ct.Path, err = parseContractPath(m)
		case "base":
			ct.Base, err = parseBase(m)
		case "kind":
			ct.Kind, err = parseContractKind(m)
		case "schema-role":
			ct.SchemaRole, err = parseSchemaRole(m)
		default:
			err = source.Errorf(m.Pos(), "unknown contracts key %q (want function, path, base, kind, schema-role)", source.Truncate(m.Key, 80))
		}
		if err != nil {
			return nil, err
		}
	}
	return ct, ct.validate()
}

// validate fills the default base: an entry naming a function is compared
// with that function's published version unless it says otherwise.
func (ct *Contract) validate() error {
	switch {
	case ct.Path == "":
		return source.Errorf(ct.Pos, "contracts entry needs a path (the contract file, relative to %s)", FileName)
	case ct.Base == "" && ct.Function == "":
		return source.Errorf(ct.Pos, "contracts entry %s needs a base: a git ref such as origin/main, or registry with a function", ct.Path)
	case ct.Base == "":
		ct.Base = RegistryBase
	case ct.Base == RegistryBase && ct.Function == "":
		return source.Errorf(ct.Pos, "contracts entry %s has base registry but no function to look up", ct.Path)
	}
	return nil
}

func parseFunctionName(m *source.Node) (string, error) {
	team, name, ok := strings.Cut(m.Value, "/")
	if !ok || team == "" || name == "" || strings.Contains(name, "/") || strings.ContainsAny(m.Value, " \t\n@") {
		return "", source.Errorf(m.ValuePos(), "contracts function must be team/name, not %q", source.Truncate(m.Value, 80))
	}
	return m.Value, nil
}

// parseContractPath keeps the path inside the configuration's tree: the
// manifest is shared through the repository, and an entry must not read
// files outside it.
func parseContractPath(m *source.Node) (string, error) {
	p := path.Clean(strings.ReplaceAll(m.Value, `\`, "/"))
	if m.Value == "" || !fs.ValidPath(p) || p == "." {
		return "", source.Errorf(m.ValuePos(), "contracts path must be a file relative to %s, without .., not %q", FileName, source.Truncate(m.Value, 80))
	}
	return p, nil
}

// parseBase accepts registry or a git revision. The revision becomes
// git:REV in a base spec, where ':' would split it and a leading '-' would
// read as a git option.
func parseBase(m *source.Node) (string, error) {
	v := m.Value
	if v == "" || strings.HasPrefix(v, "-") || strings.ContainsAny(v, ": \t\n") {
		return "", source.Errorf(m.ValuePos(), "contracts base must be registry or a git ref such as origin/main, not %q", source.Truncate(v, 80))
	}
	return v, nil
}

func parseContractKind(m *source.Node) (load.Kind, error) {
	if k := load.Kind(m.Value); k.Known() {
		return k, nil
	}
	return "", source.Errorf(m.ValuePos(), "contracts kind must be %s, not %q", load.KindChoice(), source.Truncate(m.Value, 40))
}

func parseSchemaRole(m *source.Node) (diff.SchemaRole, error) {
	switch r := diff.SchemaRole(m.Value); r {
	case diff.RoleInput, diff.RoleOutput:
		return r, nil
	}
	return "", source.Errorf(m.ValuePos(), "contracts schema-role must be input or output, not %q", source.Truncate(m.Value, 40))
}
