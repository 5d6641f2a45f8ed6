// Package drift validates real traffic against a contract: recorded
// exchanges (relay drift check) and live ones (the drift proxy).
package drift

import (
	"net/http"
	"time"
)

// Exchange is one request and its response as captured: by a HAR or NDJSON
// recording, or by the proxy. Bodies longer than the capture cap are cut
// and marked truncated; a truncated body is checked for framing and type
// only.
type Exchange struct {
	Time          time.Time
	Method        string // GET, POST…
	URL           string // an absolute URL, or just the path and query
	ReqHeader     http.Header
	ReqBody       []byte
	ReqTruncated  bool
	Status        int
	RespHeader    http.Header
	RespBody      []byte
	RespTruncated bool
	Tenant        string // optional: set by callers from a configured header
}
