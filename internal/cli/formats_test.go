package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/iostreams"
	"github.com/relay-dev/relay/internal/report"
)

// TestRenderingOptionsFollowTheTable: the format table, not the format's
// name, decides what is filled: colour for text on a terminal only, the
// contracts' text only for html.
func TestRenderingOptionsFollowTheTable(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ios.SetStdoutTTY(true)
	ios.SetColorEnabled(true)
	rc := &rendering{failOn: finding.Warning}
	for _, name := range report.Formats() {
		f, err := report.LookupFormat(name)
		require.NoError(t, err)
		opts := rc.options(ios, output{Format: name}, f)
		assert.Equal(t, name == "text", opts.Color, name)
		assert.Equal(t, name == "html", opts.Sources != nil, name)
		assert.Equal(t, finding.Warning, opts.FailOn, name)
		assert.False(t, rc.options(ios, output{Format: name, Path: "r"}, f).Color, "%s to a file", name)
	}
}

// TestDiffLongExtensions: diff's help lists every format's extension,
// keeps within the help's width, and leaves no marker behind.
func TestDiffLongExtensions(t *testing.T) {
	assert.NotContains(t, diffLong, extensionsMarker)
	for _, line := range strings.Split(diffLong, "\n") {
		assert.LessOrEqual(t, len(line), helpWidth, line)
	}
	flat := strings.ReplaceAll(diffLong, "\n", " ")
	for name, ext := range report.Extensions() {
		assert.Regexp(t, ` `+regexp.QuoteMeta(ext)+`[ ,.]`, flat, name)
	}
	assert.Contains(t, flat, " .txt (text), .md (markdown), .html,", "a name follows an extension that does not say it")
}

// TestWrap: the help's own wrapping of the extension sentence, as it was
// written by hand before the list came from the table.
func TestWrap(t *testing.T) {
	line := "gets -2, -3, ...), and EXT is .json, .yaml, .txt (text), .md (markdown), " +
		".html, .sarif, .junit.xml, .github.txt or .gitlab.json. --format json=DIR also"
	assert.Equal(t, "gets -2, -3, ...), and EXT is .json, .yaml, .txt (text), .md (markdown),\n"+
		".html, .sarif, .junit.xml, .github.txt or .gitlab.json. --format json=DIR also", wrap(line, helpWidth))
	assert.Equal(t, "a\nlongword\nb c", wrap("a longword b c", 3))
}
