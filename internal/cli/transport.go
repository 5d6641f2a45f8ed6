package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// The network edge. Engine packages decide what to send or fetch, how
// much, how long and how often; the HTTP round trips happen here, so the
// engine never touches the network on its own.

// webhookClient delivers notifications; each attempt's deadline comes
// from notify through the context.
var webhookClient = &http.Client{}

// postWebhook is notify.Webhook's Post: one POST, whose answer is read
// (up to 64 KiB, so the connection can be reused) and dropped.
func postWebhook(ctx context.Context, u, contentType string, body []byte) (code int, status string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return 0, "", errors.New("the webhook URL cannot be posted to") // the parse error would quote the URL
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := webhookClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message quotes the URL, which is a credential
		}
		return 0, "", err
	}
	defer func() { _ = resp.Body.Close() }()                      // the answer was read; nothing to lose
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
	return resp.StatusCode, resp.Status, nil
}

// remoteRefClient fetches remote $refs (--allow-remote-refs). The loader
// bounds each fetch's time and size; this client adds the transport's
// rules: at most ten redirects, and only to http(s) URLs, so a contract
// cannot bounce relay to file:// or another scheme.
var remoteRefClient = &http.Client{
	CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect to a %s URL is not allowed", req.URL.Scheme)
		}
		return nil
	},
}

// fetchRemoteRef is load.Options.Fetch: a GET whose answer must be 200.
func fetchRemoteRef(ctx context.Context, u string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := remoteRefClient.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close() // the answer is refused unread
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	return resp.Body, nil
}

// A base or contract given as a URL (--allow-remote-refs): the whole
// fetch, body included, must finish within contractFetchTimeout, and at
// most maxContractBytes are read, the loader's own file-size limit.
// Variables only so that tests can lower them.
var (
	contractFetchTimeout = 30 * time.Second
	maxContractBytes     = 64 << 20
)

// fetchContract GETs a contract given as a URL, through the same client
// (and redirect rules) as remote $refs.
func fetchContract(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, contractFetchTimeout)
	defer cancel()
	body, err := fetchRemoteRef(ctx, u)
	if err == nil {
		defer func() { _ = body.Close() }() // read-only; everything needed is read below
		var data []byte
		data, err = io.ReadAll(io.LimitReader(body, int64(maxContractBytes)+1))
		if err == nil && len(data) > maxContractBytes {
			return nil, fmt.Errorf("it is larger than the limit of %d bytes", maxContractBytes)
		}
		if err == nil {
			return data, nil
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, fmt.Errorf("no complete answer within %s", contractFetchTimeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL the caller already names
	}
	return nil, err
}
