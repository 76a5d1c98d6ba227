"""The API's replay of public answers: what it keeps, what it never keeps, and that a
replayed answer is the answer the app gave."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator

import httpx
import pytest

from spikecontent.api import create_api
from spikecontent.api.http import REPLAY_ENTRIES, Replay, Reply, Request
from tests.conftest import CONTENT, REPO, SLUG
from tests.servers import Server


class Origin:
    """Stands in for the app: counts what reaches it and answers with an ETag of the
    current version, honouring If-None-Match."""

    def __init__(self, cache_control: str = "public, max-age=300", status: int = 200) -> None:
        self.version = "v1"
        self.asked: list[str] = []
        self.cache_control = cache_control
        self.status = status

    async def answer(self, request: Request) -> Reply:
        query = request.query_string.decode()
        self.asked.append(request.path + "?" + query)
        etag = f'"{self.version}-{request.path}-{query}"'
        status = 304 if request.if_none_match == etag else self.status
        body = b"" if status == 304 else f"{self.version} {request.path}".encode()
        headers = [(b"etag", etag.encode()), (b"cache-control", self.cache_control.encode())]
        return status, headers, body


def ask(replay: Replay, origin: Origin, *requests: tuple[str, dict[str, str]]) -> list[Reply]:
    """Each request answered by ``replay``, ``origin`` making what it does not keep."""

    async def run() -> list[Reply]:
        answers = []
        for url, headers in requests:
            path, _, query = url.partition("?")
            scope = {
                "method": "GET",
                "path": path,
                "query_string": query.encode(),
                "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            }
            request = Request.of(scope)
            make = functools.partial(origin.answer, request)
            answers.append(await replay.answer(request, make))
        return answers

    return asyncio.run(run())


def etag(reply: Reply) -> str:
    return dict(reply[1])[b"etag"].decode()


def test_a_repeated_request_is_answered_from_memory_with_the_same_bytes() -> None:
    origin = Origin()
    replay = Replay(lambda: origin.version)
    first, second, other_query, other_encoding = ask(
        replay,
        origin,
        ("/a", {}),
        ("/a", {}),
        ("/a?x=1", {}),
        ("/a", {"Accept-Encoding": "br"}),
    )
    assert origin.asked == ["/a?", "/a?x=1", "/a?"]
    assert second == first  # status, headers and body
    assert other_query[0] == other_encoding[0] == 200


def test_a_304_is_replayed_only_for_the_etag_it_names() -> None:
    origin = Origin()
    replay = Replay(lambda: origin.version)
    (first,) = ask(replay, origin, ("/a", {}))
    held = {"If-None-Match": etag(first)}
    answers = ask(replay, origin, ("/a", held), ("/a", held), ("/a", {"If-None-Match": '"other"'}))
    assert [a[0] for a in answers] == [304, 304, 200]
    assert answers[1][2] == b""
    assert origin.asked == ["/a?", "/a?"]  # the first 304 came from the app, then kept


def test_a_new_snapshot_is_never_answered_from_the_old_one() -> None:
    origin = Origin()
    replay = Replay(lambda: origin.version)
    (before,) = ask(replay, origin, ("/a", {}))
    origin.version = "v2"
    after, again = ask(replay, origin, ("/a", {}), ("/a", {"If-None-Match": etag(before)}))
    assert (before[2], after[2]) == (b"v1 /a", b"v2 /a")
    assert (again[0], again[2]) == (200, b"v2 /a")  # the old ETag is stale
    assert len(origin.asked) == 2
    assert len(replay.kept) == 1  # the old snapshot's answer was let go


def test_an_answer_made_while_the_snapshot_changed_is_not_kept() -> None:
    origin = Origin()

    class Reloading(Origin):
        async def answer(self, request: Request) -> Reply:
            answered = await origin.answer(request)
            origin.version = "v2"  # a reload lands while this answer is on its way
            return answered

    replay = Replay(lambda: origin.version)
    ask(replay, Reloading(), ("/a", {}))
    assert not replay.kept


@pytest.mark.parametrize(
    ("origin", "headers"),
    [
        (Origin(), {"Authorization": "Bearer token"}),
        (Origin(cache_control="private, no-store"), {}),
        (Origin(status=404), {}),
    ],
    ids=["preview request", "private answer", "error"],
)
def test_private_requests_private_answers_and_errors_always_reach_the_app(
    origin: Origin, headers: dict[str, str]
) -> None:
    replay = Replay(lambda: origin.version)
    ask(replay, origin, ("/a", headers), ("/a", headers))
    assert len(origin.asked) == 2
    assert not replay.kept


def test_the_memory_is_bounded_least_recently_used_first() -> None:
    origin = Origin()
    replay = Replay(lambda: origin.version)
    ask(replay, origin, *((f"/a?n={n}", {}) for n in range(REPLAY_ENTRIES + 1)))
    assert len(replay.kept) == REPLAY_ENTRIES
    asked = len(origin.asked)
    ask(replay, origin, ("/a?n=0", {}), (f"/a?n={REPLAY_ENTRIES}", {}))
    assert len(origin.asked) == asked + 1  # the oldest was dropped, the newest kept


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with Server(create_api(CONTENT, REPO / "exporters")) as client:
        yield client


@pytest.mark.parametrize(
    "url",
    [f"/articles/{SLUG}", f"/articles/{SLUG}?fields=title,description", "/search?q=sleep"],
)
def test_the_api_replays_what_it_answered(client: httpx.Client, url: str) -> None:
    first, second = (client.get(url, headers={"Origin": "https://shop.example"}) for _ in "12")
    assert second.content == first.content
    for header in ("etag", "content-type", "content-length", "access-control-allow-origin"):
        assert second.headers[header] == first.headers[header]
    held = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert (held.status_code, held.content) == (304, b"")
    head = client.head(url)
    assert head.content == b""
    assert head.headers["etag"] == first.headers["etag"]


def test_a_replayed_answer_carries_the_cors_headers_of_its_own_request() -> None:
    """The replay is keyed without Origin: the CORS headers are added around it, per
    request. With ``*`` every answer allows every origin, Origin sent or not; with named
    origins each answer says Vary: Origin and allows only the origin that asked."""
    url = f"/articles/{SLUG}"
    with Server(create_api(CONTENT, REPO / "exporters")) as client:
        first = client.get(url)  # no Origin: kept
        replayed = client.get(url, headers={"Origin": "https://shop.example"})
        for answer in (first, replayed):
            assert answer.headers["access-control-allow-origin"] == "*"
            assert "etag" in answer.headers["access-control-expose-headers"]
            assert "Origin" not in answer.headers.get("vary", "")
        assert replayed.headers["etag"] == first.headers["etag"]
    named = create_api(CONTENT, REPO / "exporters", cors_origins=["https://shop.example"])
    with Server(named) as client:
        allowed = client.get(url, headers={"Origin": "https://shop.example"})  # kept
        other = client.get(url, headers={"Origin": "https://evil.example"})
        none = client.get(url)
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
        assert "access-control-allow-origin" not in other.headers
        assert "access-control-allow-origin" not in none.headers
        for answer in (allowed, other, none):
            assert "Origin" in answer.headers["vary"]
            assert answer.headers["etag"] == allowed.headers["etag"]
