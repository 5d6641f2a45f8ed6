package load

import (
	"context"
	"errors"
	"io"
	"net/url"
	"time"

	"github.com/relay-dev/relay/internal/source"
)

// Fetcher gets the body of an http(s) URL for a remote $ref: Options.Fetch.
// The caller owns the transport and its policy (redirects, which answers
// count as success); package load never touches the network itself, and
// bounds every fetch's size and time. A Fetcher must give up when ctx
// ends; the caller of Fetcher closes the body.
type Fetcher func(ctx context.Context, url string) (io.ReadCloser, error)

// fetchTimeout bounds one remote $ref fetch, body included.
const fetchTimeout = 10 * time.Second

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
	if l.opts.Fetch == nil {
		return nil, source.Errorf(ref.ValuePos(),
			"remote $ref %s is refused; pass --allow-remote-refs to fetch it", quote(ref.Value))
	}
	if e := l.checkFileCount(ref); e != nil {
		return nil, e
	}
	if l.fetcher == nil {
		l.fetcher = &fetcher{fetch: l.opts.Fetch}
	}
	l.fetcher.max = l.readCap()
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

// fetcher runs Options.Fetch within the load's limits: a timeout, and a
// cap on the bytes read (one past the file limit, so the file guard can
// say the file is too large).
type fetcher struct {
	fetch Fetcher
	max   int
}

func (f *fetcher) get(u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	body, err := f.fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	defer func() { _ = body.Close() }() // read-only; everything needed was read
	data, err := io.ReadAll(io.LimitReader(body, int64(f.max)+1))
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, errors.New("it took longer than " + fetchTimeout.String())
	}
	return data, nil
}
