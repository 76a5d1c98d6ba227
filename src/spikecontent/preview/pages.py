"""The preview's pages: the html writer's page with the preview around it.

The article is the html writer's own page, unchanged but for what is added before
``</body>``: tabs for the article's other channels, the list of findings, and a script
that marks each finding in the text (by the ``data-entry`` and ``data-field`` the page
carries) and swaps in the new page when the content changes (server-sent events).
"""

from __future__ import annotations

import html
import json
from typing import Final

import attrs

from spikecontent.diagnostics import Level
from spikecontent.pipeline import RenderFailure, render_one
from spikecontent.preview.state import TABS, PreviewState

__all__ = ["article_page", "errors_page", "index_page"]

_TAB_NAMES: Final = {"jsonld": "JSON-LD", "rss": "Feed entry", "macros": "Support macros"}

_STYLE: Final = """
#preview-bar { position: sticky; top: 0; z-index: 5; background: #12303c; color: #fff;
  font: 14px/1.4 system-ui, sans-serif; padding: .4rem 1rem; display: flex; gap: .5rem;
  align-items: center; flex-wrap: wrap; }
#preview-bar a { color: #fff; }
#preview-bar [role=tab] { background: transparent; color: #fff; border: 1px solid #5b8797;
  border-radius: 4px; padding: .2rem .6rem; cursor: pointer; font: inherit; }
#preview-bar [role=tab][aria-selected=true] { background: #fff; color: #12303c; }
#preview-bar .count { margin-left: auto; }
.preview-panel { max-width: 60rem; margin: 1rem auto; padding: 0 1.25rem; }
.preview-panel pre { white-space: pre-wrap; background: #f6f8fa; padding: 1rem;
  border: 1px solid #d7dde3; font-size: 13px; }
.preview-panel iframe { width: 100%; height: 80vh; border: 1px solid #d7dde3; }
mark.lint { position: relative; background: #fff1b8; outline: 2px solid #d4a200;
  border-radius: 2px; }
mark.lint.lint-error { background: #ffd9d6; outline-color: #c0392b; }
mark.lint.lint-allowed { background: #e3f2e1; outline-color: #4f8a4a; }
.lint-field { outline: 2px dashed #d4a200; outline-offset: 2px; }
.lint-field.lint-error { outline-color: #c0392b; }
mark.lint .lint-tip { display: none; position: absolute; left: 0; top: 1.6em; z-index: 6;
  width: 26rem; max-width: 80vw; background: #12303c; color: #fff; padding: .5rem .7rem;
  border-radius: 4px; font: 13px/1.45 system-ui, sans-serif; font-weight: normal; }
mark.lint:hover .lint-tip, mark.lint:focus .lint-tip, mark.lint:focus-within .lint-tip {
  display: block; }
#preview-findings { max-width: 44rem; margin: 2rem auto; padding: 0 1.25rem;
  font: 14px/1.5 system-ui, sans-serif; }
#preview-findings li.error { color: #8e1f14; }
"""

_SCRIPT: Final = """
(function () {
  "use strict";
  function owner(el) { var e = el.closest("[data-entry]"); return e && e.dataset.entry; }
  function fieldsOf(entry, field) {
    return Array.prototype.filter.call(
      document.querySelectorAll("[data-field]"),
      function (el) { return el.dataset.field === field && owner(el) === entry; });
  }
  function wrap(el, words) {
    var wanted = words.toLowerCase().replace(/\\s+/g, " ");
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      var text = node.data.toLowerCase().replace(/\\s/g, " ");
      var at = text.indexOf(wanted);
      if (at < 0) { continue; }
      var range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      var mark = document.createElement("mark");
      range.surroundContents(mark);
      return mark;
    }
    return null;
  }
  function tip(finding, n) {
    var span = document.createElement("span");
    span.className = "lint-tip";
    span.id = "lint-tip-" + n;
    span.setAttribute("role", "tooltip");
    span.textContent = finding.level + " " + finding.rule + ": " + finding.message +
      (finding.suggestion ? " (fix: " + finding.suggestion + ")" : "") + " at " +
      finding.path + ":" + finding.line + ":" + finding.col;
    return span;
  }
  function mark() {
    var data = document.getElementById("preview-data");
    if (!data) { return; }
    var findings = JSON.parse(data.textContent);
    findings.forEach(function (finding, n) {
      fieldsOf(finding.entry, finding.field).forEach(function (el) {
        var found = finding.excerpt ? wrap(el, finding.excerpt) : null;
        if (!found) {
          el.classList.add("lint-field", "lint-" + finding.level);
          el.setAttribute("data-lint-rule", finding.rule);
          el.setAttribute("title", tip(finding, n).textContent);
          return;
        }
        found.className = "lint lint-" + finding.level;
        found.tabIndex = 0;
        found.dataset.rule = finding.rule;
        found.setAttribute("aria-describedby", "lint-tip-" + n);
        found.appendChild(tip(finding, n));
      });
    });
  }
  function tabs() {
    document.querySelectorAll("#preview-bar [role=tab]").forEach(function (button) {
      button.addEventListener("click", function () { show(button.dataset.panel); });
    });
  }
  function show(panel) {
    document.querySelectorAll("#preview-bar [role=tab]").forEach(function (b) {
      b.setAttribute("aria-selected", String(b.dataset.panel === panel));
    });
    document.querySelectorAll("[data-preview-panel]").forEach(function (p) {
      p.hidden = p.dataset.previewPanel !== panel;
    });
    var main = document.getElementById("content");
    if (main) { main.hidden = panel !== "page"; }
    var frame = document.querySelector("[data-preview-panel=" + panel + "] iframe[data-src]");
    if (frame && !frame.src) { frame.src = frame.dataset.src; }
    window.__previewTab = panel;
  }
  function refresh() {
    fetch(location.href, {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        document.body.innerHTML = next.body.innerHTML;
        document.title = next.title;
        tabs(); mark(); show(window.__previewTab || "page");
        document.documentElement.dataset.previewVersion =
          next.documentElement.dataset.previewVersion;
      });
  }
  tabs(); mark(); show("page");
  var events = new EventSource("/events");
  events.addEventListener("change", function (event) {
    if (event.data !== document.documentElement.dataset.previewVersion) { refresh(); }
  });
})();
"""


