"""Every page the project writes, checked by the Nu HTML Checker (vnu.jar): 0 errors.

The html writer's pages (an article with its lead picture, one without, a draft exported
for review, the home page, the 404 page), the macro board, the preview's pages, and the
jsonld writer's ``.jsonld.html`` snippet as the fragment of a ``<head>`` it is."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from spikecontent.preview import PreviewServer
from tests.conftest import SLUG, Project
from tests.pictures import with_merchant_listing
from tests.vnu import NEEDS_VNU, vnu_errors, vnu_fragment_errors

pytestmark = [pytest.mark.slow, NEEDS_VNU]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("valid"))
    # The flagship shows its lead picture and has its publication date; so do its copies.
    with_merchant_listing(project.content)
    project.with_article("second-article", title="Second")
    project.with_article("draft-article", title="Draft")
    project.edit("articles/draft-article.yaml", "status: published", "status: draft")
    # Drafts exported for review too: their pages say noindex.
    project.profile("html", 'writer = "html"\noutput = "html"\ndrafts = true\n')
    report = project.export(only=["html", "jsonld", "macros"])
    assert report.ok, report.failed
    return project


def test_every_web_page_and_the_macro_board_have_no_error(site: Project) -> None:
    html = site.out / "html"
    pages = sorted(html.rglob("*.html"))
    names = {page.relative_to(html).as_posix() for page in pages}
    assert {f"{SLUG}/index.html", "second-article/index.html", "draft-article/index.html"} <= names
    assert {"index.html", "404.html"} <= names
    board = site.out / "macros" / "index.html"
    assert vnu_errors([*pages, board]) == []


def test_the_jsonld_snippet_is_a_valid_fragment_of_a_head(site: Project, tmp_path: Path) -> None:
    snippet = (site.out / "jsonld" / f"{SLUG}.jsonld.html").read_text("utf-8")
    assert vnu_fragment_errors(snippet, tmp_path, where="head") == []


def test_the_preview_pages_have_no_error(site: Project, tmp_path: Path) -> None:
    preview = PreviewServer(site.content, site.exporters, port=0)
    preview.start()
    try:
        saved = []
        for name, path in (("article", f"/articles/{SLUG}"), ("index", "/")):
            answer = httpx.get(f"{preview.url}{path}", timeout=120)
            assert answer.status_code == 200
            saved.append(tmp_path / f"{name}.html")
            saved[-1].write_bytes(answer.content)
    finally:
        preview.stop()
    # The preview's page is the marked one: the published page carries no marker.
    assert b'data-field="title"' in saved[0].read_bytes()
    assert vnu_errors(saved) == []


def test_a_css_error_is_an_error_here(tmp_path: Path) -> None:
    """The checker parses the CSS in <style>: the HTML-escaped font rule the writer used
    to write is reported, so a pass above means something."""
    escaped = "<style>body { font: 1rem system-ui, &#34;Segoe UI&#34;, sans-serif; }</style>"
    errors = vnu_fragment_errors(escaped, tmp_path, where="head")
    assert errors
    assert all("CSS" in error for error in errors)
