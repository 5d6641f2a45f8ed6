package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/drift"
	"github.com/relay-dev/relay/internal/drift/proxy"
	"github.com/relay-dev/relay/internal/drift/sink"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
)

// checkerFor builds the runtime validator for a loaded contract: the drift
// engine, compiled once per contract version. Tests swap it for a fake.
var checkerFor = func(ctx context.Context, doc *load.Document) (proxy.Checker, error) {
	return drift.NewValidator(ctx, doc, drift.Options{})
}

// DriftProxyOptions holds `relay drift proxy`'s validated inputs.
type DriftProxyOptions struct {
	IO       *iostreams.IOStreams
	Function string
	Contract string
	Registry string
	Getenv   func(string) string

	Upstream     *url.URL
	Listen       string
	AdminListen  string
	Sampling     proxy.Sampling
	TenantHeader string
	BodyCap      int64
	QueueSize    int
	Workers      int
	Events       string
	Shutdown     time.Duration
	PollInterval time.Duration
}

type driftProxyFlags struct {
	function, contract, registry, upstream, listen, admin, tenant, events string
	rate                                                                  float64
	opRates                                                               []string
	sampleErrors                                                          bool
	bodyCap                                                               byteSize
	queue, workers                                                        int
	shutdown, poll                                                        time.Duration
}

const driftProxyLong = `Run a reverse proxy in front of a service, in any language, and judge a
sample of its real traffic against the function's active contract.

The proxy never changes a byte of a response and never makes a client wait
for validation: sampled bodies are copied up to --body-cap, and the
exchange is judged off the request path by --workers workers fed from a
queue of --queue-size; when the queue is full the exchange is dropped and
counted. Any internal error is logged and counted, and traffic flows on.
Chunked and streamed bodies, gzip, websockets and server-sent events pass
through untouched (gzip is decompressed for judging only, up to the cap).

--sample-rate is the share of requests judged; --sample-rate-op sets the
rate of one operation ('GET /pets/{id}=0.5', repeatable; the most specific
template wins), and responses with a status of 400 or more are always
judged unless --sample-errors=false.

With --function the contract is the function's active registry version,
re-read every --poll-interval: when a new version is approved the proxy
swaps to it without a restart and logs "judging against F@V now". With
--contract PATH the file is the contract and is not watched.

Drift is written as contract.drift events in JSON lines to --events (a
file, appended to, or '-' for standard output). The admin listener serves
/healthz, /readyz and /metrics (Prometheus text). On SIGTERM or SIGINT the
proxy stops accepting, lets in-flight requests finish, judges what is
queued, and exits 0; --shutdown-timeout bounds all of it.

Exit codes: 0 after a clean shutdown, 1 when the contract cannot be loaded
or an address cannot be listened on, 2 for a usage error.`

const driftProxyExample = `  relay drift proxy --function my-team/pets --upstream http://127.0.0.1:8080 --listen :8000
  relay drift proxy --contract api.yaml --upstream http://127.0.0.1:8080 --listen 127.0.0.1:8000 \
    --sample-rate 0.05 --sample-rate-op 'POST /pets=1' --tenant-header X-Tenant --events drift.jsonl`

func newCmdDriftProxy(ios *iostreams.IOStreams) *cobra.Command {
	return newCmdDriftProxyWith(ios, nil)
}

