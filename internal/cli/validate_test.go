package cli

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/relay-dev/relay/internal/load"
)

// parseValidate runs `relay contract validate args…` up to the point
// where the options are complete, and returns them with the exit code and
// stderr.
func parseValidate(t *testing.T, args ...string) (*ValidateOptions, int, string) {
	t.Helper()
	var got *ValidateOptions
	ios, _, _, errOut := testIO()
	build := func() *cobra.Command {
		return rootWith(ios, newCmdValidate(ios, func(o *ValidateOptions) error { got = o; return nil }))
	}
	code := execute(context.Background(), build, append([]string{"validate"}, args...), ios)
	return got, code, errOut.String()
}

func TestValidateFlagDefaults(t *testing.T) {
	opts, code, errOut := parseValidate(t, "a.yaml", "b.yaml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := &ValidateOptions{IO: opts.IO, Files: []string{"a.yaml", "b.yaml"}, Outputs: []output{{Format: "text"}},
		MaxFiles: load.DefaultMaxFiles, MaxTotalBytes: load.DefaultMaxTotalBytes}
	if !reflect.DeepEqual(opts, want) {
		t.Errorf("got %+v\nwant %+v", opts, want)
	}
}

func TestValidateFlagsParsed(t *testing.T) {
	opts, code, errOut := parseValidate(t, "--kind", "asyncapi", "--allow-remote-refs",
		"--format", "json=out/v.json", "--format", "sarif", "--output", "out/v.sarif", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if opts.Kind != load.AsyncAPI || !opts.AllowRemoteRefs || !reflect.DeepEqual(opts.Files, []string{"-"}) {
		t.Errorf("got %+v", opts)
	}
	want := []output{{Format: "json", Path: "out/v.json"}, {Format: "sarif", Path: "out/v.sarif"}}
	if !reflect.DeepEqual(opts.Outputs, want) {
		t.Errorf("outputs %v, want %v", opts.Outputs, want)
	}
}

func TestValidateUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "missing the contract to validate"},
		{[]string{""}, "an argument is empty"},
		{[]string{"-", "-"}, "standard input (-) can be read only once"},
		{[]string{"--kind", "raml", "a.yaml"}, "--kind must be openapi"},
		{[]string{"--format", "html", "a.yaml"}, "--format html is not a validation format"},
		{[]string{"--format", "pdf", "a.yaml"}, `unknown --format "pdf"`},
		{[]string{"--format", "json", "--format", "text", "a.yaml"}, "both write to standard output"},
		{[]string{"--output", "x", "--format", "json=a", "a.yaml"}, "--output names one file"},
	} {
		_, code, errOut := parseValidate(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
