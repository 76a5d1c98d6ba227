"""Queries on the delivery API, against uvicorn on a real port: projections, filters,
orders and search, each answer checked, and every unknown name a 400 that names it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from spikecontent.api import create_api
from tests.conftest import SLUG, Project
from tests.servers import Server

SECOND = "mats-and-sleep"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    project = Project(tmp_path_factory.mktemp("queries"))
    project.with_article(
        SECOND,
        title="Acupressure mats and sleep: what is known",
        extra="\ncategories: [sleep]",
    )
    second = f"articles/{SECOND}.yaml"
    project.edit(second, "modified: 2026-07-04", "modified: 2026-09-01")
    # The second article cites all but the 2011 study; the flagship cites all four.
    text = (project.content / second).read_text(encoding="utf-8")
    start = text.index("    - study: bed-of-nails-2011")
    end = text.index("    - study: hohmann-2012")
    (project.content / second).write_text(text[:start] + text[end:], encoding="utf-8")
    with Server(create_api(project.content, project.exporters)) as served:
        yield served


def slugs(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


def test_fields_choose_what_the_list_and_the_document_return(client: httpx.Client) -> None:
    listed = client.get("/articles", params={"fields": "slug,api"}).json()["items"]
    assert listed == [
        {"slug": SLUG, "api": f"/articles/{SLUG}"},
        {"slug": SECOND, "api": f"/articles/{SECOND}"},
    ]
    document = client.get(f"/articles/{SLUG}", params={"fields": "title,url"})
    url = client.get("/articles", params={"fields": "url"}).json()["items"][0]["url"]
    assert document.json() == {
        "title": "Acupressure Mat Benefits: What the Research Really Says",
        "url": url,
    }
    assert document.headers["etag"]
    again = client.get(
        f"/articles/{SLUG}",
        params={"fields": "title,url"},
        headers={"If-None-Match": document.headers["etag"]},
    )
    assert again.status_code == 304


def test_filters_answer_exactly(client: httpx.Client) -> None:
    assert slugs(client.get("/articles", params={"category": "sleep"})) == [SECOND]
    assert slugs(client.get("/articles", params={"cites": "bed-of-nails-2011"})) == [SLUG]
    assert slugs(client.get("/articles", params={"cites": "hohmann-2012"})) == [SLUG, SECOND]
    assert slugs(client.get("/articles", params={"updated_since": "2026-08-01"})) == [SECOND]
    assert slugs(client.get("/articles", params={"updated_since": "2026-07-04"})) == [SLUG, SECOND]
    both = client.get("/articles", params={"category": "sleep", "cites": "bed-of-nails-2011"})
    assert slugs(both) == []
    assert both.json()["total"] == 0


def test_sort_orders_and_its_reverse(client: httpx.Client) -> None:
    assert slugs(client.get("/articles", params={"sort": "-modified"})) == [SECOND, SLUG]
    assert slugs(client.get("/articles", params={"sort": "modified"})) == [SLUG, SECOND]
    assert slugs(client.get("/articles", params={"sort": "title"})) == [SLUG, SECOND]
    assert slugs(client.get("/articles", params={"sort": "-title"})) == [SECOND, SLUG]


def test_search_ranks_titles_first_and_says_what_matched(client: httpx.Client) -> None:
    found = client.get("/search", params={"q": "sleep"}).json()
    assert [hit["slug"] for hit in found["items"]] == [SECOND, SLUG]
    assert found["items"][0]["matched"]["field"] == "title"
    assert found["items"][1]["matched"]["field"] in (
        "sleep.heading",
        "faq.items[2].question",
    )
    assert found["items"][0]["score"] > found["items"][1]["score"]
    # Every word must appear (in one passage); a word matches by its stem.
    assert client.get("/search", params={"q": "sleep quasar"}).json()["items"] == []
    assert client.get("/search", params={"q": "studies"}).json()["total"] >= 1


def passages(client: httpx.Client, q: str, **params: str) -> dict[str, str]:
    """The flagship's matching passages for ``q``: field to snippet."""
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    hits = {hit["slug"]: hit for hit in response.json()["items"]}
    return {p["field"]: p["snippet"] for p in hits[SLUG]["passages"]}


