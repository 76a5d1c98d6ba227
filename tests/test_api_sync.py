"""The sync feed (issue 41, item 2), against uvicorn on a real port: a client that keeps
a copy of the content by replaying ``/sync`` ends equal to a fresh full sync and to the
documents the API serves, across edits, a deletion and a restart of the server; and
``Last-Modified`` / ``If-Modified-Since``, ``include`` and ``?pretty`` on the documents."""

from __future__ import annotations

import email.utils
import re
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

import spikecontent
from spikecontent.api import LiveContent, create_app
from spikecontent.delivery.sync import PageToken
from spikecontent.pipeline import private_folder
from spikecontent.pipeline.history import record_history
from tests.conftest import ARTICLE, FLAGSHIP_TITLE, SLUG, Project
from tests.servers import Server

Copy = dict[tuple[str, str], dict[str, Any]]


def replay(client: httpx.Client, copy: Copy, token: str | None) -> str:
    """Apply the changes since ``token`` to ``copy``; the next token."""
    params = {"sync_token": token} if token else {}
    answer = client.get("/sync", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    for document in (*body["created"], *body["updated"]):
        copy[document["sys"]["type"], document["sys"]["id"]] = document
    for gone in body["deleted"]:
        del copy[gone["type"], gone["id"]]
    token = body["next_sync_token"]
    assert isinstance(token, str)
    return token


def served(client: httpx.Client, copy: Copy) -> None:
    """Each article and study of ``copy`` is what its URL serves."""
    for (kind, ident), document in copy.items():
        if kind == "Caution":
            continue  # cautions are served as a list only
        url = f"/articles/{ident}" if kind == "Article" else f"/studies/{ident}"
        assert client.get(url).json() == document, url


def export(project: Project, out: Path) -> None:
    # The export's one call into the history (pipeline/run.py makes it after each export).
    record_history(private_folder(out), spikecontent.load(project.content))


def exported(tmp_path: Path) -> tuple[Project, Path, LiveContent]:
    """A project exported once, and its content served with the export's history."""
    project = Project(tmp_path)
    out = tmp_path / "dist"
    export(project, out)
    return project, out, LiveContent(project.content, project.exporters, history=out)


def test_a_sync_client_keeps_an_equal_copy_across_edits_and_restarts(tmp_path: Path) -> None:
    project, out, live = exported(tmp_path)
    copy: Copy = {}
    paged: Copy = {}  # the same client, two entries a page
    with Server(create_app(live)) as client:
        token = replay(client, copy, None)
        assert follow(client, paged, None, 2)[0] == token
        assert paged == copy
        assert ("Article", SLUG) in copy
        assert ("Study", "hohmann-2012") in copy
        served(client, copy)
        assert replay(client, copy, token) == token  # nothing changed: nothing sent

        project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
        project.with_article("mats-and-sleep", title="Mats and sleep")
        export(project, out)
        assert live.reload()
        changes = client.get("/sync", params={"sync_token": token}).json()
        assert {d["sys"]["id"] for d in changes["created"]} == {"mats-and-sleep"}
        assert {d["sys"]["id"] for d in changes["updated"]} == {SLUG, "hohmann-2012"}
        assert follow(client, paged, token, 2)[0] == replay(client, copy, token)
        token = replay(client, copy, token)
        assert paged == copy == dict(_full(client))
        served(client, copy)
        # A page token outlives the server that gave it: it names the history's steps.
        first = client.get("/sync", params={"limit": 1}).json()
        kept = first["next_page_token"]

    # A restart: the token comes from the export's history, so it still holds.
    project.edit("articles/mats-and-sleep.yaml", "status: published", "status: draft")
    export(project, out)
    live = LiveContent(project.content, project.exporters, history=out)
    with Server(create_app(live)) as client:
        changes = client.get("/sync", params={"sync_token": token}).json()
        assert changes["deleted"] == [{"id": "mats-and-sleep", "type": "Article"}]
        assert follow(client, paged, token, 2)[0] == replay(client, copy, token)
        assert paged == copy == dict(_full(client))
        served(client, copy)
        # The content moved on since that page token (the draft): its sync starts again
        # and still ends equal to a fresh one.
        resumed: Copy = {}
        apply(resumed, first)
        body = page(client, resumed, {"page_token": kept, "limit": 100})
        assert body["next_sync_token"]
        assert resumed == copy
        wrong = client.get("/sync", params={"sync_token": "0123456789ab.1"})
        assert wrong.status_code == 400
        assert "start again without one" in wrong.json()["detail"]


def _full(client: httpx.Client) -> Copy:
    fresh: Copy = {}
    replay(client, fresh, None)
    return fresh


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> LiveContent:
    project = Project(tmp_path_factory.mktemp("sync"))
    return LiveContent(project.content, project.exporters)


@pytest.fixture(scope="module")
def client(seed: LiveContent) -> Any:
    with Server(create_app(seed)) as served:
        yield served


def test_last_modified_is_sent_and_if_modified_since_honoured(client: httpx.Client) -> None:
    first = client.get(f"/articles/{SLUG}")
    modified = first.headers["last-modified"]
    assert email.utils.parsedate_to_datetime(modified).tzname() == "UTC"
    held = client.get(f"/articles/{SLUG}", headers={"If-Modified-Since": modified})
    assert (held.status_code, held.content) == (304, b"")
    assert held.headers["etag"] == first.headers["etag"]
    older = email.utils.formatdate(
        email.utils.parsedate_to_datetime(modified).timestamp() - 60, usegmt=True
    )
    again = client.get(f"/articles/{SLUG}", headers={"If-Modified-Since": older})
    assert again.status_code == 200
    # If-None-Match decides alone when both are sent (RFC 9110, 13.1.3).
    both = {"If-Modified-Since": modified, "If-None-Match": '"other"'}
    assert client.get(f"/articles/{SLUG}", headers=both).status_code == 200
    # A date that is not one is ignored.
    bad = client.get(f"/articles/{SLUG}", headers={"If-Modified-Since": "yesterday"})
    assert bad.status_code == 200


def test_include_chooses_how_deep_references_are_inlined(client: httpx.Client) -> None:
    whole = client.get(f"/articles/{SLUG}").json()
    study = whole["research"]["citations"][1]["study"]
    assert study["id"] == "hohmann-2012"
    none = client.get(f"/articles/{SLUG}", params={"include": 0}).json()
    assert none["research"]["citations"][1]["study"] == {
        "sys": {"type": "Link", "link_type": "Study", "id": "hohmann-2012"}
    }
    assert none["title"] == whole["title"]
    assert none["sys"] == whole["sys"]
    one = client.get(f"/articles/{SLUG}", params={"include": 1}).json()
    assert one["research"]["citations"][1]["study"] == study
    too_deep = client.get(f"/articles/{SLUG}", params={"include": 11})
    assert too_deep.status_code == 400
    assert "more than the maximum, 10" in too_deep.json()["detail"]


def test_documents_are_compact_unless_pretty(client: httpx.Client) -> None:
    compact = client.get(f"/articles/{SLUG}")
    pretty = client.get(f"/articles/{SLUG}", params={"pretty": ""})
    assert compact.json() == pretty.json()
    assert compact.content.count(b"\n") == 1
    assert pretty.content.startswith(b'{\n  "sys": {\n')
    assert len(compact.content) < len(pretty.content)
    assert pretty.headers["etag"] != compact.headers["etag"]


def test_the_openapi_document_describes_the_new_parameters_and_fields(
    client: httpx.Client,
) -> None:
    document = client.get("/openapi.json").json()
    article = document["paths"]["/articles/{slug}"]["get"]
    include = next(p for p in article["parameters"] if p["name"] == "include")
    assert (include["schema"]["minimum"], include["schema"]["maximum"]) == (0, 10)
    assert {p["name"] for p in article["parameters"]} >= {"include", "pretty"}
    headers = article["responses"]["200"]["headers"]
    assert set(headers) == {"ETag", "Last-Modified", "X-Content-Version"}
    assert article["responses"]["304"]["description"] == "Not Modified"
    assert "headers" not in document["paths"]["/livez"]["get"]["responses"]["200"]
    sync = document["paths"]["/sync"]["get"]
    body = sync["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/SyncPage"}
    token = client.get("/sync").json()["next_sync_token"]
    assert token in sync["parameters"][0]["schema"]["enum"]
    parameters = {p["name"]: p["schema"] for p in sync["parameters"]}
    assert parameters["limit"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}
    assert parameters["page_token"] == {"type": "string", "pattern": "^[A-Za-z0-9_-]{36}$"}
    following = client.get("/sync", params={"limit": 1}).json()["next_page_token"]
    assert re.fullmatch(parameters["page_token"]["pattern"], following)
    answer = document["components"]["schemas"]["SyncPage"]
    assert set(answer["properties"]) == {
        "created",
        "updated",
        "deleted",
        "next_page_token",
        "next_sync_token",
    }
    assert answer["required"] == ["created", "updated", "deleted"]
    assert answer["properties"]["next_page_token"]["type"] == "string"
    schemas = document["components"]["schemas"]
    assert schemas["ArticleDocument"]["properties"]["sys"] == {"$ref": "#/components/schemas/Sys"}
    assert "sys" in schemas["ArticleDocument"]["required"]
    assert "sys" in schemas["Study"]["properties"]
    assert set(schemas["Sys"]["properties"]) == {
        "id",
        "type",
        "revision",
        "created",
        "updated",
        "content_version",
    }
    assert schemas["Link"]["required"] == ["sys"]
    study = schemas["Citation"]["properties"]["study"]
    assert study["anyOf"][1] == {"$ref": "#/components/schemas/Link"}


# Paging (Contentful's nextPageUrl / nextSyncUrl): a sync is one or more pages.


def apply(copy: Copy, body: Any) -> None:
    """A page's changes applied to ``copy``, as a client applies them."""
    for document in (*body["created"], *body["updated"]):
        copy[document["sys"]["type"], document["sys"]["id"]] = document
    for gone in body["deleted"]:
        copy.pop((gone["type"], gone["id"]), None)  # one it never had: nothing to do


def page(client: httpx.Client, copy: Copy, params: dict[str, Any]) -> Any:
    """One page of a sync, applied to ``copy``: at most ``limit`` entries, short only
    when it is the last, and exactly one of the two tokens."""
    answer = client.get("/sync", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    apply(copy, body)
    size = len(body["created"]) + len(body["updated"]) + len(body["deleted"])
    limit = int(params.get("limit", 100))
    assert ("next_page_token" in body) != ("next_sync_token" in body), sorted(body)
    if "next_page_token" in body:
        assert size == limit
        assert re.fullmatch(r"[A-Za-z0-9_-]{36}", body["next_page_token"])
    else:
        assert size <= limit
    return body


def follow(
    client: httpx.Client, copy: Copy, token: str | None, limit: int | None = None
) -> tuple[str, int]:
    """Apply every page of the sync since ``token`` to ``copy``, each at most ``limit``
    long; the next sync token and how many pages there were."""
    params: dict[str, Any] = {"sync_token": token} if token else {}
    sized = {"limit": limit} if limit else {}
    pages = 0
    while True:
        body = page(client, copy, {**params, **sized})
        pages += 1
        if "next_sync_token" in body:
            return body["next_sync_token"], pages
        params = {"page_token": body["next_page_token"]}


def test_a_page_size_of_one_walks_the_seed_entry_by_entry(client: httpx.Client) -> None:
    whole = client.get("/sync").json()
    assert "next_page_token" not in whole  # the seed fits one page of the default 100
    entries = len(whole["created"])
    one: Copy = {}
    token, pages = follow(client, one, None, 1)
    assert pages == entries > 5
    assert token == whole["next_sync_token"]
    assert one == dict(_full(client))
    served(client, one)
    # Each page is its own answer: an ETag, a 304 for it, the same bytes again.
    second = client.get("/sync", params={"limit": 1})
    following = {"page_token": second.json()["next_page_token"], "limit": 1}
    answer = client.get("/sync", params=following)
    assert client.get("/sync", params=following).content == answer.content
    held = client.get("/sync", params=following, headers={"If-None-Match": answer.headers["etag"]})
    assert (held.status_code, held.content) == (304, b"")
    # Pages in another size from the same token go on from the same position.
    rest = client.get("/sync", params={"page_token": following["page_token"]}).json()
    assert len(rest["created"]) == entries - 1
    assert rest["next_sync_token"] == token


def test_a_sync_whose_content_moves_between_two_pages_still_ends_equal(tmp_path: Path) -> None:
    project, out, live = exported(tmp_path)
    copy: Copy = {}
    with Server(create_app(live)) as client:
        token, _ = follow(client, copy, None)
        # Step 2: a new article (first of the walk) and an edited study.
        project.with_article("aaa-first", title="First of all")
        project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
        export(project, out)
        assert live.reload()
        first = page(client, copy, {"sync_token": token, "limit": 1})
        assert [d["sys"]["id"] for d in first["created"]] == ["aaa-first"]
        # Step 3, before the client asks for its second page: the new article is gone
        # again and the edit undone, so step 3 equals step 1 and the difference from the
        # client's starting step is nothing; the client holds both all the same.
        project.edit("articles/aaa-first.yaml", "status: published", "status: draft")
        project.edit("studies/hohmann-2012.yaml", "year: 2013", "year: 2012")
        project.edit(ARTICLE, FLAGSHIP_TITLE, "title: Moved on")
        export(project, out)
        assert live.reload()
        rest = page(client, copy, {"page_token": first["next_page_token"], "limit": 100})
        assert {"id": "aaa-first", "type": "Article"} in rest["deleted"]
        assert copy == dict(_full(client))
        served(client, copy)
        assert follow(client, copy, rest["next_sync_token"])[1] == 1
        assert copy == dict(_full(client))

        # Without a new export (serve --watch after an edit, and the server's own
        # reading of it): a walk a page at a time while the content moves under it.
        moving: Copy = {}
        body = page(client, moving, {"limit": 2})
        project.edit(ARTICLE, "title: Moved on", "title: Moved again")
        assert live.reload()
        while "next_page_token" in body:
            body = page(client, moving, {"page_token": body["next_page_token"], "limit": 2})
        assert moving == dict(_full(client))
        served(client, moving)


def test_the_in_memory_history_pages_across_reloads(tmp_path: Path) -> None:
    project = Project(tmp_path)
    live = LiveContent(project.content, project.exporters)
    copy: Copy = {}
    with Server(create_app(live)) as client:
        token, _ = follow(client, copy, None, 3)
        project.with_article("aaa-first", title="First of all")
        project.edit("studies/hohmann-2012.yaml", "year: 2012", "year: 2013")
        assert live.reload()
        first = page(client, copy, {"sync_token": token, "limit": 1})
        assert [d["sys"]["id"] for d in first["created"]] == ["aaa-first"]
        project.edit("articles/aaa-first.yaml", "status: published", "status: draft")
        assert live.reload()
        rest = page(client, copy, {"page_token": first["next_page_token"]})
        assert rest["deleted"] == [{"id": "aaa-first", "type": "Article"}]
        assert copy == dict(_full(client))
        served(client, copy)


def test_bad_page_tokens_are_a_400_that_says_to_start_again(
    client: httpx.Client, seed: LiveContent
) -> None:
    good = client.get("/sync", params={"limit": 1}).json()["next_page_token"]
    flipped = ("B" if good[0] == "A" else "A") + good[1:]  # another lineage
    foreign = PageToken(lineage="0123456789ab", start=0, view_step=1, view="0" * 12, position=1)
    assert seed.current is not None
    ahead = PageToken.decode(good, seed.current.history)
    for bad in (
        "nonsense",
        good[:-1],
        good + "A",
        good[:-2] + "==",
        flipped,
        foreign.encode(),
        attrs.evolve(ahead, view_step=ahead.view_step + 1).encode(),
        attrs.evolve(ahead, position=10_000).encode(),
        "\u00e9" * 36,
    ):
        answer = client.get("/sync", params={"page_token": bad})
        assert answer.status_code == 400, bad
        assert answer.headers["content-type"].startswith("application/json")
        detail = answer.json()["detail"]
        assert detail.startswith("page_token: "), detail
        assert "start again" in detail, detail
    token = client.get("/sync").json()["next_sync_token"]
    both = client.get("/sync", params={"page_token": good, "sync_token": token})
    assert both.status_code == 400
    assert "without sync_token" in both.json()["detail"]


@pytest.mark.parametrize(
    ("limit", "detail"),
    [
        ("0", "limit: '0' is less than the minimum, 1: send limit=1 or more"),
        (
            "101",
            "limit: '101' is more than the maximum, 100: send limit=100 and follow each"
            " page's next_page_token",
        ),
        ("01", "limit: '01' is not an integer"),
        ("x", "limit: 'x' is not an integer"),
    ],
)
def test_the_page_size_is_bounded(client: httpx.Client, limit: str, detail: str) -> None:
    answer = client.get("/sync", params={"limit": limit})
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(detail)
    assert client.get("/sync", params={"limit": "100"}).status_code == 200
