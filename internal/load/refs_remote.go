package load

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/relay-dev/relay/internal/source"
)

// remoteFile loads (once) a file reached through an http(s) $ref, or a
// relative $ref inside a remote file. It is refused unless the caller
// allowed remote refs: a contract must not make relay touch the network.
func (l *loader) remoteFile(base, loc string, ref *source.Node) (*source.File, *source.Error) {
	u, err := url.Parse(loc)
	if err == nil && base != "" {
		var b *url.URL
		if b, err = url.Parse(base); err == nil {
			u = b.ResolveReference(u)
		}
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, source.Errorf(ref.ValuePos(), "$ref %s is not an http or https URL", quote(ref.Value))
	}
	u.Fragment, u.RawFragment = "", ""
	key := "url:" + u.String()
	if f := l.byKey[key]; f != nil {
		return f, nil
	}
	if !l.opts.AllowRemoteRefs {
		return nil, source.Errorf(ref.ValuePos(),
			"remote $ref %s is refused; pass --allow-remote-refs to fetch it", quote(ref.Value))
	}
	if e := l.checkFileCount(ref); e != nil {
		return nil, e
	}
	if l.fetcher == nil {
		l.fetcher = newFetcher(l.lim.MaxFileBytes)
	}
	data, err := l.fetcher.get(u.String())
	if err != nil {
		return nil, source.Errorf(ref.ValuePos(), "remote $ref %s could not be fetched: %s",
			quote(ref.Value), source.Truncate(err.Error(), echoMax))
	}
	f, e := l.addFile(u.String(), u.Path, data)
	if e != nil {
		return nil, e
	}
	l.doc.Remote[f] = u.String()
	l.byKey[key] = f
	return f, nil
}

// fetcher gets remote $ref targets with a timeout, a size cap, and no
// redirects to anything but http(s).
type fetcher struct {
	client *http.Client
	max    int
}

func newFetcher(maxBytes int) *fetcher {
	return &fetcher{max: maxBytes, client: &http.Client{
		Timeout: 10 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s URL is not allowed", req.URL.Scheme)
			}
			return nil
		},
	}}
}

func (f *fetcher) get(u string) ([]byte, error) {
	resp, err := f.client.Get(u)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, int64(f.max)+1))
}
