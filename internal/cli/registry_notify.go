package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/notify"
)

// NotifyEnv overrides the webhook of .relay.yaml's notify: section (a CI
// secret, typically, since chat webhook URLs are credentials).
const NotifyEnv = "RELAY_NOTIFY_WEBHOOK"

// webhook returns the configured notification target, or nil.
func (o *decisionOptions) webhook() (*notify.Webhook, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	w := &notify.Webhook{Format: notify.FormatSlack, Backoff: o.NotifyBackoff}
	cfg, err := loadConfig("")
	if err != nil {
		return nil, err
	}
	if cfg != nil && cfg.Notify != nil {
		w.URL, w.Format = cfg.Notify.Webhook, cfg.Notify.Format
	}
	if env := getenv(NotifyEnv); env != "" {
		w.URL = env
	}
	if w.URL == "" {
		return nil, nil
	}
	return w, nil
}

// announce posts an approval or rejection to the webhook. The decision is
// already committed: a failed delivery is reported, recorded in the audit
// trail as notify-failed, and never undoes it or changes the exit code.
func (o *decisionOptions) announce(ctx context.Context, s registry.Store, v registry.Version, verb string) {
	w, err := o.webhook()
	if err == nil && w == nil {
		return
	}
	if err == nil {
		d := notify.Decision{Function: v.Function, Version: v.Version, Action: verb, Reviewer: v.Reviewer,
			Reason: v.Reason, Author: v.Author, Time: v.DecidedAt}
		if v.Diff != nil {
			d.Verdict, d.Base = v.Diff.Verdict, v.Diff.Base
		}
		err = w.Send(ctx, d)
	}
	if err == nil {
		fmt.Fprintf(o.IO.ErrOut, "notified the webhook of %s\n", v.Ref())
		return
	}
	fmt.Fprintf(o.IO.ErrOut, "relay: warning: %s is %s, but the notification failed: %v\n", v.Ref(), v.Status, err)
	if nerr := s.Note(ctx, v.Function, v.Version, "relay", registry.ActionNotifyFailed, err.Error()); nerr != nil {
		fmt.Fprintf(o.IO.ErrOut, "relay: warning: the failed notification could not be recorded in the audit trail either: %v\n", nerr)
	}
}
