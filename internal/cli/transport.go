package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
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
