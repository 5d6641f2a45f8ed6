package diff

import (
	"github.com/relay-dev/relay/internal/load"
)

// buildFunction reads a function contract (load has checked its shape): one
// part per input, output, error code and event, in that order. Info is the
// contract's root, so version and description edits are api-info-changed.
func buildFunction(doc *load.Document, _ Options) (*API, error) {
	root := doc.Main.Root
	api := newKindAPI(doc)
	api.Info = root
	if n := root.Get("input"); n != nil {
		api.Operations = append(api.Operations, newPart(PartInput, "input", n, n, RequestSide))
	}
	if n := root.Get("output"); n != nil {
		api.Operations = append(api.Operations, newPart(PartOutput, "output", n, n, ResponseSide))
	}
	for _, fam := range []struct{ key, family string }{{"errors", PartError}, {"events", PartEvent}} {
		for _, n := range children(root.Get(fam.key)) {
			api.Operations = append(api.Operations, newPart(fam.family, fam.key+"."+n.Key, n, n, ResponseSide))
		}
	}
	return api, nil
}
