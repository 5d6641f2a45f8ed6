package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// Model is kin-openapi's model of an OpenAPI 3 or Swagger 2.0 contract
// with its schemas in full, built from relay's tree as contract validation
// builds it (never by parsing the bytes again), for runtime validation of
// traffic (package drift).
type Model struct {
	T *openapi3.T
	// nodes maps each schema of T back to the node it was decoded from,
	// so a runtime finding can name the contract file and line.
	nodes map[*openapi3.Schema]*source.Node
}

// SchemaNode is the contract node s was built from, or nil when the
// schema was made up (a Swagger form body).
func (m *Model) SchemaNode(s *openapi3.Schema) *source.Node {
	if m == nil || s == nil {
		return nil
	}
	return m.nodes[s]
}

// KinModel builds the full kin-openapi model of an OpenAPI 3 or Swagger
// 2.0 document. Members contract validation would report (unknown
// fields, values of the wrong kind) are left out, as there.
func KinModel(ctx context.Context, doc *load.Document) (m *Model, err error) {
	if doc == nil || doc.Main == nil || doc.Main.Root == nil {
		return nil, &InternalError{Msg: "no document to model"}
	}
	defer func() {
		if v := recover(); v != nil {
			m, err = nil, &InternalError{Msg: "panic: " + oneLine(v)}
		}
	}()
	switch doc.Kind {
	case load.OpenAPI:
		return openAPIModel(ctx, doc)
	case load.Swagger:
		return swaggerModel(ctx, doc)
	}
	return nil, fmt.Errorf("%s contract has no OpenAPI model", doc.Kind.Title())
}

func openAPIModel(ctx context.Context, doc *load.Document) (*Model, error) {
	set := oas30
	if strings.HasPrefix(doc.SpecVersion, "3.1") {
		set = oas31
	}
	w := newWalker(ctx, doc, set, newProblems())
	if err := w.run(); err != nil {
		return nil, err
	}
	d := newDecoder(w)
	d.full = true
	t := &openapi3.T{}
	d.fields(doc.Main.Root, reflect.ValueOf(t).Elem())
	m := &Model{T: t, nodes: map[*openapi3.Schema]*source.Node{}}
	_ = t.WalkSchemas(func(_ string, ref *openapi3.SchemaRef) error {
		if ref.Value != nil && ref.Value.Origin != nil {
			if n := d.origins[ref.Value.Origin]; n != nil {
				m.nodes[ref.Value] = n
			}
		}
		return nil
	})
	return m, nil
}

func swaggerModel(ctx context.Context, doc *load.Document) (*Model, error) {
	w := newWalker(ctx, doc, swagger20, newProblems())
	if err := w.run(); err != nil {
		return nil, err
	}
	skip := leaveOut(w)
	var doc2 openapi2.T
	if err := json.Unmarshal(writeJSON(doc.Main.Root, skip), &doc2); err != nil {
		return nil, fmt.Errorf("kin-openapi could not read the swagger document: %w", err)
	}
	doc3, err := openapi2conv.ToV3WithLoader(&doc2, confinedLoader(doc, skip), mainURL(doc))
	if err != nil {
		return nil, fmt.Errorf("kin-openapi could not convert the swagger document to OpenAPI 3: %w", err)
	}
	m := &Model{T: doc3, nodes: map[*openapi3.Schema]*source.Node{}}
	root := doc.Main.Root
	_ = doc3.WalkSchemas(func(ptr string, ref *openapi3.SchemaRef) error {
		if ref.Value == nil || m.nodes[ref.Value] != nil {
			return nil
		}
		if n := v2Schema(root, doc3, ptr); n != nil {
			m.nodes[ref.Value] = doc.Deref(n)
		}
		return nil
	})
	return m, nil
}
