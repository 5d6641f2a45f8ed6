package validate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
)

// swagger validates a Swagger 2.0 document: relay's walk against the 2.0
// tables (which also checks required fields, since the converted model
// cannot say which 2.0 field was missing), then kin-openapi's 2.0 model,
// converted to 3.0 by openapi2conv.ToV3 and validated. The converted
// model has no positions, so its errors are placed through kin's context
// (path, operation, component) in the 2.0 document.
func swagger(ctx context.Context, doc *load.Document, p *problems) error {
	w := newWalker(ctx, doc, swagger20, p)
	if err := w.run(); err != nil {
		return err
	}
	root := doc.Main.Root
	r := &kinReporter{p: p, w: w, root: root, layout: swaggerLayout}
	skip := leaveOut(w)
	var doc2 openapi2.T
	if err := json.Unmarshal(writeJSON(root, skip), &doc2); err != nil {
		r.kinFailed(root, "could not read the document", err)
		return nil
	}
	var doc3 *openapi3.T
	err := guard(func() (err error) {
		doc3, err = openapi2conv.ToV3WithLoader(&doc2, confinedLoader(doc, skip), mainURL(doc))
		return err
	})
	if err := internal(err); err != nil {
		return err
	}
	if err != nil {
		r.kinFailed(root, "could not convert the document to OpenAPI 3", err)
		return nil
	}
	if err := swaggerSchemas(ctx, doc3, root, r); err != nil {
		return err
	}
	err = guard(func() error {
		stubEntries(doc3)
		return doc3.Validate(ctx, kinOptions(false)...)
	})
	if err := internal(err); err != nil {
		return err
	}
	r.report(dropCovered(err), nil)
	return nil
}

// leaveOut is what kin must not see: the members the walker reported, and
// $refs to the wrong kind of object, which would stop the conversion.
func leaveOut(w *walker) map[*source.Node]bool {
	out := make(map[*source.Node]bool, len(w.skip)+len(w.badRef))
	for n := range w.skip {
		out[n] = true
	}
	for n := range w.badRef {
		out[n] = true
	}
	return out
}

// kinFailed records that kin-openapi could not take the document in.
func (r *kinReporter) kinFailed(at *source.Node, what string, err error) {
	if len(r.p.list) > 0 {
		return // relay's own problems explain it better
	}
	r.p.list = append(r.p.list, problemAt(at, fmt.Sprintf("kin-openapi %s: %s (kin-openapi gave no closer location)",
		what, firstLine(err.Error()))))
}

// dropCovered removes the errors relay's walk has already covered, in
// more detail, for a Swagger document: unknown fields and missing
// required fields (the converted model's idea of both is 3.0's).
func dropCovered(err error) error {
	var keep openapi3.MultiError
	for _, e := range leaves(err) {
		var xe *openapi3.ExtraSiblingFieldsError
		var rf *openapi3.RequiredFieldError
		if errors.As(e, &xe) || errors.As(e, &rf) {
			continue
		}
		keep = append(keep, e)
	}
	if len(keep) == 0 {
		return nil
	}
	return keep
}

// swaggerSections maps kin's component sections of a converted document
// onto the 2.0 root: request bodies and form schemas come from parameters.
var swaggerSections = map[string][]string{
	"schema": {"definitions", "parameters"}, "parameter": {"parameters"}, "request body": {"parameters"},
	"response": {"responses"}, "security scheme": {"securityDefinitions"},
}

func swaggerLayout(root *source.Node, section, name string) *source.Node {
	for _, s := range swaggerSections[section] {
		if n := root.Get(s).Get(name); n != nil {
			return n
		}
	}
	return nil
}

// mainURL is the main file's location as kin's loader sees it.
func mainURL(doc *load.Document) *url.URL {
	return &url.URL{Path: doc.Paths[doc.Main]}
}

// confinedLoader is a kin loader that can read only the files relay
// loaded (served from relay's trees as JSON), never the disk or the
// network: a custom ReadFromURIFunc bypasses kin's IsExternalRefsAllowed,
// so this function is the confinement.
func confinedLoader(doc *load.Document, skip map[*source.Node]bool) *openapi3.Loader {
	byPath := map[string]*source.File{}
	for f, p := range doc.Paths {
		byPath[p] = f
	}
	byURL := map[string]*source.File{}
	for f, u := range doc.Remote {
		byURL[u] = f
	}
	l := openapi3.NewLoader()
	l.IsExternalRefsAllowed = true
	l.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		var f *source.File
		switch u.Scheme {
		case "http", "https":
			c := *u
			c.Fragment = ""
			f = byURL[c.String()]
		case "", "file":
			f = byPath[path.Clean(u.Path)]
		}
		if f == nil {
			return nil, fmt.Errorf("relay loaded no file %s", u.Redacted())
		}
		return writeJSON(f.Root, skip), nil
	}
	return l
}
