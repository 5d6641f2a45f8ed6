package cli

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/registry"
)

// parseCommand runs one registry command, built by build around a runF
// that captures its options, and returns the exit code and stderr.
func parseCommand(t *testing.T, build func(*iostreams.IOStreams) *cobra.Command, args ...string) (int, string) {
	t.Helper()
	ios, _, _, errOut := testIO()
	code := execute(context.Background(), func() *cobra.Command { return rootWith(ios, build(ios)) }, args, ios)
	return code, errOut.String()
}

// capture returns a runF that stores the options it is given in *dst.
func capture[T any](dst **T) func(*T) error {
	return func(o *T) error { *dst = o; return nil }
}

func TestRegistryCommandsParseIntoTheirOwnOptions(t *testing.T) {
	reg := func(ios *iostreams.IOStreams) RegistryOptions { return RegistryOptions{IO: ios, Registry: "/r"} }

	var ap *ApproveOptions
	code, errOut := parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdApprove(ios, capture(&ap)) },
		"approve", "t/f@1.2.0", "--reviewer", "bob", "--reason", "ok", "--allow-self-approval", "--registry", "/r")
	wantOptions(t, code, errOut, ap, &ApproveOptions{decisionOptions: decisionOptions{RegistryOptions: reg(ap.IO),
		Function: "t/f", Version: "1.2.0", Reviewer: "bob", Reason: "ok"}, AllowSelf: true})

	var rj *RejectOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdReject(ios, capture(&rj)) },
		"reject", "t/f@1.2.0", "--reviewer", "bob", "--reason", "no", "--registry", "/r")
	wantOptions(t, code, errOut, rj, &RejectOptions{decisionOptions{RegistryOptions: reg(rj.IO),
		Function: "t/f", Version: "1.2.0", Reviewer: "bob", Reason: "no"}})

	var dp *DeprecateOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdDeprecate(ios, capture(&dp)) },
		"deprecate", "t/f@1.2.0", "--actor", "ops", "--reason", "old", "--registry", "/r")
	wantOptions(t, code, errOut, dp, &DeprecateOptions{retireOptions{RegistryOptions: reg(dp.IO),
		Function: "t/f", Version: "1.2.0", Actor: "ops", Reason: "old"}})

	var wd *WithdrawOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdWithdraw(ios, capture(&wd)) },
		"withdraw", "t/f@1.2.0", "--registry", "/r")
	wantOptions(t, code, errOut, wd, &WithdrawOptions{retireOptions{RegistryOptions: reg(wd.IO), Function: "t/f", Version: "1.2.0"}})

	var vs *VersionsOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdVersions(ios, capture(&vs)) },
		"versions", "t/f", "--format", "json", "--registry", "/r")
	wantOptions(t, code, errOut, vs, &VersionsOptions{RegistryOptions: reg(vs.IO), Function: "t/f", Format: "json"})

	var sh *ShowOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdShow(ios, capture(&sh)) },
		"show", "t/f", "--content", "--registry", "/r")
	wantOptions(t, code, errOut, sh, &ShowOptions{RegistryOptions: reg(sh.IO), Function: "t/f", Content: true, Format: "text"})

	var au *AuditOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdAudit(ios, capture(&au)) },
		"audit", "--function", "t/f", "--actor", "bob", "--action", "approve", "--since", "2026-12-01", "--registry", "/r")
	wantOptions(t, code, errOut, au, &AuditOptions{RegistryOptions: reg(au.IO), Format: "text", Filter: registry.AuditFilter{
		Function: "t/f", Actor: "bob", Action: registry.ActionApprove, Since: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}})

	var pb *PublishOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdPublish(ios, capture(&pb)) },
		"publish", "--function", "t/f", "--contract", "api.yaml", "--version", "2.0.0", "--author", "ada", "--kind", "asyncapi", "--registry", "/r", "--validate", "warn", "--format", "json")
	wantOptions(t, code, errOut, pb, &PublishOptions{RegistryOptions: reg(pb.IO), Function: "t/f", Contract: "api.yaml",
		Version: "2.0.0", Author: "ada", Kind: load.AsyncAPI, Validate: check.ValidateWarn, Format: "json"})

	var mg *MigrateOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdMigrate(ios, capture(&mg)) },
		"migrate", "--registry", "/r")
	wantOptions(t, code, errOut, mg, &MigrateOptions{reg(mg.IO)})
}

func wantOptions[T any](t *testing.T, code int, errOut string, got, want *T) {
	t.Helper()
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("options:\n got %+v\nwant %+v", *got, *want)
	}
}

func TestRegistryCommandUsageErrors(t *testing.T) {
	never := func(ios *iostreams.IOStreams, name string) *cobra.Command {
		fail := func() error { t.Errorf("%s ran despite a usage error", name); return nil }
		switch name {
		case "approve":
			return newCmdApprove(ios, func(*ApproveOptions) error { return fail() })
		case "reject":
			return newCmdReject(ios, func(*RejectOptions) error { return fail() })
		case "withdraw":
			return newCmdWithdraw(ios, func(*WithdrawOptions) error { return fail() })
		case "versions":
			return newCmdVersions(ios, func(*VersionsOptions) error { return fail() })
		case "show":
			return newCmdShow(ios, func(*ShowOptions) error { return fail() })
		case "audit":
			return newCmdAudit(ios, func(*AuditOptions) error { return fail() })
		}
		return newCmdPublish(ios, func(*PublishOptions) error { return fail() })
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"approve", "t/f@1.0.0"}, "approve needs --reviewer NAME"},
		{[]string{"approve", "T/f@1.0.0", "--reviewer", "bob"}, "T/f"},
		{[]string{"reject", "t/f@1.0.0", "--reviewer", "bob"}, "reject needs --reason: say what must change"},
		{[]string{"withdraw", "t/f@x"}, `version "x" is not MAJOR.MINOR.PATCH`},
		{[]string{"versions", "t/f", "--format", "yaml"}, `--format must be text or json, not "yaml"`},
		{[]string{"show", "T/f"}, "T/f"},
		{[]string{"audit", "--since", "yesterday"}, `--since must be a date like 2026-12-01, not "yesterday"`},
		{[]string{"publish", "--function", "t/f"}, "publish needs --function TEAM/NAME and --contract PATH"},
		{[]string{"publish", "--function", "t", "--contract", "a.yaml"}, "--function: "},
		{[]string{"publish", "--function", "t/f", "--contract", "a.yaml", "--kind", "raml"}, "--kind must be"},
	}
	for _, c := range cases {
		code, errOut := parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return never(ios, c.args[0]) }, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 naming %q", c.args, code, errOut, c.want)
		}
	}
}

// TestPostgresNeedsNoReviewerName: a PostgreSQL registry records the
// database login as the reviewer, so approve and reject need no
// --reviewer there (the file store still insists on one or a key).
func TestPostgresNeedsNoReviewerName(t *testing.T) {
	const pg = "postgres://bob@127.0.0.1:1/registry"
	var ap *ApproveOptions
	code, errOut := parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdApprove(ios, capture(&ap)) },
		"approve", "t/f@1.2.0", "--registry", pg)
	if code != 0 || ap.Reviewer != "" {
		t.Errorf("approve on PostgreSQL without --reviewer: exit %d, %q", code, errOut)
	}
	var rj *RejectOptions
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdReject(ios, capture(&rj)) },
		"reject", "t/f@1.2.0", "--reason", "no", "--registry", pg)
	if code != 0 || rj.Reviewer != "" {
		t.Errorf("reject on PostgreSQL without --reviewer: exit %d, %q", code, errOut)
	}
	code, errOut = parseCommand(t, func(ios *iostreams.IOStreams) *cobra.Command { return newCmdReject(ios, capture(&rj)) },
		"reject", "t/f@1.2.0", "--reason", "no", "--registry", "/r")
	if code != exitUsage || !strings.Contains(errOut, "reject needs --reviewer NAME") {
		t.Errorf("reject on a file store without --reviewer: exit %d, %q", code, errOut)
	}
}