def test_full_text_search_finds_the_right_sections(client: httpx.Client) -> None:
    """Every published text is searched (bodies, answers, study records, cautions), by
    English stem, with the words found marked in a snippet."""
    cortisol = passages(client, "cortisol")
    # The 2011 study's record (its outcomes), and the evidence table's line.
    assert any(f.startswith("research.citations[0]") for f in cortisol), cortisol
    assert any("<mark>cortisol</mark>" in snippet for snippet in cortisol.values())
    sleeping = passages(client, "sleeping")  # stemmed: sleeping finds sleep
    assert {"faq.items[2].question", "sleep.heading"} & set(sleeping), sleeping
    assert any("<mark>sleep</mark>" in s.casefold() for s in sleeping.values())
    pregnant = passages(client, "pregnant")  # the FAQ answer on who should not use a mat
    answer = next(f for f in pregnant if f.startswith("faq.items"))
    document = client.get(f"/articles/{SLUG}").json()
    index = int(answer.split("[")[1].split("]")[0])
    assert document["faq"]["items"][index]["id"] == "who-should-not-use"
    assert "<mark>pregnant</mark>" in pregnant[answer]
    thinners = passages(client, "blood thinners")
    caution = next(f for f in thinners if f.startswith("cautions.items"))
    assert thinners[caution] == "<mark>Blood</mark> <mark>thinners</mark> or bleeding disorders"


