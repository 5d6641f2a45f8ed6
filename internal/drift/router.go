package drift

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy/pathpattern"
)

// router matches requests to operations with kin-openapi's path patterns
// (routers/legacy's matcher), without legacy.NewRouter's full validation
// of the document: real contracts with a flaw elsewhere (a duplicate
// required field, two templates that overlap) must still be matched, as
// their providers serve them. Overlapping templates resolve in sorted
// path order, so the match is deterministic.
type router struct {
	t    *openapi3.T
	root *pathpattern.Node
}

var errNoRoute = errors.New("no operation matches")

func newRouter(t *openapi3.T) (*router, error) {
	r := &router{t: t, root: &pathpattern.Node{}}
	if t.Paths == nil {
		return r, nil
	}
	paths := t.Paths.Map()
	keys := make([]string, 0, len(paths))
	for k := range paths {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, path := range keys {
		item := paths[path]
		methods := item.Operations()
		names := make([]string, 0, len(methods))
		for m := range methods {
			names = append(names, m)
		}
		sort.Strings(names)
		for _, m := range names {
			route := &routers.Route{Spec: t, Path: path, PathItem: item, Method: m, Operation: methods[m]}
			if err := r.root.Add(m+" "+path, route, nil); err != nil {
				return nil, fmt.Errorf("the path %s cannot be matched: %w", path, err)
			}
		}
	}
	return r, nil
}

// find is routers/legacy's FindRoute: the servers' prefixes first, then
// the path template.
func (r *router) find(req *http.Request) (*routers.Route, map[string]string, error) {
	remaining := req.URL.Path
	params := map[string]string{}
	if len(r.t.Servers) > 0 {
		server, values, rest := r.t.Servers.MatchURL(req.URL)
		if server == nil {
			return nil, nil, errNoRoute
		}
		names, err := server.ParameterNames()
		if err != nil {
			return nil, nil, err
		}
		for i, v := range values {
			if i < len(names) {
				params[names[i]] = v
			}
		}
		remaining = rest
	}
	if !strings.HasPrefix(remaining, "/") {
		remaining = "/" + remaining
	}
	node, values := r.root.Match(req.Method + " " + remaining)
	if node == nil {
		return nil, nil, errNoRoute
	}
	route, ok := node.Value.(*routers.Route)
	if !ok {
		return nil, nil, errNoRoute
	}
	for i, v := range values {
		if i < len(node.VariableNames) {
			params[strings.TrimSuffix(node.VariableNames[i], "*")] = v
		}
	}
	return route, params, nil
}
