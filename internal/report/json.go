package report

import (
	"encoding/json"
	"io"

	"github.com/goccy/go-yaml"
)

// JSON renders the report of record (contracts/report.schema.json).
type JSON struct{}

// Render writes indented JSON with a trailing newline; HTML characters in
// messages stay as written.
func (JSON) Render(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// YAML renders the JSON report as YAML, with the same keys in the same order.
type YAML struct{}

// Render goes through the JSON encoding so keys match the JSON report.
func (YAML) Render(w io.Writer, r *Report) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	out, err := yaml.JSONToYAML(data)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
