package cli_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// enginePackages are the directories (relative to the module root) whose
// code must stay pure: no cobra, no log, no process-level I/O or exits. The
// edges (internal/cli, internal/iostreams, cmd/relay) own those.
var enginePackages = []string{
	"internal/source",
	"internal/load",
	"internal/diff",
	"internal/rules",
	"internal/finding",
	"internal/report",
	"internal/registry", // subpackages (filestore, registrytest) included
	"internal/validate",
}

// narrowerImports are further imports some engine packages may not use:
// validation works on what the loader read and never runs or fetches
// anything itself.
var narrowerImports = map[string][]string{
	"internal/validate": {"os", "os/exec", "net/http"},
}

const cobra = "github.com/spf13/cobra"

// forbiddenImports may not appear in engine code; cobra's subpackages are
// forbidden too.
var forbiddenImports = []string{cobra, "log"}

// forbiddenOS are the members of package os an engine package may not use:
// output belongs to iostreams and exit codes to cli.
var forbiddenOS = map[string]bool{"Stdout": true, "Stderr": true, "Exit": true}

// TestEngineBoundary enforces DESIGN.md's "engine packages never import
// cobra, os.Stdout, os.Exit or log".
func TestEngineBoundary(t *testing.T) {
	root := moduleRoot(t)
	for _, pkg := range enginePackages {
		dir := filepath.Join(root, filepath.FromSlash(pkg))
		files := goFiles(t, dir)
		if len(files) == 0 {
			t.Errorf("%s: no Go files found; if the package moved, update enginePackages", pkg)
			continue
		}
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, path)
			for _, v := range checkBoundary(t, filepath.ToSlash(rel), src) {
				t.Error(v)
			}
			for _, v := range checkNarrower(t, filepath.ToSlash(rel), src, narrowerImports[pkg]) {
				t.Error(v)
			}
		}
	}
}

// TestEngineBoundaryCheckerCatchesViolations proves the checker can fail: a
// snippet with every kind of violation must be reported in full, and look-
// alikes that are fine must not be.
func TestEngineBoundaryCheckerCatchesViolations(t *testing.T) {
	bad := `package bad

import (
	"log"
	xos "os"
	"os/exec"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func f(cmd *exec.Cmd) {
	cmd.Stdout = nil      // a field named Stdout on something else: fine
	_ = xos.Getenv("HOME") // other members of os: fine
	log.Print(xos.Stdout)
	xos.Stderr.WriteString("x")
	defer xos.Exit(3)
	_, _ = cobra.Command{}, doc.GenMarkdown
}
`
	got := checkBoundary(t, "bad.go", []byte(bad))
	want := []string{
		`bad.go:4:2: engine code imports "log"`,
		`bad.go:8:2: engine code imports "github.com/spf13/cobra"`,
		`bad.go:9:2: engine code imports "github.com/spf13/cobra/doc"`,
		`bad.go:15:12: engine code uses os.Stdout`,
		`bad.go:16:2: engine code uses os.Stderr`,
		`bad.go:17:8: engine code uses os.Exit`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checker reported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	dot := "package dot\n\nimport . \"os\"\n\nfunc g() { Exit(1) }\n"
	if got := checkBoundary(t, "dot.go", []byte(dot)); len(got) != 1 || !strings.Contains(got[0], "dot-imports os") {
		t.Errorf("dot import of os: got %q, want one violation", got)
	}

	clean := "package clean\n\nimport \"os\"\n\nfunc h() ([]byte, error) { return os.ReadFile(\"x\") }\n"
	if got := checkBoundary(t, "clean.go", []byte(clean)); len(got) != 0 {
		t.Errorf("clean snippet: got violations %q", got)
	}
}

// checkBoundary parses one file and returns its violations as
// "file:line:col: message", in source order.
func checkBoundary(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var out []string
	report := func(pos token.Pos, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s", fset.Position(pos), fmt.Sprintf(format, args...)))
	}
	osNames := map[string]bool{}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			t.Fatalf("%s: bad import path %s", fset.Position(imp.Pos()), imp.Path.Value)
		}
		if isForbiddenImport(path) {
			report(imp.Pos(), "engine code imports %q", path)
		}
		if path != "os" {
			continue
		}
		switch {
		case imp.Name == nil:
			osNames["os"] = true
		case imp.Name.Name == ".":
			report(imp.Pos(), "engine code dot-imports os (cannot check for os.Stdout, os.Stderr, os.Exit)")
		case imp.Name.Name != "_":
			osNames[imp.Name.Name] = true
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if x, ok := sel.X.(*ast.Ident); ok && osNames[x.Name] && forbiddenOS[sel.Sel.Name] {
			report(sel.Pos(), "engine code uses os.%s", sel.Sel.Name)
		}
		return true
	})
	return out // imports precede declarations, so this is source order
}

// checkNarrower reports imports of the listed packages.
func checkNarrower(t *testing.T, name string, src []byte, banned []string) []string {
	t.Helper()
	if len(banned) == 0 {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ImportsOnly)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var out []string
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		for _, b := range banned {
			if path == b {
				out = append(out, fmt.Sprintf("%s: engine code imports %q", fset.Position(imp.Pos()), path))
			}
		}
	}
	return out
}

func isForbiddenImport(path string) bool {
	for _, bad := range forbiddenImports {
		if path == bad || bad == cobra && strings.HasPrefix(path, cobra+"/") {
			return true
		}
	}
	return false
}

// goFiles lists the non-test .go files under dir, subpackages included,
// skipping testdata and hidden directories (the go tool ignores them too).
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// moduleRoot walks up from the test's directory to the one holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}
