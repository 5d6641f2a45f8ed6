package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/notify"
)

// NotifyEnv overrides the webhook of .relay.yaml's notify: section (a CI
// secret, typically, since chat webhook URLs are credentials).
const NotifyEnv = "RELAY_NOTIFY_WEBHOOK"

// webhook returns the configured notification target, or nil. It runs
// before the decision is written: a .relay.yaml that cannot be read, or a
// webhook that is not an http(s) URL, stops the command with nothing
// recorded, rather than surfacing afterwards as a failed delivery in the
// tamper-evident audit trail.
func (o *decisionOptions) webhook() (*notify.Webhook, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	w := &notify.Webhook{Format: notify.FormatSlack, Post: postWebhook, Backoff: o.NotifyBackoff}
	cfg, err := loadConfig("")
	if err != nil {
		return nil, err
	}
	var from string // where the URL came from, for the message
	allowLinkLocal := false
	if cfg != nil && cfg.Notify != nil {
		w.URL, w.Format, from = cfg.Notify.Webhook, cfg.Notify.Format, cfg.Notify.Pos.String()
		allowLinkLocal = cfg.Notify.AllowLinkLocal
	}
	if env := getenv(NotifyEnv); env != "" {
		w.URL, from = env, "$"+NotifyEnv
	}
	if w.URL == "" {
		return nil, nil
	}
	if err := w.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w; nothing was recorded", from, err)
	}
	if allowLinkLocal {
		w.Post = newWebhookPost(true)
	} else if err := checkWebhookHost(w.URL); err != nil {
		return nil, fmt.Errorf("%s: %w; nothing was recorded", from, err)
	}
	return w, nil
}

// checkWebhookHost refuses a webhook whose host is written as a
// link-local address: a settings problem, caught before the decision. A
// name that resolves to one is refused when the connection is made.
func checkWebhookHost(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("the webhook URL cannot be parsed") // Check has refused it already; never quote it
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && isLinkLocal(ip) {
		return fmt.Errorf("the webhook's host %s is a link-local address, where cloud metadata services answer; "+
			"set notify.allow-link-local: true in .relay.yaml to allow it", ip)
	}
	return nil
}

// announce posts an approval or rejection to the webhook w (nil: nobody to
// tell). The decision is already committed: a failed delivery is
// reported, recorded in the audit trail as notify-failed, and never undoes
// it or changes the exit code.
func (o *decisionOptions) announce(ctx context.Context, s registry.Store, w *notify.Webhook, v registry.Version, action registry.Action) {
	if w == nil {
		return
	}
	d := notify.Decision{Function: v.Function, Version: v.Version, Action: string(action), Reviewer: v.Reviewer,
		Reason: v.Reason, Author: v.Author, Time: v.DecidedAt}
	if v.Diff != nil {
		d.Verdict, d.Base = v.Diff.Verdict, v.Diff.Base
	}
	err := w.Send(ctx, d)
	if err == nil {
		fmt.Fprintf(o.IO.ErrOut, "notified the webhook of %s\n", v.Ref())
		return
	}
	fmt.Fprintf(o.IO.ErrOut, "relay: warning: %s is %s, but the notification failed: %v\n", v.Ref(), v.Status, err)
	if nerr := s.Note(ctx, v.Function, v.Version, "relay", registry.ActionNotifyFailed, err.Error()); nerr != nil {
		fmt.Fprintf(o.IO.ErrOut, "relay: warning: the failed notification could not be recorded in the audit trail either: %v\n", nerr)
	}
}