def article_page(state: PreviewState, slug: str, page: bytes | str) -> str:
    """The html writer's ``page`` for ``slug`` with the preview around it (the page with
    its field markers, which published pages do not carry)."""
    page = _marked(state, slug, page)
    text = (
        page.decode() if isinstance(page, bytes) else f"<main><pre>{html.escape(page)}</pre></main>"
    )
    findings = state.findings_for(slug)
    errors = sum(f.level is Level.ERROR for _, f in findings)
    tabs = [("page", "Page"), ("leaflet", "Leaflet")] + [
        (name, _TAB_NAMES[name]) for name in TABS if state.writers.get(name)
    ]
    buttons = "".join(
        f'<button type="button" role="tab" data-panel="{name}">{label}</button>'
        for name, label in tabs
    )
    panels = [
        f'<section class="preview-panel" data-preview-panel="leaflet" hidden>'
        f'<iframe title="Leaflet" data-src="/articles/{slug}/leaflet.pdf"></iframe></section>'
    ]
    for name in TABS:
        if not state.writers.get(name):
            continue
        blocks = "".join(
            f"<h2>{html.escape(artifact.path)}</h2>"
            f"<pre>{html.escape(_text(state.render(name, artifact)))}</pre>"
            for artifact in state.artifacts(name, slug)
        )
        panels.append(
            f'<section class="preview-panel" data-preview-panel="{name}" hidden>{blocks}</section>'
        )
    listing = "".join(
        f'<li class="{f.level.value}"><code>{html.escape(str(f))}</code></li>' for _, f in findings
    )
    bar = (
        f'<nav id="preview-bar" aria-label="Preview" role="tablist"><a href="/">All articles</a>'
        f'{buttons}<span class="count">{_count(errors, "error")},'
        f" {_count(len(findings) - errors, 'other finding')}</span></nav>"
    )
    rest = (
        f"{''.join(panels)}"
        f'<section id="preview-findings" data-preview-panel="page" aria-label="Lint findings">'
        f"<h2>Lint findings</h2><ul>{listing or '<li>None.</li>'}</ul></section>"
        f'<script type="application/json" id="preview-data">'
        f"{_json([{**f.as_json(), 'entry': str(entry)} for entry, f in findings])}</script>"
        f"<script>{_SCRIPT}</script>"
    )
    # The preview's style in the head: a <style> in the body is invalid HTML.
    text = text.replace("</head>", f"<style>{_STYLE}</style></head>", 1)
    text = text.replace("<body>", f"<body>{bar}", 1).replace("</body>", f"{rest}</body>", 1)
    return _versioned(text, state.version)


def _marked(state: PreviewState, slug: str, page: bytes | str) -> bytes | str:
    """The article's page with each text marked by its field (``data-field``), which the
    script reads to place findings: the html writer's page made with its
    ``field_markers`` option on; once per version."""
    writer = state.writers.get("html")
    if not isinstance(page, bytes) or writer is None:
        return page
    options = writer.context.options
    if not hasattr(options, "field_markers"):
        return page

    def make() -> bytes | str:
        context = attrs.evolve(writer.context, options=attrs.evolve(options, field_markers=True))
        marked = type(writer)(context)
        marked.prepare()
        try:
            return render_one(marked, state.artifacts("html", slug)[0])
        except RenderFailure as failure:
            return str(failure)

    return state.rendered.get(("html", slug, "marked"), make)


def index_page(state: PreviewState) -> str:
    """Every article, drafts included, with its findings counted."""
    rows = "".join(
        f'<li><a href="/articles/{a.slug}">{html.escape(a.title)}</a> [{a.status.value}]'
        f" ({len(state.findings_for(a.slug))} findings)</li>"
        for a in state.articles
    )
    body = f"<main><h1>spikecontent preview</h1><ul>{rows}</ul></main>"
    return _shell("spikecontent preview", body, state.version)


def errors_page(state: PreviewState) -> str:
    """What stops the content from loading, until an edit fixes it."""
    items = "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in state.errors)
    body = (
        "<main><h1>The content does not load</h1><p>Fix these and save; this page updates"
        f" itself.</p><ul id='preview-errors'>{items}</ul></main>"
    )
    return _shell("spikecontent preview: errors", body, state.version)


def _shell(title: str, body: str, version: int) -> str:
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem}}</style></head><body>"
        f"{body}<script>new EventSource('/events').addEventListener('change', function (e) {{"
        " if (e.data !== document.documentElement.dataset.previewVersion) location.reload(); });"
        "</script></body></html>"
    )
    return _versioned(page, version)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _versioned(page: str, version: int) -> str:
    return page.replace("<html ", f'<html data-preview-version="{version}" ', 1)


def _text(rendered: bytes | str) -> str:
    return rendered.decode() if isinstance(rendered, bytes) else rendered


def _json(data: object) -> str:
    # Inside <script>: "</" must not appear, or the element would end there.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
