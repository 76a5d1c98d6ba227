"""The HTTP API, served by uvicorn on 127.0.0.1 and hit by a real HTTP client (httpx)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import spikecontent
from spikecontent import ContentError
from spikecontent.api import MAX_LIMIT, create_api
from spikecontent.cli import app as cli
from tests.conftest import ARTICLE, CONTENT, REPO, SLUG, Project
from tests.servers import Server, serve_process


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "dist"
    report = spikecontent.export(CONTENT, exporters=REPO / "exporters", out=out)
    assert report.ok, report.failed
    return out


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with Server(create_api(CONTENT, REPO / "exporters")) as client:
        yield client


ENDPOINTS = [
    (f"/articles/{SLUG}/jsonld", f"jsonld/{SLUG}.jsonld", "application/ld+json"),
    (f"/articles/{SLUG}/leaflet.pdf", f"leaflets/{SLUG}.pdf", "application/pdf"),
    ("/feed.rss", "feeds/site.rss.xml", "application/rss+xml; charset=utf-8"),
    ("/feed.atom", "feeds/site.atom.xml", "application/atom+xml; charset=utf-8"),
    ("/macros", "macros/macros.json", "application/json"),
    (
        f"/macros/{SLUG}-faq-sleep.txt",
        f"macros/{SLUG}-faq-sleep.txt",
        "text/plain; charset=utf-8",
    ),
]


@pytest.mark.parametrize(("url", "artifact", "media_type"), ENDPOINTS)
def test_each_endpoint_serves_the_exported_bytes(
    client: httpx.Client, dist: Path, url: str, artifact: str, media_type: str
) -> None:
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.headers["content-type"] == media_type
    assert response.content == (dist / artifact).read_bytes()
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    assert response.headers["cache-control"] == "public, max-age=300"


ENTRIES = [
    (f"/articles/{SLUG}", f"json/articles/{SLUG}.json"),
    ("/studies", "json/studies.json"),
    ("/studies/hohmann-2012", "json/studies/hohmann-2012.json"),
    ("/cautions", "json/cautions.json"),
]


@pytest.mark.parametrize(("url", "artifact"), ENTRIES)
def test_each_entry_is_the_exported_document_with_its_sys(
    client: httpx.Client, dist: Path, url: str, artifact: str
) -> None:
    """Entries are built from the model with the json writer's functions: the exported
    document, its sys first, compact unless ?pretty (then indented as the export is)."""
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    assert response.headers["cache-control"] == "public, max-age=300"
    exported = json.loads((dist / artifact).read_bytes())
    served = response.json()
    for document, original in zip(
        served if isinstance(served, list) else [served],
        exported if isinstance(exported, list) else [exported],
        strict=True,
    ):
        assert list(document) == ["sys", *original]
        assert document.pop("sys")["id"] == original.get("slug", original.get("id"))
        assert document == original
    assert b"\n " not in response.content  # compact
    pretty = client.get(url, params={"pretty": ""}, headers={"Accept-Encoding": "identity"})
    assert json.loads(pretty.content) == response.json()
    assert pretty.content.startswith((b'{\n  "sys": {\n    "id": ', b'[\n  {\n    "sys": {'))


def test_the_article_list_is_the_index_in_an_envelope(client: httpx.Client, dist: Path) -> None:
    index = json.loads((dist / "json" / "index.json").read_bytes())
    page = client.get("/articles").json()
    # Each item is the index's, with the entry metadata (sys) only the API adds.
    for item in page["items"]:
        assert item.pop("sys")["id"] == item["slug"]
    assert page == {"items": index["articles"], "total": 1, "skip": 0, "limit": 20}
    health = client.get("/healthz")
    assert health.json() == {
        "status": "ok",
        "articles": 1,
        "version": health.headers["x-content-version"],
        "problems": 0,
    }
    assert health.headers["cache-control"] == "private, no-store"


def test_conditional_get_answers_304_with_the_same_headers(client: httpx.Client) -> None:
    first = client.get(f"/articles/{SLUG}")
    etag = first.headers["etag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(f"/articles/{SLUG}", headers={"If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=300"
    changed = client.get(f"/articles/{SLUG}", headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200
    assert changed.content == first.content


def test_head_gives_the_headers_of_get_without_a_body(client: httpx.Client) -> None:
    for url in ("/articles", f"/articles/{SLUG}/jsonld", "/feed.rss", "/healthz"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        for name in ("etag", "content-type", "content-length", "cache-control"):
            assert head.headers[name] == got.headers[name], (url, name)


@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article",
        "/articles/no-such-article/jsonld",
        "/articles/no-such-article/leaflet.pdf",
        "/studies/no-such-study",
        "/macros/no-such-macro.txt",
        f"/macros/{SLUG}-faq-sleep",
        "/macros/all.txt",
        "/nowhere",
    ],
)
def test_unknown_things_are_404_json(client: httpx.Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"] == "not found"
    assert response.json()["detail"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_other_methods_are_405_json(client: httpx.Client, method: str) -> None:
    response = client.request(method, f"/articles/{SLUG}")
    assert response.status_code == 405
    assert response.json()["error"] == "method not allowed"


def test_pagination_edges(client: httpx.Client) -> None:
    past = client.get("/articles", params={"skip": 5}).json()
    assert past == {"items": [], "total": 1, "skip": 5, "limit": 20}
    # Over the maximum is a 400 that states it, never a silently shorter page.
    over = client.get("/articles", params={"limit": 10_000})
    assert over.status_code == 400
    assert f"more than the maximum, {MAX_LIMIT}" in over.json()["detail"]
    most = client.get("/articles", params={"limit": MAX_LIMIT}).json()
    assert most["limit"] == MAX_LIMIT
    assert len(most["items"]) == 1
    for params in ({"skip": -1}, {"limit": 0}, {"limit": "ten"}, {"skip": "1.5"}):
        response = client.get("/articles", params=params)
        assert response.status_code == 400, params
        body = response.json()
        assert body["error"] == "bad request"
        assert next(iter(params)) in body["detail"]


def test_drafts_are_served_only_when_asked(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.edit(ARTICLE, "status: published", "status: draft")
    content = project.content
    with Server(create_api(content, REPO / "exporters")) as client:
        assert client.get(f"/articles/{SLUG}").status_code == 404
        assert client.get("/articles").json()["total"] == 0
    with Server(create_api(content, REPO / "exporters", include_drafts=True)) as client:
        assert client.get(f"/articles/{SLUG}").status_code == 200


def test_invalid_content_stops_the_server_from_starting(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: soon")
    content = project.content
    with pytest.raises(ContentError):
        create_api(content, REPO / "exporters")
    result = CliRunner().invoke(cli, ["serve", "--content", str(content)])
    assert result.exit_code == 1
    assert "hohmann-2012.yaml:2:7: year:" in result.stderr
    assert "The server did not start." in result.stderr


def test_include_drafts_says_it_is_for_local_use(tmp_path: Path) -> None:
    project = Project(tmp_path)
    folders = ["--content", str(project.content), "--exporters", str(project.exporters)]
    with serve_process([*folders, "--include-drafts"], cwd=tmp_path) as served:
        assert httpx.get(f"{served.url}/healthz").status_code == 200
    assert "--include-drafts serves every draft to everyone: for local use only" in served.output


def test_serve_binds_127_0_0_1_by_default() -> None:
    with serve_process([], cwd=REPO) as served:
        assert httpx.get(f"{served.url}/healthz").json()["status"] == "ok"
    output = served.output
    assert served.url in output
    # Lint warnings are shown at start-up, as export shows them.
    assert "warning structure.study-n: sample: " in output
