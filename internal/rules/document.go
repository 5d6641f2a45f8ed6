package rules

import (
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	schemeRemoved = def(Rule{
		ID: "security-scheme-removed", Level: finding.Breaking,
		Summary: "a security scheme was removed",
		Message: "security scheme %s was removed",
		Doc: `Clients configured for this scheme can no longer authenticate with it.

  base:     securitySchemes: {api_key: ..., oauth: ...}
  revision: securitySchemes: {oauth: ...}`,
	})
	schemeUnusedRemoved = def(Rule{
		ID: "security-scheme-unused-removed", Level: finding.Info,
		Summary: "a security scheme no operation used was removed",
		Message: "security scheme %s was removed; no operation required it",
		Why: `A scheme only matters through the security requirements that name it. When
no operation (nor the document's default) of the base required it, no
client can have authenticated with it, so removing the definition changes
nothing on the wire; a scheme some operation required stays breaking.`,
		Doc: `Removing an unused definition is clean-up.

  base:     securitySchemes: {api_key: ..., oauth: ...}   # only oauth is required anywhere
  revision: securitySchemes: {oauth: ...}`,
	})
	schemeAdded = def(Rule{
		ID: "security-scheme-added", Level: finding.Info,
		Summary: "a security scheme was defined",
		Message: "security scheme %s was added",
		Doc: `A definition alone changes nothing; operations that require it are reported
by the operation-security rules.

  base:     securitySchemes: {oauth: ...}
  revision: securitySchemes: {oauth: ..., api_key: ...}`,
	})
	schemeChanged = def(Rule{
		ID: "security-scheme-changed", Level: finding.Breaking,
		Summary: "how a security scheme authenticates changed",
		Message: "%s of security scheme %s changed from %s to %s",
		Doc: `A different type, header name, location, HTTP scheme or token URL means
existing credentials are sent the wrong way.

  base:     api_key: {type: apiKey, in: header, name: X-API-Key}
  revision: api_key: {type: apiKey, in: query, name: api_key}`,
	})
	serverRemoved = def(Rule{
		ID: "server-removed", Level: finding.Warning,
		Summary: "a server URL was removed",
		Message: "server %s was removed",
		Doc: `Clients configured with this base URL may stop working.

  base:     servers: [{url: https://api.example.com/v1}]
  revision: servers: [{url: https://api.example.com/v2}]`,
	})
	serverAdded = def(Rule{
		ID: "server-added", Level: finding.Info,
		Summary: "a server URL was added",
		Message: "server %s was added",
		Doc: `  base:     servers: [{url: https://api.example.com}]
  revision: servers: [{url: https://api.example.com}, {url: https://eu.example.com}]`,
	})
	// ContractAdded is decided by the caller (check.Added), never by a diff:
	// the contract has no published base yet.
	ContractAdded = def(Rule{
		ID: "contract-added", Level: finding.NonBreaking, Caller: true,
		Summary: "a contract with no published base yet (a new manifest entry, or a function with no approved version)",
		Message: "new contract with %s: it has no published base (%s) to compare with",
		Doc: `Nothing can break for clients of a contract nobody could rely on yet, so the
whole contract is one non-breaking change that counts its operations. It is
still loaded and validated: a new contract that is not valid is refused.

  base:     (no file at the base ref, or no approved registry version)
  revision: payments.yml with 12 operations`,
	})
	infoChanged = def(Rule{
		ID: "api-info-changed", Level: finding.Info,
		Summary: "the API's title, version, description or contact changed",
		Message: "info %s changed",
		Doc: `  base:     info: {version: 1.4.0}
  revision: info: {version: 1.5.0}`,
	})
)

var schemeFields = []string{"type", "in", "name", "scheme", "openIdConnectUrl", "flow", "tokenUrl", "authorizationUrl"}

func checkDocument(e *emitter, res *diff.Result) {
	checkKindDocument(e, res)
	checkSchemes(e, res)
	checkServers(e, res.BaseAPI.Servers, res.RevisionAPI.Servers, res.RevisionAPI)
	info := orNode(res.RevisionAPI.Info, res.Revision.Main.Root) // a revision without info loses it at its root
	for _, k := range []string{"title", "version", "description", "contact", "license", "termsOfService"} {
		b, r := res.BaseAPI.Info.Get(k), res.RevisionAPI.Info.Get(k)
		if !sameValue(b, r) {
			e.onDoc(infoChanged, changedOrGone(b, r, info), k)
		}
	}
}

func checkSchemes(e *emitter, res *diff.Result) {
	base, rev := res.BaseAPI.SecuritySchemes, res.RevisionAPI.SecuritySchemes
	parent := rev
	if parent == nil {
		parent = res.Revision.Main.Root
	}
	used := usedSchemes(res.BaseAPI.Operations, map[string]bool{})
	for _, b := range children(base) {
		r := rev.Get(b.Key)
		switch {
		case r == nil && used[b.Key]:
			e.onDoc(schemeRemoved, removed(b, parent), quote(b.Key))
			continue
		case r == nil:
			e.onDoc(schemeUnusedRemoved, removed(b, parent), quote(b.Key))
			continue
		}
		bd, rd := res.Base.Deref(b), res.Revision.Deref(r)
		for _, f := range schemeFields {
			bv, rv := bd.Get(f), rd.Get(f)
			if bv != nil && rv != nil && bv.Value != rv.Value {
				e.onDoc(schemeChanged, changed(bv, rv), f, quote(b.Key), quote(bv.Value), quote(rv.Value))
			}
		}
	}
	for _, r := range children(rev) {
		if base.Get(r.Key) == nil {
			e.onDoc(schemeAdded, added(r), quote(r.Key))
		}
	}
}

// usedSchemes collects the scheme names the operations' effective security
// requirements (callbacks included) name.
func usedSchemes(ops []*diff.Operation, out map[string]bool) map[string]bool {
	for _, op := range ops {
		for _, alt := range children(op.Security) {
			for _, s := range alt.Children {
				out[s.Key] = true
			}
		}
		usedSchemes(op.Callbacks, out)
	}
	return out
}

func checkServers(e *emitter, base, rev []*diff.Server, api *diff.API) {
	has := func(list []*diff.Server, url string) bool {
		for _, s := range list {
			if s.URL == url {
				return true
			}
		}
		return false
	}
	parent := api.Doc.Main.Root.Get("servers")
	if parent == nil {
		parent = api.Doc.Main.Root
	}
	for _, b := range base {
		if !has(rev, b.URL) {
			e.onDoc(serverRemoved, removed(b.Node, parent), quote(b.URL))
		}
	}
	for _, r := range rev {
		if !has(base, r.URL) {
			e.onDoc(serverAdded, added(r.Node), quote(r.URL))
		}
	}
}

func children(n *source.Node) []*source.Node {
	if n == nil {
		return nil
	}
	return n.Children
}
