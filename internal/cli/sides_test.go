package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestResolveSides(t *testing.T) {
	tests := []struct {
		name                     string
		args                     []string
		base, contract, function string
		wantBase, wantRev        sideSpec
		wantErr                  string // substring of a usage error
	}{
		{name: "positional", args: []string{"a.yaml", "b.yaml"},
			wantBase: sideSpec{Kind: sideFile, Path: "a.yaml", Raw: "a.yaml"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "flags", base: "a.yaml", contract: "b.yaml",
			wantBase: sideSpec{Kind: sideFile, Path: "a.yaml", Raw: "a.yaml"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "base flag with positional revision", args: []string{"b.yaml"}, base: "git:main",
			wantBase: sideSpec{Kind: sideGit, Rev: "main", Raw: "git:main"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "stdin base", args: []string{"-", "b.yaml"},
			wantBase: sideSpec{Kind: sideStdin, Raw: "-"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "stdin revision", base: "a.yaml", contract: "-",
			wantBase: sideSpec{Kind: sideFile, Path: "a.yaml", Raw: "a.yaml"},
			wantRev:  sideSpec{Kind: sideStdin, Raw: "-"}},
		{name: "git with path", args: []string{"git:HEAD~1:docs/./api.yaml", "api.yaml"},
			wantBase: sideSpec{Kind: sideGit, Rev: "HEAD~1", Path: "docs/api.yaml", Raw: "git:HEAD~1:docs/./api.yaml"},
			wantRev:  sideSpec{Kind: sideFile, Path: "api.yaml", Raw: "api.yaml"}},
		{name: "git with stdin revision and a path", base: "git:main:api.yaml", contract: "-",
			wantBase: sideSpec{Kind: sideGit, Rev: "main", Path: "api.yaml", Raw: "git:main:api.yaml"},
			wantRev:  sideSpec{Kind: sideStdin, Raw: "-"}},
		{name: "function alone is the registry", contract: "b.yaml", function: "team/payments",
			wantBase: sideSpec{Kind: sideRegistry, Raw: "registry:team/payments"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "function with base keeps the base", base: "a.yaml", contract: "b.yaml", function: "team/payments",
			wantBase: sideSpec{Kind: sideFile, Path: "a.yaml", Raw: "a.yaml"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},
		{name: "file named like a spec", args: []string{"./git:x", "b.yaml"},
			wantBase: sideSpec{Kind: sideFile, Path: "./git:x", Raw: "./git:x"},
			wantRev:  sideSpec{Kind: sideFile, Path: "b.yaml", Raw: "b.yaml"}},

		{name: "nothing", wantErr: "missing the contract to check"},
		{name: "no base", contract: "b.yaml", wantErr: "missing the base"},
		{name: "no base positional", args: []string{"b.yaml"}, wantErr: "missing the base"},
		{name: "both stdin", args: []string{"-", "-"}, wantErr: "only one of the base and the revision"},
		{name: "both stdin flags", base: "-", contract: "-", wantErr: "only one of the base and the revision"},
		{name: "mixed", args: []string{"a", "b"}, contract: "c", wantErr: "not both"},
		{name: "mixed base", args: []string{"a", "b"}, base: "c", wantErr: "not both"},
		{name: "contract and one argument", args: []string{"a"}, contract: "c", wantErr: "got --contract and the argument"},
		{name: "three", args: []string{"a", "b", "c"}, wantErr: "got 3 arguments"},
		{name: "empty argument", args: []string{"", "b"}, wantErr: "an argument is empty"},
		{name: "git revision", args: []string{"a", "git:main"}, wantErr: "the revision must be a file or -"},
		{name: "registry revision", args: []string{"a", "registry:x"}, wantErr: "the revision must be a file or -"},
		{name: "git without rev", args: []string{"git:", "b"}, wantErr: "names no git revision"},
		{name: "git option-like rev", args: []string{"git:--output=x", "b"}, wantErr: "is not a git revision"},
		{name: "git escaping path", args: []string{"git:main:../x.yaml", "b"}, wantErr: "relative to the repository root"},
		{name: "git absolute path", args: []string{"git:main:/x.yaml", "b"}, wantErr: "relative to the repository root"},
		{name: "git empty path", args: []string{"git:main:", "b"}, wantErr: "relative to the repository root"},
		{name: "git without path, stdin revision", args: []string{"git:main", "-"}, wantErr: "needs a path (git:main:PATH)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, rev, err := resolveSides(tt.args, tt.base, tt.contract, tt.function)
			if tt.wantErr != "" {
				var ue *usageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want a usage error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if base != tt.wantBase || rev != tt.wantRev {
				t.Errorf("got base %+v, revision %+v\nwant base %+v, revision %+v", base, rev, tt.wantBase, tt.wantRev)
			}
		})
	}
}

// TestReadAllContextGivesUpOnCancel: a read that never ends (a terminal on
// stdin) returns the context's error once it is cancelled.
func TestReadAllContextGivesUpOnCancel(t *testing.T) {
	pr, pw := io.Pipe()
	defer func() { _ = pw.Close() }()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := readAllContext(ctx, pr); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	data, err := readAllContext(context.Background(), strings.NewReader("openapi: 3.0.3\n"))
	if err != nil || string(data) != "openapi: 3.0.3\n" {
		t.Fatalf("got %q, %v", data, err)
	}
}
