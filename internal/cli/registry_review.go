package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/registry"
	"github.com/relay-dev/relay/internal/registry/notify"
)

// decisionOptions is what approve and reject share: a reviewer's verdict
// on a pending version, announced to the webhook once it is recorded.
type decisionOptions struct {
	RegistryOptions
	Function, Version string
	Reviewer, Reason  string
	// NotifyBackoff is the webhook's first retry wait; 0 means the default.
	NotifyBackoff time.Duration
}

// ApproveOptions holds `relay contract approve`'s inputs.
type ApproveOptions struct {
	decisionOptions
	AllowSelf bool
	// SignKey is --sign-key; "" means git's user.signingkey when
	// gpg.format is ssh, else an unsigned approval.
	SignKey string
	// principals are those the allowed-signers file lists for the key.
	principals []string
}

// RejectOptions holds `relay contract reject`'s inputs.
type RejectOptions struct {
	decisionOptions
}

func newCmdApprove(ios *iostreams.IOStreams, runF func(*ApproveOptions) error) *cobra.Command {
	opts := &ApproveOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "approve FUNCTION@VERSION (--sign-key KEY | --reviewer NAME)",
		Short: "Approve a pending version: it becomes the active published version",
		Long: `Approve a pending version. In a file registry, an approval is signed with the
reviewer's SSH key (--sign-key, or git's user.signingkey when gpg.format is ssh)
and the reviewer is the principal the allowed-signers file lists for that key;
--reviewer, when given, must agree with it. Approving an already approved
version with a key adds a signature to its approval (for approvals recorded
before signatures were required).`,
		Args: cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			var err error
			if opts.Function, opts.Version, err = splitRef(args[0], true); err != nil {
				return err
			}
			if opts.Reviewer == "" && opts.SignKey == "" && gitSigningKey() == "" && !opts.onPostgres() {
				return usageErrorf("approve needs --reviewer NAME, or --sign-key KEY to sign the approval")
			}
			if runF != nil {
				return runF(opts)
			}
			return runApprove(cmd.Context(), opts)
		}),
	}
	opts.bind(cmd)
	cmd.Flags().BoolVar(&opts.AllowSelf, "allow-self-approval", false, "let the version's author approve it (unsigned approvals only)")
	cmd.Flags().StringVar(&opts.SignKey, "sign-key", "", "sign the approval with this SSH `KEY` (a private key, or a public key held by ssh-agent)")
	return cmd
}

func newCmdReject(ios *iostreams.IOStreams, runF func(*RejectOptions) error) *cobra.Command {
	opts := &RejectOptions{}
	opts.IO = ios
	cmd := &cobra.Command{
		Use:   "reject FUNCTION@VERSION --reviewer NAME",
		Short: "Reject a pending version (a reason is required)",
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if err := opts.parse(args[0], "reject"); err != nil {
				return err
			}
			if opts.Reason == "" {
				return usageErrorf("reject needs --reason: say what must change")
			}
			if runF != nil {
				return runF(opts)
			}
			return runReject(cmd.Context(), opts)
		}),
	}
	opts.bind(cmd)
	return cmd
}

func runReject(ctx context.Context, opts *RejectOptions) error {
	return opts.decide(ctx, registry.Change{Function: opts.Function, Version: opts.Version, Actor: opts.Reviewer,
		Reason: opts.Reason, To: registry.Rejected}, nil)
}

// bind adds the flags approve and reject share.
func (o *decisionOptions) bind(cmd *cobra.Command) {
	o.bindRegistry(cmd)
	cmd.Flags().StringVar(&o.Reviewer, "reviewer", "", "who decides (required)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why (required to reject)")
}

// parse reads FUNCTION@VERSION and insists on a reviewer; verb names the
// command in the message.
func (o *decisionOptions) parse(ref, verb string) error {
	var err error
	if o.Function, o.Version, err = splitRef(ref, true); err != nil {
		return err
	}
	if o.Reviewer == "" && !o.onPostgres() {
		return usageErrorf("%s needs --reviewer NAME", verb)
	}
	return nil
}

