package cli

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseFormatSpec(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    output
		wantErr string
	}{
		{in: "json", want: output{Format: "json"}},
		{in: "json=out/r.json", want: output{Format: "json", Path: "out/r.json"}},
		{in: "text=-", want: output{Format: "text"}},
		{in: "sarif=a=b.sarif", want: output{Format: "sarif", Path: "a=b.sarif"}},
		{in: "pdf", wantErr: `unknown --format "pdf"`},
		{in: "JSON", wantErr: `unknown --format "JSON"`},
		{in: "=x", wantErr: `unknown --format ""`},
		{in: "json=", wantErr: "names no file"},
	} {
		got, err := parseFormatSpec(tt.in)
		if tt.wantErr != "" {
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: error %v, want a usage error containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestPlanOutputs(t *testing.T) {
	for _, tt := range []struct {
		name    string
		specs   []string
		output  string
		want    []output
		wantErr string
	}{
		{name: "default", want: []output{{Format: "text"}}},
		{name: "output takes the default", output: "r.txt", want: []output{{Format: "text", Path: "r.txt"}}},
		{name: "output takes the pathless one", specs: []string{"json=r.json", "text"}, output: "r.txt",
			want: []output{{Format: "json", Path: "r.json"}, {Format: "text", Path: "r.txt"}}},
		{name: "one to stdout", specs: []string{"json=r.json", "text"},
			want: []output{{Format: "json", Path: "r.json"}, {Format: "text"}}},
		{name: "output -", specs: []string{"json"}, output: "-", want: []output{{Format: "json"}}},
		{name: "same format twice, two files", specs: []string{"json=a.json", "json=b.json"},
			want: []output{{Format: "json", Path: "a.json"}, {Format: "json", Path: "b.json"}}},

		{name: "two to stdout", specs: []string{"json", "text"}, wantErr: "both write to standard output"},
		{name: "explicit and implicit stdout", specs: []string{"json=-", "text"}, wantErr: "both write to standard output"},
		{name: "same file", specs: []string{"json=r", "yaml=./r"}, wantErr: "both write to ./r"},
		{name: "output with two pathless", specs: []string{"json", "text"}, output: "r", wantErr: "2 formats have none"},
		{name: "output with none pathless", specs: []string{"json=r.json"}, output: "r", wantErr: "0 formats have none"},
		{name: "output clashes with a path", specs: []string{"json=r", "text"}, output: "r", wantErr: "both write to r"},
	} {
		got, err := planOutputs(tt.specs, tt.output)
		if tt.wantErr != "" {
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want a usage error containing %q", tt.name, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "r.json")
	if err := writeReportFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := writeReportFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "two" {
		t.Fatalf("read back %q, %v", b, err)
	}
	info, _ := os.Stat(p)
	if info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	if dirInfo, _ := os.Stat(filepath.Dir(p)); dirInfo.Mode().Perm()&0o755 != 0o755 {
		t.Errorf("created directory mode %v, want 0755", dirInfo.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := writeReportFile(dir, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
}
