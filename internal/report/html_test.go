package report_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/relay-dev/relay/internal/finding"
	"github.com/relay-dev/relay/internal/report"
)

// hostile is a change whose every field tries to inject markup that
// would load something from the network.
func hostile() finding.Change {
	return finding.Change{
		ID: "response-property-removed", Level: finding.Breaking,
		Operation: `GET /x"><script src="https://evil.example/op.js"></script>`,
		Pointer:   `/paths/~1x/get/<iframe src=//evil.example>`,
		Message:   `<img src="https://evil.example/x.png"><a href='http://evil.example'>x</a><link rel=stylesheet href=https://evil.example/s.css>`,
		Revision:  finding.Location{File: `api.yaml"><img src=https://evil.example/f.png>`, Line: 2, Column: 1},
		Affects:   []string{`GET /x"><script src="https://evil.example/op.js"></script>`, "POST /y"},
	}
}

// externalRef finds an attribute that would make a browser fetch or open a
// URL: an absolute or scheme-relative src, href, action, …
var externalRef = regexp.MustCompile(`(?i)<[^>]*\s(src|href|action|srcset|poster|data|formaction)\s*=\s*["']?\s*(https?:)?//`)

func TestHTMLIsSelfContained(t *testing.T) {
	rep := fixture()
	rep.Changes = append(rep.Changes, hostile())
	opts := goldenOptions()
	opts.Sources[hostile().Revision.File] = []byte("a: 1\n<script src=\"https://evil.example/src.js\"></script>\nc: 3\n")
	out := string(render(t, "html", opts, rep))

	assert.Empty(t, externalRef.FindAllString(out, -1), "no tag may load or link an external URL")
	assert.NotContains(t, strings.ToLower(out), "url(", "no CSS fetches")
	assert.NotContains(t, strings.ToLower(out), "@import")
	assert.Equal(t, 1, strings.Count(strings.ToLower(out), "<script"), "only the page's own inline script")
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "<iframe")
	assert.NotContains(t, out, "<link")
	// The hostile text is shown, escaped.
	assert.Contains(t, out, "&lt;img src=&#34;https://evil.example/x.png&#34;&gt;")
	assert.Contains(t, out, "&lt;script src=&#34;https://evil.example/src.js&#34;&gt;&lt;/script&gt;")
}

func TestHTMLFiltersAndEntries(t *testing.T) {
	out := string(render(t, "html", goldenOptions(), fixture()))
	for _, l := range finding.Levels {
		assert.Contains(t, out, `<input type="checkbox" name="level" value="`+string(l)+`" checked>`)
	}
	assert.Contains(t, out, `<select id="op">`)
	assert.Regexp(t, `<option value="\d+">PUT /pets/\{id\}</option>`, out, "operations reached only through affects are offered")
	assert.Contains(t, out, `<input type="search" id="q"`)
	assert.Equal(t, len(fixture().Changes), strings.Count(out, `<article class="change `))
	assert.Contains(t, out, "<h1>relay: 2 breaking changes")
}

func TestHTMLSnippets(t *testing.T) {
	out := string(render(t, "html", goldenOptions(), fixture()))
	// The changed line is highlighted, with three lines either side.
	assert.Contains(t, out, `<span class="l"><span class="n">40</span>    x-line-40: base.yaml</span><span class="l hit"><span class="n">41</span>        status:</span>`)
	assert.Contains(t, out, `<span class="n">38</span>    x-line-38: base.yaml`)
	assert.Contains(t, out, `<span class="n">44</span>    x-line-44: base.yaml`)
	assert.NotContains(t, out, `<span class="n">45</span>    x-line-45: base.yaml`)
	// Source text is escaped.
	assert.Contains(t, out, "# &lt;b&gt;not markup&lt;/b&gt; &amp; co")
	// A location whose file has no source is shown without a snippet.
	assert.Contains(t, out, `<div><div class="muted">revision <code>schemas/pet, v2.yaml:14:18</code></div></div>`)
}

