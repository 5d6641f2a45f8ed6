package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestFormatTable: every format has a name, an extension of its own (a
// format without one would make --all write DIR/SLUG, and two sharing one
// would overwrite each other's files) and a constructor.
func TestFormatTable(t *testing.T) {
	names, exts := map[string]bool{}, map[string]string{}
	for _, f := range formats {
		assert.NotEmpty(t, f.Name)
		assert.False(t, names[f.Name], "format %s is in the table twice", f.Name)
		names[f.Name] = true
		assert.True(t, strings.HasPrefix(f.Ext, ".") && len(f.Ext) > 1, "format %s: extension %q", f.Name, f.Ext)
		if prev, dup := exts[f.Ext]; dup {
			t.Errorf("formats %s and %s share the extension %s", prev, f.Name, f.Ext)
		}
		exts[f.Ext] = f.Name
		if assert.NotNil(t, f.New, "format %s has no constructor", f.Name) {
			assert.NotNil(t, f.New(Options{}), "format %s", f.Name)
		}
	}
}

// TestOnlyTextIsColoured: machine formats never carry colour (DESIGN.md).
func TestOnlyTextIsColoured(t *testing.T) {
	for _, f := range formats {
		assert.Equal(t, f.Name == "text", f.Reads(NeedsColor), f.Name)
	}
}
