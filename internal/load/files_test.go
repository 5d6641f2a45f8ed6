package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// writeSpreadSpec writes an OpenAPI document whose schemas live one per
// file, n files in all beside the main one, the way generated specs
// (DigitalOcean's) are laid out.
func writeSpreadSpec(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "schemas"), 0o755))
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n")
	for i := range n {
		fmt.Fprintf(&b, "    S%d: {$ref: 'schemas/s%d.yaml'}\n", i, i)
		body := fmt.Sprintf("type: object\nproperties:\n  id: {type: string}\n  n: {type: integer, maximum: %d}\n", i)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "schemas", fmt.Sprintf("s%d.yaml", i)), []byte(body), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api.yaml"), []byte(b.String()), 0o644))
	return dir
}

func TestSpecOverAThousandFilesLoads(t *testing.T) {
	dir := writeSpreadSpec(t, 1500)
	d, err := Load(Options{FS: os.DirFS(dir), Path: "api.yaml", Display: "api.yaml"})
	require.NoError(t, err)
	require.Len(t, d.Files, 1501)

	_, err = Load(Options{FS: os.DirFS(dir), Path: "api.yaml", Display: "api.yaml", Limits: Limits{MaxFiles: 1000}})
	requireSourceError(t, err, "api.yaml", 1005, 18, "spans more than 1000 files, the limit; raise it with --max-files")
}

// Raising the file count must not raise what a load may hold: the bundle's
// bytes and nodes have totals of their own.
func TestBundleTotalsBoundMemory(t *testing.T) {
	dir := writeSpreadSpec(t, 50)
	_, err := Load(Options{FS: os.DirFS(dir), Path: "api.yaml", Display: "api.yaml", Limits: Limits{MaxTotalBytes: 2000}})
	requireSourceError(t, err, "schemas/s1.yaml", 1, 1, "hold more than 2000 bytes together")

	_, err = Load(Options{FS: os.DirFS(dir), Path: "api.yaml", Display: "api.yaml", Limits: Limits{MaxTotalNodes: 400}})
	requireSourceError(t, err, "schemas/s36.yaml", 1, 1, "hold more than 400 nodes together")
}
