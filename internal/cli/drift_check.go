package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/event"
	"github.com/relay-dev/relay/internal/drift/sink"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/report"
)

// DriftCheckOptions holds `relay drift check`'s validated inputs.
type DriftCheckOptions struct {
	IO *iostreams.IOStreams
	// Function names the registry entry whose active version traffic is
	// judged against; Contract a file instead.
	Function, Contract string
	// Samples are the recordings; "-" is standard input.
	Samples []string
	// SamplesFormat forces har or ndjson ("" = by extension, else sniffed).
	SamplesFormat string
	Outputs       []output
	ShowValues    bool
	MaxBody       int
	TenantHeader  string
	Kind          load.Kind
	SchemaRole    string
	// Registry, AllowedSigners and ConfigPath find and gate the registry,
	// as for relay contract diff --function.
	Registry, AllowedSigners, ConfigPath string
	Getenv                               func(string) string
	// Events is a file the drifts are appended to as contract.drift
	// events, one JSON line each ("" = none).
	Events string
	// RecordIncidents records the drifts as incidents in the registry.
	RecordIncidents bool
}

type driftCheckFlags struct {
	function, contract, samplesFormat, output, kind, schemaRole, tenantHeader string
	registry, allowedSigners, config, events                                  string
	samples, formats                                                          []string
	showValues, recordIncidents                                               bool
	maxBody                                                                   byteSize
}

func newCmdDriftCheck(ios *iostreams.IOStreams, runF func(*DriftCheckOptions) error) *cobra.Command {
	var f driftCheckFlags
	cmd := &cobra.Command{
		Use:     "check (--function NAME | --contract PATH) --samples FILE...",
		Short:   "Validate recorded traffic (HAR, NDJSON) against the active contract",
		Long:    driftCheckLong(),
		Example: driftCheckExample,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			opts, err := f.options(ios, args)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDriftCheck(cmd.Context(), opts)
		}),
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVar(&f.function, "function", "", "judge traffic against this registry entry's active (approved) version")
	fl.StringVar(&f.contract, "contract", "", "judge traffic against this contract file (`PATH`) instead")
	fl.StringArrayVar(&f.samples, "samples", nil, "recorded traffic: a HAR 1.2 or NDJSON `FILE` (- for standard input), repeatable; more may follow as arguments")
	fl.StringVar(&f.samplesFormat, "samples-format", "", "read every sample as `F` = har or ndjson (default: by extension .har/.ndjson/.jsonl, else by content)")
	fl.StringArrayVar(&f.formats, "format", nil, "report format `F[=PATH]`, repeatable: "+strings.Join(report.DriftFormats(), " ")+" (default text)")
	fl.StringVar(&f.output, "output", "", "write the one format without =PATH to `PATH` instead of standard output")
	fl.BoolVar(&f.showValues, "show-values", false, "show observed values, not only their types and lengths (secret headers are never shown)")
	f.maxBody = 1 << 20
	fl.Var(&f.maxBody, "max-body", "capture cap: a longer body is checked for framing and type only, such as 1MiB")
	fl.StringVar(&f.tenantHeader, "tenant-header", "", "request header `NAME` that names the tenant, recorded on each drift")
	fl.StringVar(&f.kind, "kind", "", "contract `KIND` for documents without a marker: "+load.KindList())
	fl.StringVar(&f.schemaRole, "schema-role", "input", "what a bare JSON Schema describes: `ROLE` = input (request bodies) or output (response bodies)")
	fl.StringVar(&f.registry, "registry", "", "registry `URL` for --function (default $RELAY_REGISTRY_URL, else .relay/registry)")
	fl.StringVar(&f.allowedSigners, "allowed-signers", "", "`FILE` the registry's approvals are verified against")
	fl.StringVar(&f.config, "config", "", "`PATH` of .relay.yaml (default: the nearest one)")
	fl.StringVar(&f.events, "events", "", "also append each drift to `PATH` as a contract.drift event, one JSON line each (contracts/drift-event.schema.json)")
	fl.BoolVar(&f.recordIncidents, "record-incidents", false, "record each drift as an incident in the registry (needs --function; see relay drift incidents)")
	return cmd
}

const driftCheckExample = `  relay drift check --function my-team/payments --samples traffic.har
  relay drift check --contract api.yaml --samples day1.ndjson --samples day2.ndjson --format json --output reports/drift.json
  kubectl logs deploy/gateway | relay drift check --contract api.yaml --samples -`

func driftCheckLong() string {
	var b strings.Builder
	b.WriteString(`Validate recorded traffic against a contract: the active (approved) version
of --function in the registry, or the file --contract. Samples are HAR 1.2
files (what browsers and proxies export) or NDJSON, one exchange per line
(its shape is contracts/drift-sample.schema.json). Both are streamed: memory
stays flat however large the file.

Each exchange is matched to an operation through the contract's paths and
servers (traffic recorded against another host is matched on the servers'
hosts too), then its parameters, bodies, status and media type are checked.
Drifts with the same fingerprint (function or contract, operation, rule,
direction, status and schema pointer) are reported once, with a count and
the first and last time seen. Observed values are shown as their JSON type
and length unless --show-values; Authorization, Cookie, Set-Cookie,
Proxy-Authorization and headers whose name contains token, secret, key or
password are never shown.

Rules:
`)
	for _, r := range drift.Rules() {
		fmt.Fprintf(&b, "  %-24s %s\n", r.ID, r.Summary)
	}
	b.WriteString(`
Exit codes: 0 no drift, 20 drift found, 1 unreadable contract or samples,
2 usage error, 70 the validator failed (a bug; please report it).`)
	return b.String()
}

