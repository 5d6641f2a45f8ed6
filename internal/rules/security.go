package rules

import (
	"sort"
	"strings"

	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/source"
)

var (
	secAdded = def(Rule{
		ID: "operation-security-added", Level: finding.Breaking, Side: Request,
		Summary: "authentication is now required on an open operation",
		Message: "%s now requires authentication (%s)",
		Doc: `Anonymous clients are now rejected with 401.

  base:     get: {security: []}
  revision: get: {security: [{api_key: []}]}`,
	})
	secRemoved = def(Rule{
		ID: "operation-security-removed", Level: finding.NonBreaking, Side: Request,
		Summary: "an operation no longer requires authentication",
		Message: "%s no longer requires authentication",
		Doc: `Clients that authenticate are still accepted.

  base:     get: {security: [{api_key: []}]}
  revision: get: {security: []}`,
	})
	secAltRemoved = def(Rule{
		ID: "operation-security-alternative-removed", Level: finding.Breaking, Side: Request,
		Summary: "a way to authenticate was removed",
		Message: "%s no longer accepts authentication with %s",
		Doc: `Clients that authenticate this way are now rejected.

  base:     security: [{api_key: []}, {oauth: [read]}]
  revision: security: [{oauth: [read]}]`,
	})
	secAltAdded = def(Rule{
		ID: "operation-security-alternative-added", Level: finding.NonBreaking, Side: Request,
		Summary: "a way to authenticate was added",
		Message: "%s now also accepts authentication with %s",
		Doc: `An additional alternative; existing clients are unaffected.

  base:     security: [{oauth: [read]}]
  revision: security: [{oauth: [read]}, {api_key: []}]`,
	})
	secScopeAdded = def(Rule{
		ID: "operation-security-scope-added", Level: finding.Breaking, Side: Request,
		Summary: "an operation requires an additional scope",
		Message: "%s now requires scope %s of %s",
		Doc: `Tokens issued without the new scope are rejected.

  base:     security: [{oauth: [read]}]
  revision: security: [{oauth: [read, write]}]`,
	})
	secScopeRemoved = def(Rule{
		ID: "operation-security-scope-removed", Level: finding.NonBreaking, Side: Request,
		Summary: "an operation requires fewer scopes",
		Message: "%s no longer requires scope %s of %s",
		Doc: `Tokens with the old scopes still work.

  base:     security: [{oauth: [read, write]}]
  revision: security: [{oauth: [read]}]`,
	})
)

// requirement is one alternative of a security requirement list: scheme
// name → scopes.
type requirement struct {
	key    string // sorted scheme names
	node   *source.Node
	scopes map[string][]*source.Node
}

func requirements(list *source.Node) (alts []requirement, open bool) {
	if list == nil || list.Kind != source.Array || len(list.Children) == 0 {
		return nil, true
	}
	for _, alt := range list.Children {
		if len(alt.Children) == 0 {
			open = true // {} admits anonymous callers
			continue
		}
		req := requirement{node: alt, scopes: map[string][]*source.Node{}}
		var names []string
		for _, s := range alt.Children {
			names = append(names, s.Key)
			req.scopes[s.Key] = s.Children
		}
		sort.Strings(names)
		req.key = strings.Join(names, "+")
		alts = append(alts, req)
	}
	return alts, open
}

func checkSecurity(e *emitter, op *diff.OpPair) {
	if op.Rev.Kind != diff.HTTP {
		return
	}
	bAlts, bOpen := requirements(op.Base.Security)
	rAlts, rOpen := requirements(op.Rev.Security)
	name := op.Name()
	revSite := op.Rev.Security
	if revSite == nil {
		revSite = op.Rev.Node
	}
	switch {
	case bOpen && !rOpen:
		e.onOp(op, secAdded, changed(op.Base.Security, revSite), name, altNames(rAlts))
	case !bOpen && rOpen && len(rAlts) == 0:
		e.onOp(op, secRemoved, changed(op.Base.Security, revSite), name)
	case !bOpen:
		compareAlternatives(e, op, bAlts, rAlts, revSite)
	}
}

func altNames(alts []requirement) string {
	var keys []string
	for _, a := range alts {
		keys = append(keys, a.key)
	}
	return strings.Join(keys, " or ")
}

func compareAlternatives(e *emitter, op *diff.OpPair, bAlts, rAlts []requirement, revSite *source.Node) {
	name := op.Name()
	find := func(alts []requirement, key string) *requirement {
		for i := range alts {
			if alts[i].key == key {
				return &alts[i]
			}
		}
		return nil
	}
	for _, b := range bAlts {
		r := find(rAlts, b.key)
		if r == nil {
			e.onOp(op, secAltRemoved, removed(b.node, revSite), name, quote(b.key))
			continue
		}
		compareScopes(e, op, b, *r)
	}
	for _, r := range rAlts {
		if find(bAlts, r.key) == nil {
			e.onOp(op, secAltAdded, added(r.node), name, quote(r.key))
		}
	}
}

func compareScopes(e *emitter, op *diff.OpPair, b, r requirement) {
	for scheme, rScopes := range r.scopes {
		bScopes := b.scopes[scheme]
		for _, s := range rScopes {
			if !containsValue(bScopes, s.Value) {
				e.onOp(op, secScopeAdded, added(s), op.Name(), quote(s.Value), quote(scheme))
			}
		}
		for _, s := range bScopes {
			if !containsValue(rScopes, s.Value) {
				e.onOp(op, secScopeRemoved, removed(s, r.node), op.Name(), quote(s.Value), quote(scheme))
			}
		}
	}
}

func containsValue(list []*source.Node, v string) bool {
	for _, n := range list {
		if n.Value == v {
			return true
		}
	}
	return false
}
