package cli

import (
	"reflect"
	"strings"
	"testing"

	"github.com/relay-dev/relay/internal/check"
	"github.com/relay-dev/relay/internal/diff"
	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/load"
	"github.com/relay-dev/relay/internal/source"
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
	if opts.FailOn != finding.Breaking || opts.Kind != "" || opts.AllowRemoteRefs || opts.Function != "" || opts.Validate != check.ValidateStrict {
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
		"--config", "ci/relay.yaml", "--write-baseline", "baseline.yaml", "--schema-role", "output", "--validate", "warn",
		"--max-files", "2000", "--max-total-bytes", "256MiB")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := &DiffOptions{
		IO:              opts.IO,
		Base:            sideSpec{Kind: sideGit, Rev: "main", Raw: "git:main"},
		Revision:        sideSpec{Kind: sideFile, Path: "docs/api.yaml", Raw: "docs/api.yaml"},
		Function:        "team/payments",
		Outputs:         []output{{Format: "json", Path: "out/r.json"}, {Format: "sarif", Path: "out/r.sarif"}},
		FailOn:          finding.Warning,
		Kind:            load.Swagger,
		AllowRemoteRefs: true,
		FailOnSet:       true,
		ConfigPath:      "ci/relay.yaml",
		WriteBaseline:   "baseline.yaml",
		Match:           diff.Options{SchemaRole: diff.RoleOutput},
		Validate:        check.ValidateWarn,
		MaxFiles:        2000,
		MaxTotalBytes:   256 << 20,
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
		{[]string{"--schema-role", "both", "a", "b"}, `--schema-role must be input or output, not "both"`},
	} {
		opts, code, errOut := parseDiff(t, tt.args...)
		if code != 2 || opts != nil || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, "run 'relay contract diff --help'") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, errOut, tt.want)
		}
	}
}

func TestComparable(t *testing.T) {
	doc := func(k load.Kind) *load.Document {
		return &load.Document{Kind: k, Main: &source.File{Path: string(k) + ".yaml"}}
	}
	for _, tt := range []struct {
		base, rev load.Kind
		want      string
	}{
		{load.OpenAPI, load.OpenAPI, ""},
		{load.Swagger, load.OpenAPI, ""},
		{load.OpenAPI, load.Swagger, ""},
		{load.Swagger, load.AsyncAPI, "cannot compare a swagger contract (swagger.yaml) with an asyncapi contract (asyncapi.yaml): they are different kinds"},
		{load.OpenAPI, load.JSONSchema, "cannot compare an openapi contract (openapi.yaml) with a jsonschema contract (jsonschema.yaml): they are different kinds"},
		{load.AsyncAPI, load.Function, "cannot compare an asyncapi contract (asyncapi.yaml) with a function contract (function.yaml): they are different kinds"},
		{load.JSONSchema, load.JSONSchema, ""},
		{load.Function, load.Function, ""},
		{load.AsyncAPI, load.AsyncAPI, ""},
	} {
		err := diff.Comparable(doc(tt.base), doc(tt.rev))
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