// options checks the flags and arguments; every problem is a usage error.
func (f *driftCheckFlags) options(ios *iostreams.IOStreams, args []string) (*DriftCheckOptions, error) {
	opts := &DriftCheckOptions{IO: ios, Function: f.function, Contract: f.contract, ShowValues: f.showValues,
		MaxBody: int(f.maxBody), TenantHeader: f.tenantHeader, Registry: f.registry,
		AllowedSigners: f.allowedSigners, ConfigPath: f.config, SchemaRole: f.schemaRole}
	opts.Samples = append(append([]string{}, f.samples...), args...)
	opts.Events, opts.RecordIncidents = f.events, f.recordIncidents
	switch {
	case f.recordIncidents && f.function == "":
		return nil, usageErrorf("--record-incidents needs --function: incidents belong to a registry function, not to a contract file")
	case f.events == stdinName:
		return nil, usageErrorf("--events needs a file path: standard output carries the report")
	case f.function == "" && f.contract == "":
		return nil, usageErrorf("drift check needs the contract: give --function NAME (its active version) or --contract PATH")
	case f.function != "" && f.contract != "":
		return nil, usageErrorf("give --function or --contract, not both: drift is judged against one contract")
	case len(opts.Samples) == 0:
		return nil, usageErrorf("drift check needs recorded traffic: give --samples FILE (HAR or NDJSON; - for standard input)")
	case countOf(opts.Samples, stdinName) > 1:
		return nil, usageErrorf("standard input (-) can be read only once")
	case f.contract == stdinName && countOf(opts.Samples, stdinName) > 0:
		return nil, usageErrorf("the contract and the samples cannot both come from standard input")
	case f.maxBody < 1:
		return nil, usageErrorf("--max-body must be at least 1 byte")
	case f.schemaRole != "input" && f.schemaRole != "output":
		return nil, usageErrorf("--schema-role must be input or output, not %q", f.schemaRole)
	case f.samplesFormat != "" && f.samplesFormat != "har" && f.samplesFormat != "ndjson":
		return nil, usageErrorf("--samples-format must be har or ndjson, not %q", f.samplesFormat)
	}
	for _, s := range opts.Samples {
		if s == "" {
			return nil, usageErrorf("a --samples value is empty; give each recording as a path, or - for standard input")
		}
	}
	opts.SamplesFormat = f.samplesFormat
	var err error
	if opts.Kind, err = parseKind(f.kind); err != nil {
		return nil, err
	}
	if opts.Outputs, err = planOutputs(f.formats, f.output); err != nil {
		return nil, err
	}
	for _, o := range opts.Outputs {
		if !slices.Contains(report.DriftFormats(), o.Format) {
			return nil, usageErrorf("--format %s is not a drift format (want one of: %s)",
				o.Format, strings.Join(report.DriftFormats(), ", "))
		}
	}
	return opts, nil
}

// runDriftCheck loads the contract, streams every sample through the
// validator, and writes the reports: exit 20 when there is drift.
func runDriftCheck(ctx context.Context, opts *DriftCheckOptions) error {
	doc, id, err := opts.loadContract(ctx)
	if err != nil {
		return err
	}
	vopts := drift.Options{ShowValues: opts.ShowValues, Function: id.function, Version: id.version,
		Contract: id.contract, SchemaRole: opts.SchemaRole, MaxBody: opts.MaxBody}
	v, err := drift.NewValidator(ctx, doc, vopts)
	if err != nil {
		return err
	}
	agg := drift.NewAggregate()
	p := newExchangeProgress(opts.IO)
	for _, s := range opts.Samples {
		if err := opts.readSamples(ctx, s, func(ex drift.Exchange) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			if t := ex.ReqHeader.Get(opts.TenantHeader); opts.TenantHeader != "" && t != "" {
				ex.Tenant = t // else the sample's own tenant, if any
			}
			agg.Add(v.Check(ctx, ex)...)
			p.tick()
			return nil
		}); err != nil {
			p.done()
			return err
		}
	}
	p.done()
	st := v.Stats()
	d := report.NewDrift(report.Drift{Tool: report.Tool{Name: "relay", Version: Version()},
		Function: id.function, Version: id.version, Contract: id.display, Samples: opts.Samples,
		ShowValues: opts.ShowValues, Drifts: agg.Events(),
		Summary: report.DriftSummary{Exchanges: st.Exchanges, Truncated: st.Truncated, InternalErrors: st.Internal}})
	if err := writeDrift(opts.IO, opts.Outputs, d); err != nil {
		return err
	}
	if err := opts.emit(ctx, agg.Events()); err != nil {
		return err
	}
	if st.Internal > 0 {
		return &driftInternalError{n: st.Internal}
	}
	if d.Summary.ExitCode != report.ExitNoDrift {
		return &verdictError{code: d.Summary.ExitCode}
	}
	return nil
}

