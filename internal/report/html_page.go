package report

// htmlSource is the page template. Everything the page needs is in it: no
// stylesheet, script, font or image is fetched, so the report renders the
// same offline, in a CI artifact viewer or from a mail attachment. In the
// script, AFF[i] lists, as indexes into the operation filter's options,
// the operations a change with data-aff="i" reaches; a collapsed affects
// list is built from it when opened.
const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #656d76; --bg: #fff; --panel: #f6f8fa; --line: #d0d7de; --hit: #fff8c5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22; --line: #30363d; --hit: #3b2e00; } }
body { font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
h1 { font-size: 1.4rem; margin: .5rem 0; }
.sides, .muted { color: var(--muted); }
.counts { display: flex; gap: .75rem; margin: .75rem 0; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .25rem .75rem; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; margin: 1rem 0; }
.change { border: 1px solid var(--line); border-left-width: 4px; border-radius: 6px; padding: .5rem .75rem; margin: .75rem 0; }
.change[hidden] { display: none; }
.lvl { font-weight: 600; text-transform: uppercase; font-size: .8rem; }
.breaking { border-left-color: #cf222e; } .breaking .lvl { color: #cf222e; }
.warning { border-left-color: #bf8700; } .warning .lvl { color: #bf8700; }
.non-breaking { border-left-color: #1a7f37; } .non-breaking .lvl { color: #1a7f37; }
.info { border-left-color: #8c959f; } .info .lvl { color: var(--muted); }
.msg { margin: .25rem 0; white-space: pre-wrap; }
code, pre { font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: .25rem 0; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
details.affects summary { cursor: pointer; color: var(--muted); }
.snips { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: .5rem; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; margin: .25rem 0; overflow-x: auto; padding: .25rem 0; }
pre .l { display: block; padding: 0 .5rem; white-space: pre; }
pre .hit { background: var(--hit); }
pre .n { color: var(--muted); display: inline-block; min-width: 3em; text-align: right; margin-right: 1em; user-select: none; }
</style>
</head>
<body>
<header>
<h1>{{.Headline}} <span class="muted">— exit {{.ExitCode}}</span></h1>
<p class="sides">{{if .Function}}<code>{{.Function}}</code>: {{end}}{{.Base}} → {{.Revision}}</p>
<ul class="counts">{{range .Counts}}<li class="{{.Level}}">{{.N}} {{.Level}}</li>{{end}}</ul>
{{- if .SuppressedHead}}
<p class="muted">{{.SuppressedHead}}:</p>
<ul class="muted">{{range .Suppressed}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
{{- if .StaleIgnores}}
<p class="muted">{{.StaleIgnores}} ignore entries in .relay.yaml matched nothing (staleIgnores in the JSON report).</p>
{{- end}}
</header>
{{if .Changes -}}
<form class="filters" id="filters" onsubmit="return false">
{{range .Counts}}<label><input type="checkbox" name="level" value="{{.Level}}" checked> {{.Level}}</label>
{{end -}}
<label>operation <select id="op"><option value="">all operations</option>{{range $i, $op := .Operations}}<option value="{{$i}}">{{$op}}</option>{{end}}</select></label>
<label>text <input type="search" id="q" placeholder="rule, pointer, message"></label>
<span class="muted" id="shown"></span>
</form>
<main>
{{range .Changes -}}
<article class="change {{.Level}}" data-level="{{.Level}}" data-aff="{{.Aff}}">
<div><span class="lvl">{{.Level}}</span> <code>{{.ID}}</code>{{if .Operation}} · <strong>{{.Operation}}</strong>{{end}}</div>
<p class="msg">{{.Message}}</p>
<dl>
<dt>pointer</dt><dd><code>{{.Pointer}}</code></dd>
{{- if .AffectsMoreThanOne}}
<dt>affects</dt><dd>{{.AffectsText}}{{if .AffectsCollapsed}}<details class="affects" data-aff="{{.Aff}}"><summary>{{len .Affects}} operations</summary></details>{{end}}</dd>
{{- end}}
</dl>
<div class="snips">
{{- if .BaseLoc}}
<div><div class="muted">base <code>{{.BaseLoc}}</code></div>
{{- if .BaseSnip}}<pre>{{range .BaseSnip}}<span class="l{{if .Hit}} hit{{end}}"><span class="n">{{.N}}</span>{{.Text}}</span>{{end}}</pre>{{end}}</div>
{{- end}}
<div><div class="muted">revision <code>{{.RevLoc}}</code></div>
{{- if .RevSnip}}<pre>{{range .RevSnip}}<span class="l{{if .Hit}} hit{{end}}"><span class="n">{{.N}}</span>{{.Text}}</span>{{end}}</pre>{{end}}</div>
</div>
</article>
{{end -}}
</main>
<script>
(function () {
  var AFF = {{.Affects}};
  var opts = document.getElementById("op").options;
  var form = document.getElementById("filters");
  var items = document.querySelectorAll("article.change");
  document.querySelectorAll("details.affects").forEach(function (d) {
    d.addEventListener("toggle", function () {
      if (!d.open || d.dataset.filled) { return; }
      var ul = document.createElement("ul");
      AFF[+d.dataset.aff].forEach(function (i) {
        var li = document.createElement("li");
        li.textContent = opts[i + 1].text;
        ul.appendChild(li);
      });
      d.appendChild(ul);
      d.dataset.filled = "1";
    });
  });
  function apply() {
    var levels = {};
    form.querySelectorAll("input[name=level]").forEach(function (b) { levels[b.value] = b.checked; });
    var op = document.getElementById("op").value;
    var q = document.getElementById("q").value.toLowerCase();
    var shown = 0;
    items.forEach(function (el) {
      var ok = levels[el.dataset.level] &&
        (op === "" || AFF[+el.dataset.aff].indexOf(+op) >= 0) &&
        (q === "" || el.textContent.toLowerCase().indexOf(q) >= 0);
      el.hidden = !ok;
      if (ok) { shown++; }
    });
    document.getElementById("shown").textContent = shown + " of " + items.length + " shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  apply();
})();
</script>
{{- else -}}
<p>No changes.</p>
{{- end}}
</body>
</html>
`