func newCmdDriftProxyWith(ios *iostreams.IOStreams, runF func(*DriftProxyOptions) error) *cobra.Command {
	f := driftProxyFlags{bodyCap: byteSize(proxy.DefaultBodyCap)}
	cmd := &cobra.Command{
		Use:     "proxy (--function NAME | --contract PATH) --upstream URL --listen ADDR",
		Short:   "Judge live traffic against the contract, as a sidecar reverse proxy",
		Long:    driftProxyLong,
		Example: driftProxyExample,
		Args:    cobra.NoArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			opts, err := f.options(ios)
			if err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runDriftProxy(cmd.Context(), opts)
		}),
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVar(&f.function, "function", "", "judge against this registry function's active version (`NAME`), followed as approvals change it")
	fl.StringVar(&f.contract, "contract", "", "judge against this contract file (`PATH`); with --function, the function only labels events")
	fl.StringVar(&f.registry, "registry", "", "the registry `URL` for --function (default $"+RegistryEnv+", then .relay/registry)")
	fl.StringVar(&f.upstream, "upstream", "", "the service to forward to (`URL`, such as http://127.0.0.1:8080)")
	fl.StringVar(&f.listen, "listen", "", "the `ADDR` to accept traffic on, such as :8000")
	fl.StringVar(&f.admin, "admin-listen", "127.0.0.1:9464", "the `ADDR` of /healthz, /readyz and /metrics")
	fl.Float64Var(&f.rate, "sample-rate", 0.01, "the share of requests judged, from 0 to 1 (`RATE`)")
	fl.StringArrayVar(&f.opRates, "sample-rate-op", nil, "the rate of one operation, `'GET /pets/{id}=0.5'` (repeatable)")
	fl.BoolVar(&f.sampleErrors, "sample-errors", true, "always judge responses with a status of 400 or more")
	fl.StringVar(&f.tenant, "tenant-header", "", "the request `HEADER` naming the tenant, for event and metric labels")
	fl.Var(&f.bodyCap, "body-cap", "the most of each body `SIZE` captured and decompressed for judging")
	fl.IntVar(&f.queue, "queue-size", proxy.DefaultQueueSize, "exchanges waiting to be judged before new ones are dropped (`N`)")
	fl.IntVar(&f.workers, "workers", 2, "exchanges judged at once (`N`)")
	fl.StringVar(&f.events, "events", "-", "where contract.drift events go as JSON lines: a `PATH` (appended to) or - for standard output")
	fl.DurationVar(&f.shutdown, "shutdown-timeout", 10*time.Second, "on SIGTERM, how long in-flight requests and the queue get (`DURATION`)")
	fl.DurationVar(&f.poll, "poll-interval", 2*time.Second, "how often the registry is read for a newly approved version (`DURATION`)")
	return cmd
}

func (f *driftProxyFlags) options(ios *iostreams.IOStreams) (*DriftProxyOptions, error) {
	if f.function == "" && f.contract == "" {
		return nil, usageErrorf("give --function NAME or --contract PATH: the contract to judge traffic against")
	}
	if f.upstream == "" || f.listen == "" {
		return nil, usageErrorf("give --upstream URL and --listen ADDR: where traffic goes, and where it comes in")
	}
	up, err := url.Parse(f.upstream)
	if err != nil || (up.Scheme != "http" && up.Scheme != "https") || up.Host == "" {
		return nil, usageErrorf("--upstream %q is not an http:// or https:// URL with a host", f.upstream)
	}
	if _, err := proxy.ParseRate(fmt.Sprint(f.rate)); err != nil {
		return nil, usageErrorf("--sample-rate: %v", err)
	}
	o := &DriftProxyOptions{IO: ios, Function: f.function, Contract: f.contract, Registry: f.registry, Upstream: up,
		Listen: f.listen, AdminListen: f.admin, TenantHeader: f.tenant, BodyCap: int64(f.bodyCap),
		QueueSize: f.queue, Workers: f.workers, Events: f.events, Shutdown: f.shutdown, PollInterval: f.poll,
		Sampling: proxy.Sampling{Rate: f.rate, Errors: f.sampleErrors}}
	for _, s := range f.opRates {
		op, err := proxy.ParseOpRate(s)
		if err != nil {
			return nil, usageErrorf("--sample-rate-op: %v", err)
		}
		o.Sampling.Ops = append(o.Sampling.Ops, op)
	}
	switch {
	case f.queue < 1 || f.workers < 1:
		return nil, usageErrorf("--queue-size and --workers must be at least 1")
	case f.shutdown <= 0 || f.poll <= 0:
		return nil, usageErrorf("--shutdown-timeout and --poll-interval must be positive durations such as 10s")
	}
	return o, nil
}

