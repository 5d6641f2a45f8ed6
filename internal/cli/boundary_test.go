package cli_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// edgePackages are the packages under internal/ that may do process I/O:
// flags, streams, exit codes, the network and other processes. Every other
// package under internal/ is engine code (found by walking the tree, so a
// new package is checked without anyone listing it); cmd/relay lies
// outside internal/ and is an edge too.
var edgePackages = map[string]bool{
	"internal/cli":       true,
	"internal/iostreams": true,
	// The drift proxy is a network server by nature: it listens, dials
	// the upstream and serves admin endpoints.
	"internal/drift/proxy": true,
}

// narrowerImports are further imports some engine packages may not use:
// validation works on what the loader read and never reads files itself.
var narrowerImports = map[string][]string{
	"internal/validate": {"os"},
}

// httpTypesOnly are engine packages that may import net/http for its
// types alone: drift's Exchange carries http.Header, and kin-openapi's
// openapi3filter validates an *http.Request. They still may not open a
// connection or serve one (httpNetworking).
var httpTypesOnly = map[string]bool{"internal/drift": true}

// httpNetworking are the members of net/http that touch the network.
var httpNetworking = map[string]bool{"Get": true, "Head": true, "Post": true, "PostForm": true, "Client": true,
	"DefaultClient": true, "Transport": true, "DefaultTransport": true, "ListenAndServe": true,
	"ListenAndServeTLS": true, "Serve": true, "ServeTLS": true, "Server": true}

const cobra = "github.com/spf13/cobra"

// forbiddenImports may not appear in engine code; an entry ending in /...
// forbids the package's subpackages too. The engine is handed what it
// needs of the network (a fetcher, a poster) by the CLI instead.
var forbiddenImports = []string{cobra, cobra + "/...", "log", "os/exec", "net/http", "net/http/..."}

// forbiddenOS are the members of package os an engine package may not use:
// output belongs to iostreams and exit codes to cli.
var forbiddenOS = map[string]bool{"Stdout": true, "Stderr": true, "Exit": true}

// TestEngineBoundary enforces DESIGN.md's "engine packages never import
// cobra, os.Stdout, os.Exit or log", and keeps the network and other
// processes out of the engine.
func TestEngineBoundary(t *testing.T) {
	root := moduleRoot(t)
	pkgs := enginePackages(t, root)
	for _, known := range []string{"internal/load", "internal/registry/notify", "internal/registry/pgstore", "internal/validate"} {
		if len(pkgs[known]) == 0 {
			t.Errorf("the walk did not find the engine package %s", known)
		}
	}
	for pkg, files := range pkgs {
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(root, path)
			for _, v := range checkBoundary(t, filepath.ToSlash(rel), src) {
				if httpTypesOnly[pkg] && strings.HasSuffix(v, `engine code imports "net/http"`) {
					continue
				}
				t.Error(v)
			}
			if httpTypesOnly[pkg] {
				for _, v := range checkHTTPTypesOnly(t, filepath.ToSlash(rel), src) {
					t.Error(v)
				}
			}
			for _, v := range checkNarrower(t, filepath.ToSlash(rel), src, narrowerImports[pkg]) {
				t.Error(v)
			}
		}
	}
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
		if slices.Contains(banned, path) {
			out = append(out, fmt.Sprintf("%s: engine code imports %q", fset.Position(imp.Pos()), path))
		}
	}
	return out
}

// checkHTTPTypesOnly reports uses of net/http that touch the network.
func checkHTTPTypesOnly(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "http" && httpNetworking[sel.Sel.Name] {
				out = append(out, fmt.Sprintf("%s: engine code uses http.%s", fset.Position(sel.Pos()), sel.Sel.Name))
			}
		}
		return true
	})
	return out
}

func TestHTTPTypesOnlyCatchesNetworking(t *testing.T) {
	src := "package d\n\nimport \"net/http\"\n\nvar _ http.Header\nvar _ = http.Get\nvar _ http.Client\n"
	got := checkHTTPTypesOnly(t, "d.go", []byte(src))
	want := []string{"d.go:6:9: engine code uses http.Get", "d.go:7:7: engine code uses http.Client"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
}

// enginePackages maps every package directory under internal/ but the
// edges (slash-separated, relative to root) to its non-test Go files.
func enginePackages(t *testing.T, root string) map[string][]string {
	t.Helper()
	pkgs := map[string][]string{}
	for _, path := range goFiles(t, filepath.Join(root, "internal")) {
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		if dir := filepath.ToSlash(rel); !edgePackages[dir] {
			pkgs[dir] = append(pkgs[dir], path)
		}
	}
	return pkgs
}

// TestEngineBoundaryCheckerCatchesViolations proves the checker can fail: a
// snippet with every kind of violation must be reported in full, and look-
// alikes that are fine must not be.
func TestEngineBoundaryCheckerCatchesViolations(t *testing.T) {
	bad := `package bad

import (
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	xos "os"
	"os/exec"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/cobrax"
)

func f(cmd *exec.Cmd) {
	cmd.Stdout = nil      // a field named Stdout on something else: fine
	_ = xos.Getenv("HOME") // other members of os: fine
	log.Print(xos.Stdout)
	xos.Stderr.WriteString("x")
	defer xos.Exit(3)
	_, _ = cobra.Command{}, doc.GenMarkdown
	_, _, _ = http.Get, httptest.NewServer, url.Parse
}
`
	got := checkBoundary(t, "bad.go", []byte(bad))
	want := []string{
		`bad.go:4:2: engine code imports "log"`,
		`bad.go:5:2: engine code imports "net/http"`,
		`bad.go:6:2: engine code imports "net/http/httptest"`,
		`bad.go:9:2: engine code imports "os/exec"`,
		`bad.go:11:2: engine code imports "github.com/spf13/cobra"`,
		`bad.go:12:2: engine code imports "github.com/spf13/cobra/doc"`,
		`bad.go:19:12: engine code uses os.Stdout`,
		`bad.go:20:2: engine code uses os.Stderr`,
		`bad.go:21:8: engine code uses os.Exit`,
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

func isForbiddenImport(path string) bool {
	for _, bad := range forbiddenImports {
		if parent, ok := strings.CutSuffix(bad, "/..."); ok && strings.HasPrefix(path, parent+"/") || path == bad {
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
