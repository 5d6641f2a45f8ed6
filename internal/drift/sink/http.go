package sink

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Answer is what the server said to one POST.
type Answer struct {
	Code   int
	Status string // "503 Service Unavailable"
	// RetryAfter is the answer's Retry-After header, as sent.
	RetryAfter string
}

// Post makes one HTTP POST of body to url. err is for an answer that
// never came (the network, the context ending); an answer of any status is
// not an error. Wrap an error retrying cannot cure with Final. It must give
// up when ctx ends.
type Post func(ctx context.Context, url, contentType string, body []byte) (Answer, error)

// Final marks a Post error that retrying cannot cure (a redirect to another
// host, a refused address): delivery fails at once.
func Final(err error) error { return &finalError{err: err} }

type finalError struct{ err error }

func (e *finalError) Error() string { return e.err.Error() }
func (e *finalError) Unwrap() error { return e.err }

// Retry bounds delivery: at most Attempts tries, the n-th retry waiting
// about Backoff·2ⁿ⁻¹ (with jitter, so that many senders do not retry in
// step), or what the server's Retry-After asks when that is longer. A
// Retry-After beyond MaxWait ends delivery: waiting that long would hold
// up every event behind this one.
type Retry struct {
	Attempts int           // default 5
	Backoff  time.Duration // default 500ms
	MaxWait  time.Duration // default 30s
	Timeout  time.Duration // each attempt; default 10s
	// Sleep waits between attempts (tests record the waits); it returns
	// early with the context's error when the context ends.
	Sleep func(context.Context, time.Duration) error
	// Jitter returns a number in [0, 1); default math/rand.
	Jitter func() float64
	// Now reads the clock for HTTP-date Retry-After values.
	Now func() time.Time
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 5
	}
	if r.Backoff <= 0 {
		r.Backoff = 500 * time.Millisecond
	}
	if r.MaxWait <= 0 {
		r.MaxWait = 30 * time.Second
	}
	if r.Timeout <= 0 {
		r.Timeout = 10 * time.Second
	}
	if r.Sleep == nil {
		r.Sleep = sleep
	}
	if r.Jitter == nil {
		r.Jitter = rand.Float64
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	return r
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// deliver posts body to target, retrying network errors, 408, 429 and 5xx
// answers. Other answers are final. what names the payload in messages;
// the URL, a credential for Slack, is shown as scheme and host only.
func deliver(ctx context.Context, post Post, r Retry, target, contentType string, body []byte, what string) error {
	if post == nil {
		return errors.New("the drift sink has no transport to post with")
	}
	r = r.withDefaults()
	backoff := r.Backoff
	var last error
	var wait time.Duration
	for i := range r.Attempts {
		if i > 0 {
			if err := r.Sleep(ctx, wait); err != nil {
				return fmt.Errorf("delivery of %s to %s abandoned after %s: %w", what, Redact(target), attempts(i), err)
			}
		}
		ans, retry, err := attempt(ctx, post, r, target, contentType, body)
		if err == nil {
			return nil
		}
		last = scrub(err, target)
		if !retry {
			break
		}
		// Full jitter over the upper half: between backoff/2 and backoff.
		wait = backoff/2 + time.Duration(r.Jitter()*float64(backoff/2))
		backoff *= 2
		if ra, ok := retryAfter(ans.RetryAfter, r.Now()); ok {
			if ra > r.MaxWait {
				return fmt.Errorf("delivery of %s to %s failed: %w, and it asks to retry after %s, beyond the %s bound", what, Redact(target), last, ra, r.MaxWait)
			}
			wait = max(wait, ra)
		}
	}
	return fmt.Errorf("delivery of %s to %s failed: %w", what, Redact(target), last)
}

func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return fmt.Sprintf("%d attempts", n)
}

// attempt makes one POST and says whether a failure is worth retrying.
func attempt(ctx context.Context, post Post, r Retry, target, contentType string, body []byte) (Answer, bool, error) {
	actx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	ans, err := post(actx, target, contentType, body)
	var final *finalError
	switch {
	case errors.As(err, &final):
		return ans, false, final.err
	case err != nil:
		return ans, ctx.Err() == nil, err
	case ans.Code >= 200 && ans.Code < 300:
		return ans, false, nil
	case ans.Code == 408 || ans.Code == 429 || ans.Code >= 500:
		return ans, true, fmt.Errorf("the server answered %s", ans.Status)
	}
	return ans, false, fmt.Errorf("the server refused it: %s", ans.Status)
}

// httpDate is the IMF-fixdate of RFC 9110, the form every server sends.
const httpDate = "Mon, 02 Jan 2006 15:04:05 GMT"

// retryAfter reads a Retry-After value: delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := time.Parse(httpDate, v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Redact shows a URL as its scheme and host: webhook paths are secrets.
func Redact(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "the webhook"
	}
	return p.Scheme + "://" + p.Host + "/…"
}

// CheckURL refuses a URL no delivery can reach: not http(s) with a host.
// Its message never repeats the URL.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return errors.New("the drift sink URL must be an http(s) URL with a host")
	}
	return nil
}

// scrub keeps the URL out of a transport's error message.
func scrub(err error, target string) error {
	if target == "" || !strings.Contains(err.Error(), target) {
		return err
	}
	return &scrubbed{msg: strings.ReplaceAll(err.Error(), target, Redact(target)), err: err}
}

type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }
