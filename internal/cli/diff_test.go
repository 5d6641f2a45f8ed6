package cli

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/report"
)

// parseDiff runs `relay contract diff args…` up to the point where the
// options are complete, and returns them.
func parseDiff(t *testing.T, args ...string) (*DiffOptions, int, string) {
	t.Helper()
	var got *DiffOptions
	capture := func(o *DiffOptions) error { got = o; return nil }
	code, _, errOut := runRoot(t, capture, append([]string{"contract", "diff"}, args...)...)
	return got, code, errOut
}

func TestDiffFlagDefaults(t *testing.T) {
	opts, code, errOut := parseDiff(t, "a.yaml", "b.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if opts.FailOn != report.Breaking || opts.Kind != "" || opts.AllowRemoteRefs || opts.Function != "" {
		t.Errorf("defaults: %+v", opts)
	}
	if want := []output{{Format: "text"}}; !reflect.DeepEqual(opts.Outputs, want) {
		t.Errorf("outputs %v, want %v", opts.Outputs, want)
	}
}

func TestDiffFlagsParsed(t *testing.T) {
	opts, code, errOut := parseDiff(t,
		"--base", "git:main", "--contract", "docs/api.yaml", "--function", "team/payments",
		"--format", "json=out/r.json", "--format", "sarif", "--output", "out/r.sarif",
		"--fail-on", "warning", "--kind", "swagger", "--allow-remote-refs",
		"--config", "ci/relay.yaml", "--write-baseline", "baseline.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := &DiffOptions{
		IO:              opts.IO,
		Base:            sideSpec{Kind: sideGit, Rev: "main", Raw: "git:main"},
		Revision:        sideSpec{Kind: sideFile, Path: "docs/api.yaml", Raw: "docs/api.yaml"},
		Function:        "team/payments",
		Outputs:         []output{{Format: "json", Path: "out/r.json"}, {Format: "sarif", Path: "out/r.sarif"}},
		FailOn:          report.Warning,
		Kind:            load.Swagger,
		AllowRemoteRefs: true,
		FailOnSet:       true,
		ConfigPath:      "ci/relay.yaml",
		WriteBaseline:   "baseline.yaml",
	}
	if !reflect.DeepEqual(opts, want) {
		t.Errorf("got  %+v\nwant %+v", opts, want)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fail-on", "info", "a", "b"}, `--fail-on must be breaking or warning, not "info"`},
		{[]string{"--kind", "graphql", "a", "b"}, `--kind must be`},
		{[]string{"--format", "pdf", "a", "b"}, `unknown --format "pdf"`},
		{[]string{"--unknown", "a", "b"}, `unknown flag: --unknown`},
		{[]string{"-", "-"}, `only one of the base and the revision`},
		{[]string{"a"}, `missing the base`},
	} {
		opts, code, errOut := parseDiff(t, tt.args...)
		if code != 2 || opts != nil || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "run 'relay contract diff --help'") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestComparable(t *testing.T) {
	doc := func(k load.Kind) *load.Document { return &load.Document{Kind: k} }
	for _, tt := range []struct {
		base, rev load.Kind
		want      string
	}{
		{load.OpenAPI, load.OpenAPI, ""},
		{load.Swagger, load.OpenAPI, ""},
		{load.OpenAPI, load.Swagger, ""},
		{load.Swagger, load.AsyncAPI, "cannot compare a swagger contract with an asyncapi contract"},
		{load.OpenAPI, load.JSONSchema, "cannot compare an openapi contract with a jsonschema contract"},
		{load.JSONSchema, load.JSONSchema, "diffing jsonschema contracts is not supported yet"},
		{load.Function, load.Function, "diffing function contracts is not supported yet"},
	} {
		err := checkComparable(doc(tt.base), doc(tt.rev))
		if got := errString(err); got != tt.want {
			t.Errorf("%s vs %s: %q, want %q", tt.base, tt.rev, got, tt.want)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestNoRegistryIsOneSentence(t *testing.T) {
	msg := errNoRegistry.Error()
	if strings.Count(msg, ". ") > 0 || strings.HasSuffix(msg, ".") || !strings.Contains(msg, "--base") {
		t.Errorf("registry message %q should be one sentence saying to pass --base", msg)
	}
	var ue *usageError
	if errors.As(errNoRegistry, &ue) {
		t.Error("the missing registry is exit 1, not a usage error")
	}
}
