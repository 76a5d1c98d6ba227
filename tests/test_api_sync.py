"""The sync feed (issue 41, item 2), against uvicorn on a real port: a client that keeps
a copy of the content by replaying ``/sync`` ends equal to a fresh full sync and to the
documents the API serves, across edits, a deletion and a restart of the server; and
``Last-Modified`` / ``If-Modified-Since``, ``include`` and ``?pretty`` on the documents."""

from __future__ import annotations

import email.utils
from pathlib import Path
from typing import Any

import httpx
import pytest

import spikecontent
from spikecontent.api import LiveContent, create_app
from spikecontent.pipeline import private_folder
from spikecontent.pipeline.history import record_history
from tests.conftest import SLUG, Project
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


def test_a_sync_client_keeps_an_equal_copy_across_edits_and_restarts(tmp_path: Path) -> None:
    project = Project(tmp_path)
    out = tmp_path / "dist"
    export(project, out)
    live = LiveContent(project.content, project.exporters, history=out)
    copy: Copy = {}
    with Server(create_app(live)) as client:
        token = replay(client, copy, None)
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
        token = replay(client, copy, token)
        assert copy == dict(_full(client))
        served(client, copy)

    # A restart: the token comes from the export's history, so it still holds.
    project.edit("articles/mats-and-sleep.yaml", "status: published", "status: draft")
    export(project, out)
    live = LiveContent(project.content, project.exporters, history=out)
    with Server(create_app(live)) as client:
        changes = client.get("/sync", params={"sync_token": token}).json()
        assert changes["deleted"] == [{"id": "mats-and-sleep", "type": "Article"}]
        replay(client, copy, token)
        assert copy == dict(_full(client))
        served(client, copy)
        wrong = client.get("/sync", params={"sync_token": "0123456789ab.1"})
        assert wrong.status_code == 400
        assert "start again without one" in wrong.json()["detail"]


def _full(client: httpx.Client) -> Copy:
    fresh: Copy = {}
    replay(client, fresh, None)
    return fresh


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    project = Project(tmp_path_factory.mktemp("sync"))
    with Server(create_app(LiveContent(project.content, project.exporters))) as served:
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