func runDriftProxy(ctx context.Context, o *DriftProxyOptions) error {
	logf := o.logger()
	src, watch, closeSrc, err := o.source(ctx, logf)
	if err != nil {
		return err
	}
	defer closeSrc()
	emitter, closeEvents, err := o.emitter()
	if err != nil {
		return err
	}
	defer closeEvents()
	p, err := proxy.New(proxy.Options{Upstream: o.Upstream, Source: src, Emitter: emitter, Function: o.Function,
		Sampling: o.Sampling, TenantHeader: o.TenantHeader, BodyCap: o.BodyCap, QueueSize: o.QueueSize,
		Workers: o.Workers, Logf: logf})
	if err != nil {
		return err
	}
	ln, admin, err := o.listen()
	if err != nil {
		return err
	}
	if err := p.Start(ctx); err != nil {
		_, _ = ln.Close(), admin.Close()
		return err
	}
	if watch != nil {
		go watch(ctx)
	}
	extendInterruptGrace(o.Shutdown + time.Second)
	logf("forwarding %s to %s; admin on %s", ln.Addr(), redactURL(o.Upstream.String()), admin.Addr())
	err = proxy.NewServer(p, proxy.Timeouts{Shutdown: o.Shutdown}).Serve(ctx, ln, admin)
	if err != nil && ctx.Err() != nil {
		logf("stopped: %v", err) // a late drain is logged and counted, not a failure of the run
		return nil
	}
	if err == nil {
		logf("stopped")
	}
	return err
}

// logger writes one line per call to stderr; the proxy logs from many
// goroutines.
func (o *DriftProxyOptions) logger() func(format string, args ...any) {
	var mu sync.Mutex
	return func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = fmt.Fprintf(o.IO.ErrOut, "relay drift proxy: "+format+"\n", args...)
	}
}

func (o *DriftProxyOptions) listen() (net.Listener, net.Listener, error) {
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot listen on --listen %s: %w", o.Listen, errors.Unwrap(err))
	}
	admin, err := net.Listen("tcp", o.AdminListen)
	if err != nil {
		_ = ln.Close()
		return nil, nil, fmt.Errorf("cannot listen on --admin-listen %s: %w", o.AdminListen, errors.Unwrap(err))
	}
	return ln, admin, nil
}

// emitter writes JSON lines to --events.
func (o *DriftProxyOptions) emitter() (proxy.Emitter, func(), error) {
	if o.Events == "-" {
		return sink.NewJSONLines(o.IO.Out), func() {}, nil
	}
	if err := os.MkdirAll(filepath.Dir(o.Events), 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create the directory of --events %s: %w", o.Events, pathErrCause(err))
	}
	f, err := os.OpenFile(o.Events, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open --events %s: %w", o.Events, pathErrCause(err))
	}
	return sink.NewJSONLines(f), func() { _ = f.Close() }, nil
}

// source is the contract file, or the function's active version followed
// by polling.
func (o *DriftProxyOptions) source(ctx context.Context, logf func(string, ...any)) (proxy.Source, func(context.Context), func(), error) {
	if o.Contract != "" {
		c, err := o.contractChecker(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		return proxy.StaticSource{Checker: c, Name: o.Contract}, nil, func() {}, nil
	}
	loc := registryLocation(o.Registry, o.Getenv)
	// Through the same gate as contract diff --function: with signed
	// approvals, the active version is the latest one whose approval
	// verifies, never one a forged approval made active.
	r := RegistryOptions{IO: o.IO, Registry: o.Registry, Getenv: o.Getenv}
	store, err := r.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	src := &proxy.RegistrySource{Store: store, Function: o.Function, Build: bundleChecker, Interval: o.PollInterval, Logf: logf}
	if _, _, err := src.Current(ctx); err != nil {
		_ = store.Close()
		return nil, nil, nil, fmt.Errorf("%w (registry at %s)", err, redactURL(loc))
	}
	return src, src.Watch, func() { _ = store.Close() }, nil
}

func (o *DriftProxyOptions) contractChecker(ctx context.Context) (proxy.Checker, error) {
	lo, err := fileLoadOptions(o.Contract, "proxy's")
	if err != nil {
		return nil, err
	}
	doc, err := load.Load(lo)
	if err != nil {
		return nil, check.LoadError(err, "proxy's", lo.Display)
	}
	return checkerFor(ctx, doc)
}

// bundleChecker loads a registry version from its stored bytes.
func bundleChecker(ctx context.Context, v registry.Version) (proxy.Checker, error) {
	lo := load.Options{FS: bundleFS(v.Files), Path: v.Main, Display: "registry:" + v.Ref() + "/" + v.Main,
		Kind: load.Kind(v.Kind)}
	doc, err := load.Load(lo)
	if err != nil {
		return nil, check.LoadError(err, "proxy's", lo.Display)
	}
	return checkerFor(ctx, doc)
}