func TestHTMLSnippetEdges(t *testing.T) {
	long := strings.Repeat("a", 5000) + "NEEDLE" + strings.Repeat("b", 5000)
	rep := report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, []finding.Change{
		{ID: "r-long", Level: finding.Info, Pointer: "/a", Message: "long", Revision: finding.Location{File: "min.json", Line: 1, Column: 5001}},
		{ID: "r-past-end", Level: finding.Info, Pointer: "/b", Message: "past", Revision: finding.Location{File: "short.yaml", Line: 99, Column: 1}},
		{ID: "r-crlf", Level: finding.Info, Pointer: "/c", Message: "crlf", Revision: finding.Location{File: "crlf.yaml", Line: 1, Column: 1}},
	}, finding.Breaking)
	out := string(render(t, "html", report.Options{Sources: map[string][]byte{
		"min.json": []byte(long), "short.yaml": []byte("a: 1\n"), "crlf.yaml": []byte("\ufeffa: 1\r\nb: 2\r\n"),
	}}, rep))
	assert.Contains(t, out, "NEEDLE", "a long line is clipped around the column")
	assert.Less(t, len(out), 8000, "a minified file is not copied whole")
	assert.Contains(t, out, `revision <code>short.yaml:99:1</code></div></div>`, "a line past the end has no snippet")
	assert.Contains(t, out, `<span class="n">1</span>a: 1</span>`, "BOM and CR are dropped")
	require.NotContains(t, out, "\r")
}

func TestHTMLEmpty(t *testing.T) {
	out := string(render(t, "html", report.Options{}, empty()))
	assert.Contains(t, out, "<p>No changes.</p>")
	assert.NotContains(t, out, "<script")
}

// A change to a shared component reaches hundreds of operations (444 in
// the Stripe API); listing them inline in every change made that page
// 13 MB. Each distinct list is written once: a change shows the count,
// the first few names, and expands to the rest from the page's table.
func TestHTMLCollapsesLongAffects(t *testing.T) {
	var ops []string
	for i := range 500 {
		ops = append(ops, fmt.Sprintf("GET /v1/some/fairly/long/resource/path/%04d/{id}", i))
	}
	var changes []finding.Change
	for i := range 300 {
		changes = append(changes, finding.Change{
			ID: "response-property-removed", Level: finding.Breaking, Operation: ops[0],
			Pointer: fmt.Sprintf("/components/schemas/Shared/properties/p%d", i), Message: fmt.Sprintf("response property 'p%d' was removed", i),
			Revision: finding.Location{File: "api.yaml", Line: i + 1, Column: 1}, Affects: ops,
		})
	}
	changes = append(changes, finding.Change{ID: "operation-added", Level: finding.NonBreaking, Operation: "POST /few",
		Pointer: "/paths/~1few/post", Message: "operation POST /few was added", Revision: finding.Location{File: "api.yaml", Line: 1, Column: 1},
		Affects: []string{"POST /few", "GET /few"}})
	out := string(render(t, "html", report.Options{}, report.New(report.Tool{Name: "relay"}, report.Side{}, report.Side{}, changes, finding.Breaking)))

	assert.Less(t, len(out), 400_000, "300 changes × 500 operations listed inline would be about 20 MB")
	assert.LessOrEqual(t, strings.Count(out, ops[499]), 2, "an operation's name is written once for the filter and once in the table")
	assert.Equal(t, 300, strings.Count(out, `<details class="affects" data-aff="0"><summary>500 operations</summary>`), "each change shows the count and expands")
	assert.True(t, strings.Contains(out, "<dd>GET /v1/some/fairly/long/resource/path/0000/{id}, GET /v1/some/fairly/long/resource/path/0001/{id}, GET /v1/some/fairly/long/resource/path/0002/{id}, GET /v1/some/fairly/long/resource/path/0003/{id}, GET /v1/some/fairly/long/resource/path/0004/{id} and 495 more"), "the first operations are named")
	assert.True(t, strings.Contains(out, "<dd>POST /few, GET /few</dd>"), "a short list stays inline")
	assert.Empty(t, externalRef.FindAllString(out, -1), "still offline")
	assert.Equal(t, 1, strings.Count(strings.ToLower(out), "<script"), "the table lives in the page's own script")
}
