package report

import (
	"io"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/rules"
)

// SARIF renders a SARIF 2.1.0 log for code-scanning tools (GitHub code
// scanning among them): one run, the rule catalog as tool.driver.rules, and
// one result per change located at its revision position.
type SARIF struct {
	// Rules is the catalog. All of it is listed, in the order given, so a
	// rule's ruleIndex does not depend on which rules fired.
	Rules []*rules.Rule
}

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifFingerprint names relay's fingerprint; the /v1 lets a future
	// scheme coexist without reopening every alert.
	sarifFingerprint = "relayFingerprint/v1"
	relayHome        = "https://github.com/relay-dev/relay"
)

// sarifLevel maps relay's levels onto SARIF's; SARIF has no level between
// note and warning, so non-breaking and info are both notes.
var sarifLevel = map[finding.Level]string{finding.Breaking: "error", finding.Warning: "warning", finding.NonBreaking: "note", finding.Info: "note"}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// ColumnKind says how startColumn counts: relay's columns count
	// Unicode code points, as editors do, where SARIF's default is UTF-16
	// code units (they differ past the Basic Multilingual Plane).
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"`
	// Properties carry what SARIF has no field for: the ignore entries
	// that dropped findings (relay's report has no result for them).
	Properties *sarifRunProperties `json:"properties,omitempty"`
}

type sarifRunProperties struct {
	Suppressed      int          `json:"relaySuppressed"`
	SuppressedBy    []Suppressed `json:"relaySuppressedBy"`
	SuppressedTotal string       `json:"relaySuppressedText"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	ShortDescription     *sarifMessage `json:"shortDescription,omitempty"`
	Help                 *sarifHelp    `json:"help,omitempty"`
	DefaultConfiguration *sarifConfig  `json:"defaultConfiguration,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

// sarifHelp is a rule's documentation; code scanning shows the markdown
// form when there is one.
type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifProperties   `json:"properties"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifProperties struct {
	Operation string   `json:"operation,omitempty"`
	Pointer   string   `json:"pointer"`
	Affects   []string `json:"affects,omitempty"`
}

// Render writes the log as indented JSON.
func (s SARIF) Render(w io.Writer, r *Report) error {
	rules, index := s.driverRules(r.Changes)
	results := make([]sarifResult, 0, len(r.Changes))
	fps := fingerprints(r.Changes)
	for i, c := range r.Changes {
		results = append(results, sarifResultFor(c, index[c.ID], fps[i]))
	}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{{ColumnKind: "unicodeCodePoints",
		Tool:    sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: relayHome, Rules: rules}},
		Results: results,
	}}}
	if n := r.Summary.Suppressed; n > 0 {
		log.Runs[0].Properties = &sarifRunProperties{Suppressed: n, SuppressedBy: r.Suppressed, SuppressedTotal: suppressedHead(r.Summary)}
	}
	if log.Runs[0].Tool.Driver.Name == "" {
		log.Runs[0].Tool.Driver.Name = "relay"
	}
	return writeIndentedJSON(w, log)
}

// driverRules lists the catalog, then any rule ID the report uses that the
// catalog lacks (a report built elsewhere, a newer rule set), so every
// result's ruleId is defined in the run.
func (s SARIF) driverRules(cs []finding.Change) ([]sarifRule, map[string]int) {
	index := map[string]int{}
	var out []sarifRule
	for _, m := range s.Rules {
		if _, dup := index[m.ID]; dup {
			continue
		}
		index[m.ID] = len(out)
		out = append(out, sarifRuleFor(m))
	}
	var extra []string
	seen := map[string]bool{}
	for _, c := range cs {
		if _, known := index[c.ID]; !known && !seen[c.ID] {
			seen[c.ID] = true
			extra = append(extra, c.ID)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		index[id] = len(out)
		out = append(out, sarifRule{ID: id})
	}
	if out == nil {
		out = []sarifRule{}
	}
	return out, index
}

func sarifRuleFor(m *rules.Rule) sarifRule {
	r := sarifRule{ID: m.ID}
	if m.Summary != "" {
		r.ShortDescription = &sarifMessage{Text: m.Summary}
	}
	if m.Doc != "" {
		// The doc is a before/after example, as `relay contract rules ID`
		// prints it: fenced, so its indentation survives.
		doc := strings.TrimRight(m.Doc, "\n")
		r.Help = &sarifHelp{Text: doc, Markdown: "```\n" + doc + "\n```"}
	}
	if lvl, ok := sarifLevel[m.Level]; ok {
		r.DefaultConfiguration = &sarifConfig{Level: lvl}
	}
	return r
}

func sarifResultFor(c finding.Change, ruleIndex int, fingerprint string) sarifResult {
	res := sarifResult{
		RuleID: c.ID, RuleIndex: ruleIndex, Level: sarifLevel[c.Level],
		Message:             sarifMessage{Text: c.Message},
		Locations:           []sarifLocation{{PhysicalLocation: sarifPhysicalFor(c.Revision)}},
		PartialFingerprints: map[string]string{sarifFingerprint: fingerprint},
		Properties:          sarifProperties{Operation: c.Operation, Pointer: c.Pointer, Affects: c.Affects},
	}
	if res.Level == "" {
		res.Level = "warning" // an unknown level: visible, but not blocking
	}
	if c.Base != nil {
		id := 1
		res.RelatedLocations = []sarifLocation{{ID: &id, PhysicalLocation: sarifPhysicalFor(*c.Base), Message: &sarifMessage{Text: "base"}}}
	}
	return res
}

func sarifPhysicalFor(l finding.Location) sarifPhysical {
	p := sarifPhysical{ArtifactLocation: sarifArtifact{URI: sarifURI(l.File)}}
	if l.Line >= 1 {
		p.Region = &sarifRegion{StartLine: l.Line, StartColumn: max(l.Column, 0)}
	}
	return p
}

var windowsDrive = regexp.MustCompile(`^[A-Za-z]:/`)

// sarifURI turns a display path into a URI reference: relative paths stay
// relative (code scanning resolves them against the repository root),
// absolute ones become file: URIs, and characters such as spaces are
// percent-encoded.
func sarifURI(file string) string {
	p := strings.ReplaceAll(file, `\`, "/")
	switch {
	case windowsDrive.MatchString(p):
		return (&url.URL{Scheme: "file", Path: "/" + p}).String()
	case strings.HasPrefix(p, "/"):
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	// url.URL prefixes "./" when the first segment holds a colon (as in
	// git:main:api.yaml), so it is not read as a scheme.
	return (&url.URL{Path: p}).String()
}
