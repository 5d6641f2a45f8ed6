package sink

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/relay-dev/relay/internal/drift/event"
)

// Slack posts one message per new fingerprint per Window to a Slack
// incoming webhook: the operation, the finding and the recommended fix.
// It never posts per request: a fingerprint already announced within the
// window is skipped, whatever the traffic. The announced fingerprints are
// kept in an LRU of Capacity entries, so memory stays bounded however many
// distinct drifts appear; one evicted early may be announced again.
type Slack struct {
	URL    string
	Post   Post
	Retry  Retry
	Window time.Duration // default 1h
	// Capacity bounds the remembered fingerprints; default 10000.
	Capacity int
	// Now reads the clock; default time.Now.
	Now func() time.Time

	mu    sync.Mutex
	order *list.List // of *sent, most recent first
	index map[string]*list.Element
}

type sent struct {
	fp string
	at time.Time
}

// Emit announces the events whose fingerprint was not announced within
// the window. A fingerprint counts as announced when its message is first
// attempted, so a failing webhook is not retried on every request.
func (s *Slack) Emit(ctx context.Context, events []event.Event) error {
	if err := CheckURL(s.URL); err != nil {
		return err
	}
	var errs []error
	for _, e := range events {
		if !s.claim(e.Fingerprint) {
			continue
		}
		body, err := json.Marshal(map[string]string{"text": SlackText(e)})
		if err == nil {
			err = deliver(ctx, s.Post, s.Retry, s.URL, "application/json", body, "the Slack message for drift "+e.Fingerprint)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// claim reports whether fp is due a message now, and if so records it.
func (s *Slack) claim(fp string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	window, capacity := s.Window, s.Capacity
	if window <= 0 {
		window = time.Hour
	}
	if capacity <= 0 {
		capacity = 10000
	}
	if s.order == nil {
		s.order, s.index = list.New(), map[string]*list.Element{}
	}
	t := now()
	if el, ok := s.index[fp]; ok {
		if t.Sub(el.Value.(*sent).at) < window {
			return false
		}
		s.order.Remove(el)
	}
	s.index[fp] = s.order.PushFront(&sent{fp: fp, at: t})
	for s.order.Len() > capacity {
		old := s.order.Back()
		s.order.Remove(old)
		delete(s.index, old.Value.(*sent).fp)
	}
	return true
}

// Close does nothing.
func (s *Slack) Close() error { return nil }

// SlackText is the message of one drift. Every field may come from
// traffic, so Slack's control characters are escaped: a payload cannot
// mention @channel or forge a link.
func SlackText(e event.Event) string {
	subject := e.Function
	if e.Version != "" {
		subject += "@" + e.Version
	}
	if subject == "" {
		subject = e.Contract
	}
	where := e.Direction
	if e.Status != 0 {
		where += fmt.Sprintf(" %d", e.Status)
	}
	var b strings.Builder
	fmt.Fprintf(&b, ":warning: Contract drift in *%s*: `%s` %s (%s)\n", esc(subject), esc(e.Operation), esc(e.Rule), esc(where))
	fmt.Fprintf(&b, "%s", esc(e.Message))
	if e.Observed != "" {
		fmt.Fprintf(&b, " (observed %s)", esc(e.Observed))
	}
	if e.Fix != "" {
		fmt.Fprintf(&b, "\n*Fix:* %s", esc(e.Fix))
	}
	fmt.Fprintf(&b, "\nSeen %d× since %s · fingerprint `%s` · `relay drift incidents`", e.Count, e.FirstSeen.UTC().Format(time.RFC3339), esc(e.Fingerprint))
	return b.String()
}

// esc escapes what Slack's mrkdwn treats as markup (&, <, >) and turns
// backticks into quotes so a value cannot close a code span.
var esc = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "`", "'").Replace
