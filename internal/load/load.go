// Package load turns contract bytes into a *Document: it guards against
// hostile input, parses JSON as JSON and YAML with goccy/go-yaml into relay's
// position-aware tree (package source), sniffs the contract kind, and loads
// and checks every $ref'd file inside the contract's directory tree.
package load

import (
	"io/fs"

	"github.com/relay-dev/relay/internal/source"
)

// Limits bound what a single load may consume. Zero fields take defaults.
type Limits struct {
	MaxFileBytes int // per file; default 64 MiB
	MaxDepth     int // nesting depth; default 256
	MaxNodes     int // nodes per file after alias expansion; default 20 million
	MaxKeyBytes  int // one mapping key; default 4096
	MaxAliases   int // alias/merge expansions per file; default 10000
	MaxFiles     int // files in one contract bundle; default DefaultMaxFiles
	// MaxTotalBytes and MaxTotalNodes bound the whole bundle, so raising
	// MaxFiles does not raise what a load may hold in memory: at most these
	// totals plus one file being parsed. Defaults DefaultMaxTotalBytes and
	// 20 million. The byte total is enforced while reading: a file is read
	// only up to what the total leaves, so an oversized bundle is refused
	// before its last file is parsed (relay's --max-total-bytes).
	MaxTotalBytes int
	MaxTotalNodes int
}

// DefaultMaxFiles is how many files one contract may span unless the caller
// says otherwise (relay's --max-files). Real specs split one schema per
// file: DigitalOcean's public spec spans well over 1,000.
const DefaultMaxFiles = 10_000

// DefaultMaxTotalBytes is how many bytes one contract's files may hold
// together unless the caller says otherwise: as much as the largest single
// file allowed. Parsing costs tens of times the input in memory, so four
// files just under the per-file cap would otherwise take gigabytes. Real
// specs are far smaller (Stripe's is about 4 MB).
const DefaultMaxTotalBytes = 64 << 20

// Options says what to load and how.
type Options struct {
	// FS holds the contract's directory tree: $ref'd files are read from it and
	// never from outside it. fs.FS paths cannot contain "..", which is what
	// confines refs. For stdin, FS is the working directory.
	FS fs.FS
	// Path is the main file's slash-separated path inside FS.
	Path string
	// Display is how the main file is named in messages and reports
	// (e.g. "docs/contracts/payments.yml", "git:main:api.yaml", "-").
	// Files reached through $ref are displayed relative to it.
	Display string
	// Data, when non-nil, is the main file's content (stdin); Path then only
	// names it for $ref resolution and extension sniffing.
	Data []byte
	// URL, when set, is the http(s) URL Data was fetched from: the main
	// file is then remote like a fetched $ref, so its relative $refs are
	// resolved against the URL (and fetched only through Fetch).
	URL string
	// Kind forces the kind for documents without a marker ("" = sniff).
	Kind Kind
	// Fetch gets a remote $ref's bytes. http(s) $refs are refused unless
	// it is set (--allow-remote-refs): it is the caller's, so loading
	// never opens a connection the caller did not provide.
	Fetch Fetcher
	// DeferContractCheck leaves the checks of the document's kind (JSON
	// Schema meta-schemas, the function contract shape) to the caller, who
	// runs CheckContract: relay contract validate reports a schema that
	// breaks its meta-schema as an invalid document, not as one that could
	// not be loaded.
	DeferContractCheck bool
	Limits             Limits
}

// Document is a loaded contract: its main file plus every file it $refs.
type Document struct {
	Kind Kind
	// SpecVersion is the format version: "2.0", "3.0.3", "3.1.0", a JSON
	// Schema dialect URI, an AsyncAPI version…
	SpecVersion string
	// APIVersion is the contract's own version (info.version / version).
	APIVersion string
	Main       *source.File
	// Files lists every loaded file, main first, then in load order.
	Files []*source.File
	// Paths maps each loaded file to its slash path inside Options.FS.
	Paths map[*source.File]string
	// Remote maps each file fetched over http(s) (only with
	// Options.Fetch) to its URL; such files have no entry in Paths.
	Remote map[*source.File]string
	SHA256 string // hex sha256 of the main file's bytes
	// ContractChecked says Load ran CheckContract (unless deferred).
	ContractChecked bool
	// Warnings are problems Load worked around, each at the node it is
	// about (a $ref with an unescaped '/' in a key): the document loads,
	// and callers show them (relay prints "relay: warning: …" on stderr).
	Warnings []*source.Error

	refs map[*source.Node]*source.Node // node holding "$ref" → its direct target
}

// Target returns the node that n's "$ref" member points at (one hop), or nil
// when n is not an object with a string "$ref". Load has already checked that
// every reference resolves, so a nil result means "no $ref".
func (d *Document) Target(n *source.Node) *source.Node {
	if n == nil || d.refs == nil {
		return nil
	}
	return d.refs[n]
}

// Deref follows "$ref" hops from n until a node without one. Load rejects
// $ref chains that loop without reaching content, so this terminates.
func (d *Document) Deref(n *source.Node) *source.Node {
	for i := 0; i < 1_000_000; i++ {
		t := d.Target(n)
		if t == nil {
			return n
		}
		n = t
	}
	return n
}
