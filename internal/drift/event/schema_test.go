package event_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/finding"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "contracts", "drift-event.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("drift-event.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("drift-event.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, v any) error {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// TestEventsMatchSchema: marshalled events, the fullest and the barest,
// validate against contracts/drift-event.schema.json, and the schema
// rejects what the type never produces.
func TestEventsMatchSchema(t *testing.T) {
	s := compileSchema(t)
	at := time.Date(2026, 12, 3, 10, 0, 0, 123456000, time.UTC)
	full := event.Event{Function: "my-team/pay", Version: "1.0.0", Tenant: "acme", Operation: "GET /pets/{id}",
		Rule: "type-mismatch", Direction: event.Response, Status: 200, MediaType: "application/json",
		InstancePath: "/id", SchemaPointer: "/components/schemas/Pet/properties/id",
		Location: &finding.Location{File: "api.yaml", Line: 41, Column: 9}, Message: "id is a string",
		Observed: "string (5 bytes)", Fix: "fix the implementation", FirstSeen: at, LastSeen: at.Add(time.Hour), Count: 3}
	full.Fingerprint = event.Fingerprint(full)
	bare := event.Event{Contract: "api.yaml", Operation: "DELETE /pets", Rule: "undocumented-operation",
		Direction: event.Request, Message: "DELETE /pets is not in the contract", FirstSeen: at, LastSeen: at, Count: 1}
	bare.Fingerprint = event.Fingerprint(bare)
	for name, e := range map[string]event.Event{"full": full, "bare": bare} {
		if err := validate(t, s, e); err != nil {
			t.Errorf("%s event does not match the schema: %v", name, err)
		}
	}
	wrong := bare
	wrong.Direction = "sideways"
	if validate(t, s, wrong) == nil {
		t.Error("the schema accepts direction \"sideways\"")
	}
	var extra map[string]any
	b, _ := json.Marshal(bare)
	_ = json.Unmarshal(b, &extra)
	extra["unknownField"] = true
	if validate(t, s, extra) == nil {
		t.Error("the schema accepts a field event.Event does not have")
	}
}

// TestSchemaNamesEveryField: the schema's properties are exactly the JSON
// fields of event.Event, so a field added to the type cannot be forgotten.
func TestSchemaNamesEveryField(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "contracts", "drift-event.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[event.Event]()
	fields := map[string]bool{}
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		fields[name] = true
		if doc.Properties[name] == nil {
			t.Errorf("the schema does not describe field %s (%s)", typ.Field(i).Name, name)
		}
	}
	for name := range doc.Properties {
		if !fields[name] {
			t.Errorf("the schema describes %q, which event.Event does not have", name)
		}
	}
}
