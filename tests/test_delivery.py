"""The delivery document a frontend renders as it is: prose in three forms, every
reference resolved in place, article-to-article links (issue 15, parts 1 to 3)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from playwright.sync_api import Browser

from spikecontent import ContentError
from spikecontent.api import create_api
from tests.conftest import ARTICLE, NEEDS_CHROMIUM, REPO, SLUG, Project
from tests.servers import Server, StaticSite

BASE = "https://www.spikerest.example/"
REFERENCE = re.compile(r"(?<![\w/])(?:page|article):[a-z0-9]")
TREE = json.loads((REPO / "docs" / "richtext-tree.schema.json").read_text(encoding="utf-8"))
SECOND = "second-article"


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


def prose_forms(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        if set(data) == {"markdown", "html", "tree"}:
            yield data
            return
        for value in data.values():
            yield from prose_forms(value)
    elif isinstance(data, list):
        for item in data:
            yield from prose_forms(item)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("delivery")).with_article(SECOND, title="Another")
    # Links of every kind, from the flagship's intro: another article, a site path, another site.
    project.edit(
        ARTICLE,
        "covers the sleep angle,",
        f"covers the sleep angle (see also [the other article](article:{SECOND}),"
        " [our story](/about) and [the paper](https://doi.org/10.1155/2012/505286)),",
    )
    return project.exported("json", only=["json"])


def documents(folder: Path) -> Iterator[tuple[Path, Any]]:
    for path in sorted(folder.rglob("*.json")):
        yield path, json.loads(path.read_text(encoding="utf-8"))


def test_no_reference_string_survives_in_any_delivered_document(delivered: Path) -> None:
    seen = 0
    for path, data in documents(delivered):
        for text in strings(data):
            assert not REFERENCE.search(text), (path.name, text[:120])
            seen += 1
    assert seen > 500


def test_every_prose_field_comes_in_three_forms(delivered: Path) -> None:
    document = json.loads((delivered / "articles" / f"{SLUG}.json").read_text("utf-8"))
    forms = list(prose_forms(document))
    assert len(forms) >= 20
    validator = jsonschema_rs.validator_for(TREE)
    for form in forms:
        assert list(validator.iter_errors(form["tree"])) == []
        # The tree holds exactly the words of the HTML.
        words = "".join(s["text"] for block in form["tree"] for s in block["children"])
        text = re.sub(r"<[^>]+>", "", form["html"]).replace("&quot;", '"')
        assert re.sub(r"\s+", "", words) == re.sub(r"\s+", "", text.replace("&amp;", "&"))
    assert document["intro"]["markdown"].startswith("Search ")


def test_links_are_absolute_typed_and_safe(delivered: Path) -> None:
    intro = json.loads((delivered / "articles" / f"{SLUG}.json").read_text("utf-8"))["intro"]
    hrefs = re.findall(r'<a href="([^"]+)"([^>]*)>', intro["html"])
    assert hrefs
    for url, attributes in hrefs:
        assert url.startswith(("https://", "mailto:")), url
        assert ('rel="noopener"' in attributes) == (not url.startswith(BASE)), url
    links = [d for block in intro["tree"] for d in block["markDefs"]]
    kinds = {d["kind"]: d for d in links}
    assert kinds["article"] == {
        "_key": kinds["article"]["_key"],
        "_type": "link",
        "kind": "article",
        "id": SECOND,
        "url": f"{BASE}{SECOND}/",
    }
    pages = [d["id"] for d in links if d["kind"] == "page"]
    assert pages == ["before-bed-guide", "product"]
    assert kinds["path"]["url"] == f"{BASE}about"
    assert kinds["external"]["url"].startswith("https://doi.org/")
    assert f"](article:{SECOND})" not in intro["markdown"]
    assert f"]({BASE}{SECOND}/)" in intro["markdown"]


def test_references_are_resolved_where_they_appear_and_keep_their_ids(delivered: Path) -> None:
    document = json.loads((delivered / "articles" / f"{SLUG}.json").read_text("utf-8"))
    offer = document["offer"]
    assert offer["id"] == "spikerest-mat-standard"
    assert offer["url"] == f"{BASE}products/spikerest-mat"
    assert offer["product"]["id"] == "spikerest-mat"
    assert offer["product"]["reviews_url"] == f"{BASE}reviews"
    assert document["articles"] == [{"slug": SECOND, "title": "Another", "url": f"{BASE}{SECOND}/"}]
    assert document["credits"][0]["person"]["id"] == "maya-ellison"
    index = json.loads((delivered / "index.json").read_text("utf-8"))
    first = index["articles"][0]
    assert (first["api"], first["file"]) == (f"/articles/{SLUG}", f"articles/{SLUG}.json")


def test_an_article_link_is_checked_like_a_page_link(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article(SECOND)
    line = project.edit(
        ARTICLE, "covers the sleep angle,", "covers it ([more](article:secnd-article)),"
    )
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert problem.file.endswith(ARTICLE)
    assert problem.line == line
    assert problem.message == "no article with id 'secnd-article'"
    assert problem.fix == f"did you mean {SECOND!r}?"


def test_a_published_article_cannot_link_to_a_draft(tmp_path: Path) -> None:
    project = Project(tmp_path).with_article(SECOND)
    project.edit(f"articles/{SECOND}.yaml", "status: published", "status: draft")
    project.edit(ARTICLE, "covers the sleep angle,", f"covers it ([more](article:{SECOND})),")
    with pytest.raises(ContentError) as caught:
        project.export(only=["json"])
    (problem,) = caught.value.diagnostics
    assert f"links to article {SECOND!r}, which is draft" in problem.message
    assert problem.fix == f"publish {SECOND!r} first, or remove the link"


INSERTING_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A frontend</title></head>
<body><div id="article">loading</div>
<script>
const api = new URLSearchParams(location.search).get("api");
fetch(api + "/articles/acupressure-mat-benefits?fields=title,intro")
  .then((response) => response.json())
  .then((doc) => {
    const box = document.getElementById("article");
    box.innerHTML = "<h1></h1>" + doc.intro.html;
    box.querySelector("h1").textContent = doc.title;
    box.dataset.done = "yes";
  });
</script></body></html>
"""


@NEEDS_CHROMIUM
def test_a_page_on_another_origin_inserts_the_html_form_as_it_is(
    browser: Browser, tmp_path: Path
) -> None:
    # A frontend with no renderer of ours: it fetches the document and inserts its html.
    project = Project(tmp_path / "project")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(INSERTING_PAGE, encoding="utf-8")
    with StaticSite(site) as origin:
        app = create_api(project.content, project.exporters, cors_origins=[origin])
        with Server(app) as client:
            page = browser.new_page()
            page.goto(f"{origin}/index.html?api={client.base_url}")
            page.wait_for_selector("#article[data-done=yes]")
            hrefs = page.eval_on_selector_all("#article a", "links => links.map(a => a.href)")
            title = page.inner_text("#article h1")
            scripts = page.eval_on_selector_all("#article script", "found => found.length")
            page.close()
    assert title == "Acupressure Mat Benefits: What the Research Really Says"
    assert hrefs == [
        f"{BASE}guides/acupressure-mat-before-bed",
        f"{BASE}products/spikerest-mat",
    ]
    assert scripts == 0
