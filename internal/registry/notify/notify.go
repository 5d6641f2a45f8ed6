// Package notify tells a team's chat or event bus that a contract version
// was approved or rejected: a Slack-compatible JSON message, or a
// CloudEvents 1.0 structured-mode event. Delivery is retried with
// exponential backoff a bounded number of times; the caller records a
// final failure in the audit trail and never undoes the decision, which
// is already committed when a notification is sent.
//
// The package decides what is sent, what is retried and for how long; the
// HTTP round trip itself is the caller's Post, so that the engine never
// touches the network on its own.
package notify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The payload formats.
const (
	FormatSlack       = "slack"
	FormatCloudEvents = "cloudevents"
)

// Decision is what happened to a version.
type Decision struct {
	Function, Version string
	// Action is "approve" or "reject".
	Action   string
	Reviewer string
	Reason   string
	Author   string
	// Verdict is the version's diff verdict against its base ("" for a
	// first version), Base the version it was compared with.
	Verdict, Base string
	Time          time.Time
}

// Post makes one HTTP POST of body, with the given Content-Type, to url
// and returns the answer's status code and status line ("503 Service
// Unavailable"). err is for an answer that never came (the network, the
// context ending); an answer of any status is not an error. It must give
// up when ctx ends.
type Post func(ctx context.Context, url, contentType string, body []byte) (code int, status string, err error)

// Webhook posts decisions to one URL.
type Webhook struct {
	URL    string
	Format string // FormatSlack (default) or FormatCloudEvents
	// Post makes each attempt; it is required.
	Post Post
	// Attempts bounds delivery tries (default 4); Backoff is the wait
	// before the first retry (default 500ms), doubled after each.
	Attempts int
	Backoff  time.Duration
	// Timeout bounds each attempt (default 10s).
	Timeout time.Duration
	// Sleep waits between attempts; tests replace it. It returns early
	// with the context's error when the context ends.
	Sleep func(context.Context, time.Duration) error
}

// Check reports what would make every delivery fail before any is tried:
// a URL that is not http(s) with a host, or an unknown format. Callers
// check before the decision is committed, so that a failed delivery only
// ever means the receiver could not be reached or refused.
func (w *Webhook) Check() error {
	if err := checkURL(w.URL); err != nil {
		return err
	}
	if w.Post == nil {
		return errors.New("the webhook has no transport to post with")
	}
	_, _, err := w.payload(Decision{})
	return err
}

// checkURL refuses a webhook URL that cannot be delivered to: not http(s)
// with a host, unparsable, or with a port outside 1–65535. Its message
// says what is wrong without repeating any of the URL, a credential.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("the webhook URL is not valid: %s", URLReason(err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return errors.New("the webhook must be an http(s) URL with a host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return errors.New("the webhook URL is not valid: its port is not a number from 1 to 65535")
		}
	}
	return nil
}

// URLReason says why net/url refused a URL without quoting it: its
// messages repeat the URL or the offending part of it, which may hold a
// credential (a webhook's secret path, a registry password).
func URLReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch msg := err.Error(); {
	case strings.Contains(msg, "invalid port"):
		return "its port is not a number from 1 to 65535"
	case strings.Contains(msg, "invalid URL escape"):
		return "it has an invalid %-escape (write a literal % as %25)"
	case strings.Contains(msg, "control character"):
		return "it contains a control character (a trailing newline?)"
	case strings.Contains(msg, "host"), strings.Contains(msg, "]"):
		return "its host is not valid (write an IPv6 address in brackets, as [fe80::1])"
	}
	return "it cannot be parsed"
}

// Send delivers d, retrying network errors, 429 and 5xx answers. Other 4xx
// answers are final: the receiver refused the payload and will again.
func (w *Webhook) Send(ctx context.Context, d Decision) error {
	body, ctype, err := w.payload(d)
	if err != nil {
		return err
	}
	attempts, wait := w.Attempts, w.Backoff
	if attempts <= 0 {
		attempts = 4
	}
	if wait <= 0 {
		wait = 500 * time.Millisecond
	}
	var last error
	for i := range attempts {
		if i > 0 {
			if err := w.sleep(ctx, wait); err != nil {
				return fmt.Errorf("webhook delivery to %s abandoned after %d attempts: %w", redact(w.URL), i, err)
			}
			wait *= 2
		}
		retry, err := w.post(ctx, body, ctype)
		if err == nil {
			return nil
		}
		last = err
		if !retry {
			break
		}
	}
	return fmt.Errorf("webhook delivery to %s failed: %w", redact(w.URL), last)
}

