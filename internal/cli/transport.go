package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/relay-dev/relay/internal/registry/notify"
)

// The network edge. Engine packages decide what to send or fetch, how
// much, how long and how often; the HTTP round trips happen here, so the
// engine never touches the network on its own.

// postWebhook is notify.Webhook's Post for webhooks that may not reach
// link-local addresses.
var postWebhook = newWebhookPost(false)

// newWebhookPost returns a notify.Post over its own client: one POST,
// whose answer is read (up to 64 KiB, so the connection can be reused) and
// dropped. Redirects are followed only within the webhook's own scheme,
// host and port (a 307 re-sends the decision, so a redirect elsewhere
// would hand it to another party); one to another origin is a final
// failure naming it. Connections to link-local addresses, where cloud
// metadata services answer, are refused before they are made unless
// allowLinkLocal.
func newWebhookPost(allowLinkLocal bool) notify.Post {
	client := webhookClient(allowLinkLocal)
	return func(ctx context.Context, u, contentType string, body []byte) (code int, status string, err error) {
		ans, err := webhookRoundTrip(ctx, client, u, contentType, body)
		var final *finalPost
		if errors.As(err, &final) {
			return 0, "", notify.Final(final.err)
		}
		return ans.code, ans.status, err
	}
}

// webhookAnswer is what the server said to one webhook POST.
type webhookAnswer struct {
	code       int
	status     string
	retryAfter string
}

// finalPost marks a round-trip error that retrying cannot cure; each
// caller turns it into its own package's final error.
type finalPost struct{ err error }

func (e *finalPost) Error() string { return e.err.Error() }
func (e *finalPost) Unwrap() error { return e.err }

// webhookRoundTrip makes one POST over client, reads the answer (up to
// 64 KiB, so the connection can be reused) and drops it; a redirect to
// another origin and a refused dial are finalPost errors.
func webhookRoundTrip(ctx context.Context, client *http.Client, u, contentType string, body []byte) (webhookAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return webhookAnswer{}, &finalPost{errors.New("the webhook URL cannot be posted to")} // the parse error would quote the URL
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message quotes the URL, which is a credential
		}
		var refused *refusedDial
		if errors.As(err, &refused) {
			return webhookAnswer{}, &finalPost{refused}
		}
		return webhookAnswer{}, err
	}
	defer func() { _ = resp.Body.Close() }()                      // the answer was read; nothing to lose
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
	if to := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && to != "" {
		return webhookAnswer{}, &finalPost{fmt.Errorf("the webhook redirected to another host (%s) with %s; "+
			"relay follows redirects only within the webhook's own scheme, host and port", originOf(req.URL, to), resp.Status)}
	}
	return webhookAnswer{code: resp.StatusCode, status: resp.Status, retryAfter: resp.Header.Get("Retry-After")}, nil
}

// webhookClient is the HTTP client of newWebhookPost.
func webhookClient(allowLinkLocal bool) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: guardWebhookDial(allowLinkLocal)}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = dialer.DialContext
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("the webhook redirected more than 10 times")
		}
		if !sameOrigin(req.URL, via[0].URL) {
			return http.ErrUseLastResponse // reported by the caller, which names the target
		}
		return nil
	}}
}

// sameOrigin compares scheme, host and port (the default port spelled
// out or not).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// originOf is a redirect target as messages show it: scheme, host and
// port only, since its path may be as secret as the webhook's.
func originOf(from *url.URL, location string) string {
	to, err := from.Parse(location)
	if err != nil || to.Host == "" {
		return "an unparsable location"
	}
	return to.Scheme + "://" + to.Host
}

// webhookDialObserver, when set, is told of every connection the webhook
// transport is about to make, after the guard allowed it; its error
// refuses the connection. Tests use it to record and contain dials.
var webhookDialObserver func(network, address string) error

// guardWebhookDial is the webhook dialer's Control hook: it runs after
// name resolution, with the IP address about to be connected to, and
// refuses link-local and cloud metadata addresses unless allowLinkLocal.
// Judging the resolved address, not the name, is what stops a name or a
// redirect that leads to 169.254.169.254.
func guardWebhookDial(allowLinkLocal bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		if ip := net.ParseIP(host); ip != nil && !allowLinkLocal && isLinkLocal(ip) {
			return &refusedDial{address: address}
		}
		if webhookDialObserver != nil {
			return webhookDialObserver(network, address)
		}
		return nil
	}
}

// refusedDial is the guard's refusal; delivery does not retry it.
type refusedDial struct{ address string }

func (e *refusedDial) Error() string {
	return fmt.Sprintf("refused to connect to %s: a link-local or cloud metadata address; "+
		"set notify.allow-link-local: true in .relay.yaml to allow it", e.address)
}

// metadataAddrs are cloud metadata services outside the link-local
// ranges: AWS's IPv6 endpoint and Alibaba Cloud's.
var metadataAddrs = []net.IP{net.ParseIP("fd00:ec2::254"), net.ParseIP("100.100.100.200")}

// isLinkLocal reports whether ip is link-local (169.254.0.0/16, fe80::/10,
// IPv4-mapped forms included), unspecified, or a known metadata address.
func isLinkLocal(ip net.IP) bool {
	if ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, m := range metadataAddrs {
		if m.Equal(ip) {
			return true
		}
	}
	return false
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
