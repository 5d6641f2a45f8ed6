package rules

// Rule IDs are a public interface: .relay.yaml ignores and severity
// overrides, baselines, CI dashboards and SARIF fingerprints name them. So
// an ID never silently disappears. Renaming or retiring a rule means moving
// it here with what replaces it; testdata/ids.txt lists every ID ever
// shipped and TestIDHistory fails when one vanishes without an entry.

// Retired records a rule ID that left the catalog.
type Retired struct {
	ID string
	// Replacements are the catalog rules that now report what it reported;
	// empty when the rule was dropped outright (Reason says why).
	Replacements []string
	// Since is the relay version that retired it.
	Since  string
	Reason string
}

// retired is append-only: entries are never removed, so an old .relay.yaml
// keeps loading with a notice instead of failing.
var retired []Retired

// RetiredByID returns the record of a retired rule ID, or nil.
func RetiredByID(id string) *Retired {
	for i := range retired {
		if retired[i].ID == id {
			return &retired[i]
		}
	}
	return nil
}

// AllRetired returns every retirement record.
func AllRetired() []Retired { return append([]Retired(nil), retired...) }

// Resolve maps a rule ID to the catalog IDs it stands for today: itself
// when it is in the catalog, its replacements when it was retired (with the
// record, so callers can tell the user), nil when it never existed.
func Resolve(id string) ([]string, *Retired) {
	if ByID(id) != nil {
		return []string{id}, nil
	}
	if r := RetiredByID(id); r != nil {
		return r.Replacements, r
	}
	return nil, nil
}