// emit hands the drifts to the sinks the flags ask for: the events file and
// the registry's incident store. The report is written first, so a sink
// that fails never hides what was found; its failure is exit 1.
func (opts *DriftCheckOptions) emit(ctx context.Context, events []event.Event) error {
	if opts.Events != "" {
		if err := os.MkdirAll(filepath.Dir(opts.Events), 0o755); err != nil {
			return fmt.Errorf("cannot create the directory of --events %s: %w", opts.Events, pathErrCause(err))
		}
		j, err := sink.OpenJSONLines(opts.Events)
		if err != nil {
			return err
		}
		err = j.Emit(ctx, events)
		if cerr := j.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if opts.RecordIncidents && len(events) > 0 {
		r := RegistryOptions{IO: opts.IO, Registry: opts.Registry, Getenv: opts.Getenv}
		return r.withIncidents(ctx, func(ctx context.Context, s registry.IncidentStore) error {
			if err := (sink.Incidents{Store: s}).Emit(ctx, events); err != nil {
				return fmt.Errorf("cannot record the drifts as incidents: %w", err)
			}
			fmt.Fprintf(opts.IO.ErrOut, "recorded %d drifts as incidents of %s (relay drift incidents --function %s)\n",
				len(events), safe(opts.Function), safe(opts.Function))
			return nil
		})
	}
	return nil
}

func writeDrift(ios *iostreams.IOStreams, outs []output, d *report.Drift) error {
	return renderThenWrite(ios, outs, func(o output) (renderer[*report.Drift], error) {
		return report.LookupDrift(o.Format)
	}, d)
}

// contractID names the contract traffic is judged against.
type contractID struct {
	function, version, contract string
	display                     string
}

// loadContract loads --contract, or --function's active version through
// the same gated path as relay contract diff --function.
func (opts *DriftCheckOptions) loadContract(ctx context.Context) (*load.Document, contractID, error) {
	if opts.Function == "" {
		var lo load.Options
		var err error
		if opts.Contract == stdinName {
			lo, err = stdinLoadOptions(ctx, opts.IO, "given")
		} else {
			lo, err = fileLoadOptions(opts.Contract, "given")
		}
		if err != nil {
			return nil, contractID{}, err
		}
		lo.Kind = opts.Kind
		doc, err := load.Load(lo)
		if err != nil {
			return nil, contractID{}, check.LoadError(err, "given", lo.Display)
		}
		return doc, contractID{contract: opts.Contract, display: opts.Contract}, nil
	}
	d := &DiffOptions{IO: opts.IO, Registry: opts.Registry, AllowedSigners: opts.AllowedSigners,
		ConfigPath: opts.ConfigPath, Getenv: opts.Getenv}
	spec := sideSpec{Kind: sideRegistry, Raw: "registry:" + opts.Function}
	v, err := d.registryVersion(ctx, spec)
	if err != nil {
		return nil, contractID{}, err
	}
	d.registryBase = &v
	lo, err := d.registryOptions(ctx, spec)
	if err != nil {
		return nil, contractID{}, err
	}
	lo.Kind = opts.Kind
	doc, err := load.Load(lo)
	if err != nil {
		return nil, contractID{}, check.LoadError(err, "active", lo.Display)
	}
	return doc, contractID{function: v.Function, version: v.Version, display: lo.Display}, nil
}

// readSamples streams one recording through fn.
func (opts *DriftCheckOptions) readSamples(ctx context.Context, name string, fn func(drift.Exchange) error) error {
	var r io.Reader
	if name == stdinName {
		r = opts.IO.In
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("cannot read the samples %s: %w", name, pathErrCause(err))
		}
		defer func() { _ = f.Close() }()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return fmt.Errorf("the samples %s are a directory, not a file", name)
		}
		r = f
	}
	br := bufio.NewReaderSize(r, 64<<10)
	format := opts.SamplesFormat
	if format == "" {
		format = sniffSamples(name, br)
	}
	read := drift.ReadNDJSON
	if format == "har" {
		read = drift.ReadHAR
	}
	err := read(br, fn)
	if err != nil && !errors.Is(err, ctx.Err()) {
		display := name
		if name == stdinName {
			display = "standard input"
		}
		return fmt.Errorf("the samples %s (%s): %w", display, format, err)
	}
	return err
}

// sniffSamples tells HAR from NDJSON: by extension, else a HAR is a JSON
// object whose first member is "log" (every exporter writes it first).
func sniffSamples(name string, br *bufio.Reader) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".har":
		return "har"
	case ".ndjson", ".jsonl":
		return "ndjson"
	}
	head, _ := br.Peek(4096)
	s := strings.TrimLeft(string(head), " \t\r\n\ufeff")
	if strings.HasPrefix(s, "{") && strings.HasPrefix(strings.TrimLeft(s[1:], " \t\r\n"), `"log"`) {
		return "har"
	}
	return "ndjson"
}