def test_phrases_prefixes_and_filters(client: httpx.Client) -> None:
    assert "cautions.items[1].applies_to" in str(passages(client, '"blood thinners"'))
    # A phrase must appear in that order; the same words apart do not match it.
    assert client.get("/search", params={"q": '"thinners blood"'}).json()["total"] == 0
    assert any("<mark>cortisol</mark>" in s for s in passages(client, "cortis*").values())
    # With q, category and cites filter the articles found, as on /articles.
    assert slugs(client.get("/search", params={"q": "sleep", "category": "sleep"})) == [SECOND]
    cited = client.get("/search", params={"q": "sleep", "cites": "bed-of-nails-2011"})
    assert slugs(cited) == [SLUG]
    assert client.get("/search", params={"q": " * "}).json() == {
        "query": " * ",
        "total": 0,
        "items": [],
    }


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/articles", {"fields": "titel"}, "no field 'titel'; did you mean 'title'?"),
        ("/articles", {"fields": "titel", "skip": "1000"}, "no field 'titel'"),
        (f"/articles/{SLUG}", {"fields": "intro,nope"}, "no field 'nope'"),
        (
            "/articles",
            {"sort": "size"},
            "sort: 'size' is not an order; send one of title, -title, modified, -modified,"
            " published, -published",
        ),
        ("/articles", {"updated_since": "yesterday"}, "YYYY-MM-DD"),
        ("/articles", {"updated_since": "yesterday"}, "e.g. updated_since=2026-08-01"),
        ("/articles", {"limit": "1000"}, "limit: '1000' is more than the maximum, 100"),
        ("/articles", {"limit": "0"}, "less than the minimum, 1: send limit=1 or more"),
        ("/search", {"q": "sleep", "limit": "101"}, "more than the maximum, 100"),
        (
            "/articles",
            {"cites": "hohman-2012"},
            "cites: no study 'hohman-2012'; did you mean 'hohmann-2012'?",
        ),
        ("/search", {"q": "sleep", "cites": "nobody"}, "cites: no study 'nobody'"),
        (
            f"/articles/{SLUG}",
            {"fields": "research.citations.study.desing"},
            "no field 'research.citations.study.desing'; did you mean 'design'?",
        ),
        (f"/articles/{SLUG}", {"fields": "title.x"}, "'title' is a value, not an object"),
        ("/labels", {"x": "1"}, "unknown query parameter 'x'"),
        ("/articles", {"frobnicate": "1"}, "unknown query parameter 'frobnicate'"),
        (f"/articles/{SLUG}", {"q": "x"}, "unknown query parameter 'q'"),
        (f"/articles/{SLUG}/jsonld", {"fields": "x"}, "unknown query parameter 'fields'"),
        ("/studies", {"limit": "1"}, "unknown query parameter 'limit'"),
        ("/healthz", {"verbose": "1"}, "unknown query parameter 'verbose'"),
        ("/search", {}, "'q'"),
    ],
)
def test_every_unknown_name_is_a_400_that_names_it(
    client: httpx.Client, path: str, params: dict[str, str], words: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "bad request"
    assert words in body["detail"]


@pytest.mark.parametrize(
    "query", ["fields=slug&fields=title", "limit=1&limit=2", "q=mat&q=sleep", "limit=1&limit=1"]
)
def test_a_parameter_given_twice_is_a_400_not_a_guess(client: httpx.Client, query: str) -> None:
    """One spelling keeps one URL per answer: which of two values counts is not guessed."""
    path = "/search" if query.startswith("q=") else "/articles"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400, response.text
    name = query.split("=")[0]
    assert f"query parameter {name!r} is given more than once" in response.json()["detail"]


def test_dotted_fields_choose_inside_objects_and_lists(client: httpx.Client) -> None:
    chosen = client.get(
        f"/articles/{SLUG}",
        params={"fields": "title,research.citations.study.design,cautions.items.id"},
    )
    assert chosen.status_code == 200, chosen.text
    body = chosen.json()
    assert set(body) == {"title", "research", "cautions"}
    designs = [c["study"] for c in body["research"]["citations"]]
    assert designs[1] == {"design": "pilot-randomized-trial"}
    assert all(set(item) == {"id"} for item in body["cautions"]["items"])
    # A field chosen whole and inside at once is whole.
    both = client.get(f"/articles/{SLUG}", params={"fields": "faq.heading,faq"}).json()
    assert both["faq"] == client.get(f"/articles/{SLUG}").json()["faq"]


def test_labels_give_the_words_the_pages_use(client: httpx.Client) -> None:
    """Every design key the documents carry has the label the pages and leaflets print."""
    labels = client.get("/labels")
    assert labels.status_code == 200
    assert labels.headers["etag"]
    table = labels.json()
    assert table["design"]["pilot-randomized-trial"] == "randomized pilot study"
    document = client.get(f"/articles/{SLUG}").json()
    for citation in document["research"]["citations"]:
        study = citation["study"]
        assert study["design"] in table["design"]
        assert all(outcome["kind"] in table["outcome_kind"] for outcome in study["outcomes"])
    assert all(credit["role"] in table["role"] for credit in document["credits"])
    assert document["status"] in table["status"]
    # The same words as the leaflets and pages (the model's one table).
    from spikecontent.model import StudyDesign

    assert table["design"] == {design.value: design.label for design in StudyDesign}


def test_the_openapi_document_declares_the_queries(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/labels" in paths
    limits = [p for p in paths["/articles"]["get"]["parameters"] if p["name"] == "limit"]
    assert limits[0]["schema"]["maximum"] == 100
    listed = {p["name"] for p in paths["/articles"]["get"]["parameters"]}
    assert listed == {"skip", "limit", "fields", "category", "cites", "updated_since", "sort"}
    document = {p["name"] for p in paths["/articles/{slug}"]["get"]["parameters"]}
    assert document == {"slug", "fields", "include", "pretty"}
    synced = {p["name"] for p in paths["/sync"]["get"]["parameters"]}
    assert synced == {"sync_token", "page_token", "limit"}
    searched = {p["name"] for p in paths["/search"]["get"]["parameters"]}
    assert searched == {"q", "limit", "category", "cites"}


@pytest.mark.parametrize(
    ("path", "name", "text", "canonical"),
    [
        ("/articles", "limit", "01", "limit=1"),
        ("/articles", "skip", "00", "skip=0"),
        ("/search", "limit", "007", "limit=7"),
        ("/articles", "limit", "+5", "limit=5"),
        ("/articles", "limit", "0x10", None),
    ],
)
def test_an_integer_spelt_otherwise_than_json_says_why_and_what_to_send(
    client: httpx.Client, path: str, name: str, text: str, canonical: str | None
) -> None:
    """The OpenAPI document's integers are JSON Schema's, read as JSON numbers: 01 is
    refused (one URL per answer), and the message says why and what to send instead."""
    other = {"q": "sleep"} if path == "/search" else {}
    response = client.get(path, params={**other, name: text})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert detail.startswith(f"{name}: {text!r} is not an integer as JSON writes one")
    assert "no leading zero, sign or space" in detail
    if canonical is not None:
        assert detail.endswith(f"send {canonical}")
    # What JSON Schema counts as an integer is accepted, as the document declares it.
    assert client.get(path, params={**other, name: "1.0"}).status_code == 200
    parameters = client.get("/openapi.json").json()["paths"][path]["get"]
    declared = {p["name"]: p["schema"] for p in parameters["parameters"]}
    assert declared[name]["type"] == "integer"


def test_each_list_item_and_hit_carries_its_entry_metadata(client: httpx.Client) -> None:
    """sys: id, type, the content version (in lists), the entry's revision, and its
    publication and modification dates; the document carries the same sys."""
    listed = client.get("/articles")
    version = listed.headers["x-content-version"]
    for item in listed.json()["items"]:
        document = client.get(item["api"], headers={"Accept-Encoding": "identity"}).json()
        assert item["sys"] == {
            "id": item["slug"],
            "type": "Article",
            "content_version": version,
            "revision": document["sys"]["revision"],
            "created": item["published"],
            "updated": item["modified"],
        }
        assert document["sys"] == {k: v for k, v in item["sys"].items() if k != "content_version"}
        assert re.fullmatch(r"[0-9a-f]{32}", item["sys"]["revision"])
    hit = client.get("/search", params={"q": "cortisol"}).json()["items"][0]
    assert hit["sys"]["id"] == hit["slug"]
    assert client.get("/articles", params={"fields": "sys"}).json()["items"][0].keys() == {"sys"}