func (w *Webhook) sleep(ctx context.Context, d time.Duration) error {
	if w.Sleep != nil {
		return w.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// post makes one attempt and says whether a failure is worth retrying.
func (w *Webhook) post(ctx context.Context, body []byte, ctype string) (retry bool, err error) {
	if w.Post == nil {
		return false, errors.New("the webhook has no transport to post with")
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	attempt, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	code, status, err := w.Post(attempt, w.URL, ctype, body)
	var final *finalError
	switch {
	case errors.As(err, &final):
		return false, w.scrub(final.err)
	case err != nil:
		return ctx.Err() == nil, w.scrub(err)
	case code >= 200 && code < 300:
		return false, nil
	case code == 429 || code >= 500: // too many requests, or the server's trouble
		return true, fmt.Errorf("the server answered %s", status)
	}
	return false, fmt.Errorf("the server refused the notification: %s", status)
}

// Final marks a Post error that retrying cannot cure (a redirect the
// transport refuses to follow, a connection it refuses to make): the
// delivery fails at once.
func Final(err error) error { return &finalError{err: err} }

type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// scrub keeps the webhook's URL, a credential, out of a transport error
// whatever the transport put in its message.
func (w *Webhook) scrub(err error) error {
	if w.URL == "" || !strings.Contains(err.Error(), w.URL) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), w.URL, redact(w.URL)), err: err}
}

// scrubbed is an error with a redacted message that still unwraps to the
// original, so errors.Is(err, context.Canceled) keeps working.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

func (w *Webhook) payload(d Decision) ([]byte, string, error) {
	switch w.Format {
	case "", FormatSlack:
		b, err := json.Marshal(map[string]string{"text": Text(d)})
		return b, "application/json", err
	case FormatCloudEvents:
		b, err := json.Marshal(cloudEvent(d))
		return b, "application/cloudevents+json", err
	}
	return nil, "", fmt.Errorf("unknown notification format %q (want slack or cloudevents)", w.Format)
}

// Text is the one-line human message of a decision.
func Text(d Decision) string {
	verb := map[string]string{"approve": "approved", "reject": "rejected"}[d.Action]
	if verb == "" {
		verb = d.Action
	}
	s := fmt.Sprintf("Contract %s@%s was %s by %s", d.Function, d.Version, verb, d.Reviewer)
	if d.Reason != "" {
		s += ": " + d.Reason
	}
	if d.Verdict != "" {
		s += fmt.Sprintf(" (diff against %s: %s)", d.Base, d.Verdict)
	}
	return s
}

// cloudEvent is the CloudEvents 1.0 structured-mode JSON of d. The id is
// derived from the decision, so a retried delivery carries the same id and
// receivers can de-duplicate.
func cloudEvent(d Decision) map[string]any {
	sum := sha256.Sum256([]byte(d.Function + "@" + d.Version + "\x00" + d.Action + "\x00" + d.Time.UTC().Format(time.RFC3339Nano)))
	return map[string]any{
		"specversion":     "1.0",
		"type":            "dev.relay.contract." + d.Action,
		"source":          "relay/registry",
		"id":              hex.EncodeToString(sum[:16]),
		"time":            d.Time.UTC().Format(time.RFC3339Nano),
		"subject":         d.Function + "@" + d.Version,
		"datacontenttype": "application/json",
		"data": map[string]string{
			"function": d.Function, "version": d.Version, "action": d.Action, "reviewer": d.Reviewer,
			"reason": d.Reason, "author": d.Author, "verdict": d.Verdict, "base": d.Base,
		},
	}
}

// redact keeps a webhook URL's secret path out of messages and the audit
// trail: Slack webhook URLs are credentials.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "the webhook"
	}
	return p.Scheme + "://" + p.Host + "/…"
}
