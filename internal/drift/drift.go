// Package drift validates real traffic against the active contract: each
// recorded or proxied exchange is matched to the contract's operation and
// its parameters, bodies, statuses and media types are checked. Every
// disagreement is an event.Event (a contract.drift), redacted by default.
//
// OpenAPI 3 and Swagger 2.0 contracts are checked through kin-openapi
// (routers/legacy for matching, openapi3filter for parameters, bodies and
// content types) on the model contract validation builds from relay's own
// tree (validate.KinModel), so every schema keeps its file and line. JSON
// Schema documents and function contracts are checked with compiled
// santhosh-tekuri/jsonschema schemas. Everything is compiled once, in
// NewValidator; Check only reads it and is safe for concurrent use.
package drift

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/load"
)

// Exchange is one request and its response, as recorded or proxied.
type Exchange struct {
	Time          time.Time
	Method        string // GET, POST…
	URL           string // absolute URL or just the path (+query)
	ReqHeader     http.Header
	ReqBody       []byte
	ReqTruncated  bool // body longer than the capture cap
	Status        int
	RespHeader    http.Header
	RespBody      []byte
	RespTruncated bool
	Tenant        string // optional, set by callers from a header
}

// Options tune a Validator.
type Options struct {
	// ShowValues puts observed values in findings; by default only their
	// JSON type and length are shown. Secret headers are never shown.
	ShowValues bool
	// Function and Version name the registry version traffic is judged
	// against; Contract names the file when there is none. They are
	// stamped on every event (and so enter its fingerprint).
	Function, Version, Contract string
	// SchemaRole says which bodies a bare JSON Schema document describes:
	// "input" (request bodies, the default) or "output" (response bodies).
	SchemaRole string
	// Now stamps exchanges without a time; nil means time.Now.
	Now func() time.Time
	// MaxBody is the capture cap: a longer body is cut to it and checked
	// for framing and type only (0 = no cap).
	MaxBody int
}

// Stats counts what a Validator has seen.
type Stats struct {
	Exchanges int64 `json:"exchanges"`
	// Truncated counts bodies over the capture cap, checked for framing
	// and type only.
	Truncated int64 `json:"truncated"`
	// Internal counts exchanges the validator itself failed on (a bug).
	Internal int64 `json:"internalErrors"`
}

// Validator checks exchanges against one contract.
type Validator struct {
	opts    Options
	backend backend
	stats   struct{ exchanges, truncated, internal atomic.Int64 }
}

// backend checks one exchange for one kind of contract.
type backend interface {
	check(ctx context.Context, ex *Exchange, f *findings)
}

// NewValidator compiles the contract once for every exchange to come.
func NewValidator(ctx context.Context, doc *load.Document, opts Options) (v *Validator, err error) {
	if doc == nil || doc.Main == nil {
		return nil, fmt.Errorf("no contract to validate traffic against")
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("internal error while compiling the contract for traffic validation: %v", r)
		}
	}()
	var b backend
	switch doc.Kind {
	case load.OpenAPI, load.Swagger:
		b, err = newOpenAPI(ctx, doc, opts)
	case load.JSONSchema, load.Function:
		b, err = newSchemaBackend(doc, opts)
	default:
		return nil, fmt.Errorf("%s contract cannot be checked against HTTP traffic yet "+
			"(relay drift check reads OpenAPI, Swagger, JSON Schema and function contracts)", doc.Kind.Title())
	}
	if err != nil {
		return nil, err
	}
	return &Validator{opts: opts, backend: b}, nil
}

// Check validates one exchange and returns its drifts, each seen once at
// the exchange's time. It never panics: a failure of the validator is
// counted in Stats().Internal and the exchange yields no events.
func (v *Validator) Check(ctx context.Context, ex Exchange) (out []event.Event) {
	v.stats.exchanges.Add(1)
	if m := v.opts.MaxBody; m > 0 {
		if len(ex.ReqBody) > m {
			ex.ReqBody, ex.ReqTruncated = ex.ReqBody[:m], true
		}
		if len(ex.RespBody) > m {
			ex.RespBody, ex.RespTruncated = ex.RespBody[:m], true
		}
	}
	if ex.ReqTruncated || ex.RespTruncated {
		v.stats.truncated.Add(1)
	}
	if ex.Time.IsZero() {
		ex.Time = v.now()
	}
	defer func() {
		if r := recover(); r != nil {
			v.stats.internal.Add(1)
			out = nil
		}
	}()
	f := &findings{opts: &v.opts, ex: &ex}
	v.backend.check(ctx, &ex, f)
	return f.events()
}

// Stats returns the counts so far.
func (v *Validator) Stats() Stats {
	return Stats{Exchanges: v.stats.exchanges.Load(), Truncated: v.stats.truncated.Load(),
		Internal: v.stats.internal.Load()}
}

func (v *Validator) now() time.Time {
	if v.opts.Now != nil {
		return v.opts.Now()
	}
	return time.Now()
}