// decide records the decision, then announces it to the webhook, which is
// resolved first so that a problem with the settings writes nothing.
// precheck, when set, runs on the open store before the decision is
// written; its error refuses the decision with nothing recorded. A
// decision that was committed is announced even when work after the
// commit failed (a full disk): that failure is still exit 1, reported
// after the announcement.
func (o *decisionOptions) decide(ctx context.Context, c registry.Change, precheck func(context.Context, registry.Store) error) error {
	hook, err := o.webhook()
	if err != nil {
		return err
	}
	return o.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		if precheck != nil {
			if err := precheck(ctx, s); err != nil {
				return err
			}
		}
		return o.record(ctx, s, hook, c)
	})
}

// record applies the change and announces it. A change committed before
// a later step failed (registry.ErrAfterCommit) is still announced, and
// the failure returned after.
func (o *decisionOptions) record(ctx context.Context, s registry.Store, hook *notify.Webhook, c registry.Change) error {
	v, err := s.Apply(ctx, c)
	if err != nil && !errors.Is(err, registry.ErrAfterCommit) {
		return err
	}
	signed := ""
	if c.Signature != nil {
		signed = " (signed)"
	}
	fmt.Fprintf(o.IO.ErrOut, "%s is %s by %s%s\n", safe(v.Ref()), v.Status, safe(v.Reviewer), signed)
	o.announce(ctx, s, hook, v, c.Action())
	return err
}

// retireOptions is what deprecate and withdraw share.
type retireOptions struct {
	RegistryOptions
	Function, Version string
	// Actor is --actor; "" means git's user.name, then $USER.
	Actor, Reason string
}

// DeprecateOptions holds `relay contract deprecate`'s inputs.
type DeprecateOptions struct {
	retireOptions
}

// WithdrawOptions holds `relay contract withdraw`'s inputs.
type WithdrawOptions struct {
	retireOptions
}

func newCmdDeprecate(ios *iostreams.IOStreams, runF func(*DeprecateOptions) error) *cobra.Command {
	opts := &DeprecateOptions{}
	opts.IO = ios
	return opts.command("deprecate", "Mark an approved version deprecated (it stays resolvable)", func(ctx context.Context) error {
		if runF != nil {
			return runF(opts)
		}
		return runDeprecate(ctx, opts)
	})
}

func runDeprecate(ctx context.Context, opts *DeprecateOptions) error {
	return opts.retire(ctx, registry.Deprecated)
}

func newCmdWithdraw(ios *iostreams.IOStreams, runF func(*WithdrawOptions) error) *cobra.Command {
	opts := &WithdrawOptions{}
	opts.IO = ios
	return opts.command("withdraw", "Withdraw a version: it is never active again, and never deleted", func(ctx context.Context) error {
		if runF != nil {
			return runF(opts)
		}
		return runWithdraw(ctx, opts)
	})
}

func runWithdraw(ctx context.Context, opts *WithdrawOptions) error {
	return opts.retire(ctx, registry.Withdrawn)
}

// command builds deprecate or withdraw, whose flags and arguments are
// the same; run is called once they are parsed.
func (o *retireOptions) command(name, short string, run func(context.Context) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   name + " FUNCTION@VERSION",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			var err error
			if o.Function, o.Version, err = splitRef(args[0], true); err != nil {
				return err
			}
			return run(cmd.Context())
		}),
	}
	o.bindRegistry(cmd)
	cmd.Flags().StringVar(&o.Actor, "actor", "", "who does it (default git's user.name, then $USER)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "why")
	return cmd
}

// retire moves the version to a retired status.
func (o *retireOptions) retire(ctx context.Context, to registry.Status) error {
	actor := o.Actor
	if actor == "" && !o.onPostgres() {
		actor = gitUser(o.Getenv)
	}
	return o.withStore(ctx, func(ctx context.Context, s registry.Store) error {
		v, err := s.Apply(ctx, registry.Change{Function: o.Function, Version: o.Version, Actor: actor, Reason: o.Reason, To: to})
		if err != nil && !errors.Is(err, registry.ErrAfterCommit) {
			return err
		}
		fmt.Fprintf(o.IO.ErrOut, "%s is %s\n", safe(v.Ref()), v.Status)
		return err
	})
}
