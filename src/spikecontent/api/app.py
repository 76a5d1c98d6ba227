"""The read-only HTTP API: a plain ASGI app over the route table (:mod:`.routes`).

Every body is final bytes made once per snapshot (:mod:`.resources`), so the app does
what a framework would do per request only where it matters here: it finds the route,
reads the declared parameters (:mod:`.parameters`), chooses the snapshot (public, or
preview for the token's holder) and hands the resource to :func:`respond`, the one place
that chooses the encoding, sets the ETag, ``Last-Modified`` and caching headers, and
answers ``304`` for ``If-None-Match`` (or, without it, ``If-Modified-Since``). HEAD is
GET without the body. Every error is JSON ``{"error", "detail"}``. Around it, in order:
request ids, logs and metrics (:mod:`.observe`), CORS (:mod:`.cors`) and the replay of
public answers (:mod:`.replay`).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import time
import urllib.parse
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from spikecontent._version import __version__
from spikecontent.api import metrics
from spikecontent.api.asgi import ASGIApp
from spikecontent.api.cors import Cors
from spikecontent.api.encoding import Resource, etag_matches
from spikecontent.api.live import LiveContent, NotLoaded
from spikecontent.api.observe import Observed
from spikecontent.api.parameters import read_parameters
from spikecontent.api.replay import Replay
from spikecontent.api.resources import ListQuery, SearchQuery, Snapshot, dumps, error_body
from spikecontent.api.routes import OPENAPI_PATH, ROUTES, Route, match
from spikecontent.delivery import TokenError
from spikecontent.delivery.queries import QueryError, check_parameters, check_study, split_fields
from spikecontent.schemas.openapi import Operation, openapi_document

__all__ = ["Api", "create_app", "respond"]

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
"""Status, headers, body (the whole body: HEAD sends none, with its length)."""

_JSON: Final = b"application/json"
_NO_STORE: Final = (b"cache-control", b"no-store")
_SEEN_MOST: Final = 100_000
log = logging.getLogger("spikecontent.serve")


@attrs.frozen(kw_only=True)
class Request:
    """What the API reads of a request, from one pass over its headers."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None = None
    accept_encoding: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None

    @classmethod
    def of(cls, scope: dict[str, Any]) -> Request:
        """The request in an ASGI ``http`` scope."""
        found: dict[str, str] = {}
        for key, value in scope["headers"]:
            name = _READ.get(bytes(key))
            if name is not None:
                found[name] = bytes(value).decode("latin-1")
        text = bytes(scope.get("query_string", b"")).decode("latin-1")
        query = dict(urllib.parse.parse_qsl(text, keep_blank_values=True))
        return cls(method=scope["method"], path=scope["path"], query=query, **found)


_READ: Final = {
    b"authorization": "authorization",
    b"accept-encoding": "accept_encoding",
    b"if-none-match": "if_none_match",
    b"if-modified-since": "if_modified_since",
}


class HttpError(Exception):
    """An answer other than the resource: its status, detail and extra headers."""

    def __init__(self, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, list(headers)

    def reply(self) -> Reply:
        """The JSON error answer."""
        return _json(self.status, error_body(self.status, self.detail), self.headers)


def _json(status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]] = ()) -> Reply:
    return status, [(b"content-type", _JSON), *headers], body


@functools.lru_cache(maxsize=1024)
def _http_date(seconds: int) -> bytes:
    return email.utils.formatdate(seconds, usegmt=True).encode()


@functools.lru_cache(maxsize=256)
def _seconds(http_date: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(http_date).timestamp()
    except (TypeError, ValueError):
        return None  # an invalid date is ignored (RFC 9110, 13.1.3)


def respond(
    request: Request,
    resource: Resource | None,
    *,
    cache_control: bytes,
    version: str,
    modified: int,
    vary_authorization: bool = False,
) -> Reply:
    """The answer with ``resource`` in the encoding the request prefers, or ``304`` when
    the client holds it; a 404 for None."""
    if resource is None:
        raise HttpError(404, f"nothing at {request.path}")
    chosen = resource.for_encodings(request.accept_encoding)
    headers = [
        (b"etag", chosen.etag.encode()),
        (b"cache-control", cache_control),
        (b"x-content-version", version.encode()),
        (b"last-modified", _http_date(modified)),
    ]
    vary = [b"Accept-Encoding"] if resource.negotiated else []
    if vary_authorization:  # the same URL answers otherwise with a token
        vary.append(b"Authorization")
    if vary:
        headers.append((b"vary", b", ".join(vary)))
    if chosen.encoding != "identity":
        headers.append((b"content-encoding", chosen.encoding.encode()))
    if request.if_none_match is not None:  # it decides alone when sent (RFC 9110, 13.2.2)
        fresh = etag_matches(request.if_none_match, chosen.etag)
    else:
        since = _seconds(request.if_modified_since) if request.if_modified_since else None
        fresh = since is not None and modified <= since
    if fresh:
        return 304, headers, b""
    return 200, [(b"content-type", resource.media_type.encode()), *headers], chosen.body


class Api:
    """The app: dispatch on the route table, one answer per route kind."""

    def __init__(self, live: LiveContent, *, max_age: int = 300) -> None:
        self.live = live
        self.public_cache = f"public, max-age={max_age}".encode()
        self.seen: dict[str, int] = {}
        """When each body (by identity ETag) was first served: its ``Last-Modified``."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        request = Request.of(scope)
        try:
            found = match(request.path)
            if request.method not in ("GET", "HEAD"):
                raise HttpError(405, "read-only: GET and HEAD", [(b"allow", b"GET, HEAD")])
            if found is None and request.path == OPENAPI_PATH:
                check_parameters(request.query, ())
                reply = self.openapi(request)
            elif found is None:
                raise HttpError(404, "no such path")
            elif self._slow(found[0]):
                reply = await asyncio.to_thread(self.answer, request, *found)
            else:
                reply = self.answer(request, *found)
        except HttpError as error:
            reply = error.reply()
        except (QueryError, TokenError) as error:
            reply = HttpError(400, str(error)).reply()
        except NotLoaded as error:
            detail = f"{error}; retry in a few seconds (/readyz says when it is ready)"
            reply = _json(503, error_body(503, detail), [(b"retry-after", b"5"), _NO_STORE])
        except Exception as error:
            log.exception("internal error answering %s", request.path)
            reply = HttpError(500, type(error).__name__).reply()
        await _send(send, reply, head=request.method == "HEAD")

    def _slow(self, route: Route) -> bool:
        # A writer rendered on demand (leaflets) runs in a thread: it takes a second.
        served = self.live.current
        return route.answer == "artifact" and (
            served is not None and served.public.renders_on_demand(route.writer)
        )

    def answer(self, request: Request, route: Route, value: str | None) -> Reply:
        """The answer to ``request`` on ``route`` (``value``: the URL parameter)."""
        params = read_parameters(route.params, request.query)
        return _ANSWERS[route.answer](self, request, route, value, params)

    def snapshot(self, request: Request) -> Snapshot:
        """The public snapshot, or the preview one for the preview token's holder."""
        served = self.live.served  # one read: the whole request sees one snapshot
        if request.authorization is None:
            return served.public
        scheme, _, token = request.authorization.partition(" ")
        if scheme.lower() != "bearer" or served.preview is None:
            raise _unauthorized()
        if not self.live.token_matches(token):
            raise _unauthorized()
        return served.preview

    def respond(
        self, request: Request, current: Snapshot, resource: Resource | None, store: bool = True
    ) -> Reply:
        """:func:`respond` with this snapshot's caching headers."""
        private = current.preview or not store
        modified = 0
        if resource is not None:
            modified = self.seen.get(resource.etag, 0)
            if not modified:
                if len(self.seen) > _SEEN_MOST:
                    self.seen.clear()  # the dates start again: never a wrong 304
                modified = self.seen[resource.etag] = int(time.time())
        return respond(
            request,
            resource,
            cache_control=b"private, no-store" if private else self.public_cache,
            version=current.version,
            modified=modified,
            vary_authorization=self.live.previewable,
        )

    def openapi(self, request: Request) -> Reply:
        """The OpenAPI document, with the content's study ids as ``cites``'s values."""
        current = self.snapshot(request)
        history = self.live.served.history
        tokens = tuple(history.token(step) for step in range(history.head + 1))
        return self.respond(request, current, _openapi(tuple(current.catalog.studies), tokens))


def _unauthorized() -> HttpError:
    detail = "the preview token is wrong or not configured"
    return HttpError(401, detail, [(b"www-authenticate", b'Bearer realm="preview"')])


Params = dict[str, Any]


def _articles(api: Api, request: Request, route: Route, _: str | None, p: Params) -> Reply:
    current = api.snapshot(request)
    check_study(p["cites"], current.catalog.studies)
    query = ListQuery(
        skip=p["skip"],
        limit=p["limit"],
        fields=split_fields(p["fields"]),
        category=p["category"],
        cites=p["cites"],
        updated_since=p["updated_since"],
        sort=p["sort"],
    )
    if query == ListQuery(skip=query.skip, limit=query.limit):
        return api.respond(request, current, current.page(query.skip, query.limit))
    return api.respond(request, current, current.listing(query))


def _search(api: Api, request: Request, route: Route, _: str | None, p: Params) -> Reply:
    current = api.snapshot(request)
    check_study(p["cites"], current.catalog.studies)
    query = SearchQuery(q=p["q"], limit=p["limit"], category=p["category"], cites=p["cites"])
    return api.respond(request, current, current.found(query))


def _sync(api: Api, request: Request, route: Route, _: str | None, p: Params) -> Reply:
    served = api.live.served
    current = api.snapshot(request)
    token = p["sync_token"]
    step = served.history.step_of(token) if token is not None else None
    return api.respond(request, current, current.sync(served.history, step))


def _document(api: Api, request: Request, route: Route, value: str | None, p: Params) -> Reply:
    current = api.snapshot(request)
    entry = ("Article" if route.name == "article" else "Study", value or "")
    found = current.document(entry, split_fields(p["fields"]), p["include"], p["pretty"])
    return api.respond(request, current, found)


def _entity_list(api: Api, request: Request, route: Route, _: str | None, p: Params) -> Reply:
    current = api.snapshot(request)
    return api.respond(request, current, current.entity_list(route.name, p["pretty"]))


def _artifact(api: Api, request: Request, route: Route, value: str | None, _: Params) -> Reply:
    current = api.snapshot(request)
    path = route.artifact_for(value)
    return api.respond(request, current, current.get(route.writer, path) if path else None)


def _labels(api: Api, request: Request, route: Route, _: str | None, __: Params) -> Reply:
    current = api.snapshot(request)
    return api.respond(request, current, current.labels)


def _healthz(api: Api, request: Request, route: Route, _: str | None, __: Params) -> Reply:
    served = api.live.served
    current = api.snapshot(request)
    health: dict[str, object] = {
        "status": "degraded" if served.errors else "ok",
        "version": current.version,
        "articles": len(current.summaries),
        "problems": len(served.errors),
    }
    if current.preview:
        # The diagnostics quote the files, drafts and embargoed articles included: only a
        # request with the preview token sees them (the server log has them too).
        health["errors"] = [str(d) for d in served.errors]
    return api.respond(request, current, current.resource(dumps(health)), store=False)


def _livez(api: Api, request: Request, route: Route, _: str | None, __: Params) -> Reply:
    return _json(200, dumps({"status": "alive"}), [_NO_STORE])


def _readyz(api: Api, request: Request, route: Route, _: str | None, __: Params) -> Reply:
    served = api.live.current
    if served is None:
        body = {"status": "loading", "version": None, "problems": 0}
        return _json(503, dumps(body), [_NO_STORE])
    status = "degraded" if served.errors else "ok"
    body = {"status": status, "version": served.public.version, "problems": len(served.errors)}
    return _json(200, dumps(body), [_NO_STORE])


def _metrics(api: Api, request: Request, route: Route, _: str | None, __: Params) -> Reply:
    headers = [(b"content-type", metrics.CONTENT_TYPE.encode()), _NO_STORE]
    return 200, headers, metrics.exposition()


_UNCACHED: Final = ("livez", "readyz", "metrics")
"""Answers with no ETag: never stored, never a 304."""
_ANSWERS: Final[dict[str, Callable[[Api, Request, Route, str | None, Params], Reply]]] = {
    "articles": _articles,
    "search": _search,
    "sync": _sync,
    "document": _document,
    "entity_list": _entity_list,
    "artifact": _artifact,
    "labels": _labels,
    "healthz": _healthz,
    "livez": _livez,
    "readyz": _readyz,
    "metrics": _metrics,
}


@functools.lru_cache(maxsize=4)
def _openapi(studies: tuple[str, ...], tokens: tuple[str, ...]) -> Resource:
    # The study ids cites= takes and the sync tokens are the content's: the document lists
    # the current ones (others are a 400), so it is made again when they change.
    operations = [
        Operation(
            name=route.name,
            path=route.path,
            summary=route.summary,
            parameters=[p.openapi() for p in route.params],
            body=route.body,
            media_type=route.media_type,
            statuses=(400, *((404,) if route.parameter else ()), *route.also),
            conditional=route.answer not in _UNCACHED,
        )
        for route in ROUTES
    ]
    document = openapi_document(
        operations, version=__version__, values={"cites": studies, "sync_token": tokens}
    )
    return Resource.of(dumps(document), "application/json")


async def _send(send: Any, reply: Reply, *, head: bool) -> None:
    status, headers, body = reply
    if status != 304:
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            metrics.process_ends()
            await send({"type": "lifespan.shutdown.complete"})
            return


def create_app(
    live: LiveContent,
    *,
    max_age: int = 300,
    cors_origins: Sequence[str] = ("*",),
    log_requests: bool = True,
) -> ASGIApp:
    """The API over ``live``'s current snapshot, answering GET and HEAD, with CORS for
    ``cors_origins`` (``*``: every origin, for published content); every request gets a
    request id, metrics and (``log_requests``) an access log line (:mod:`.observe`)."""
    replayed = Replay(Api(live, max_age=max_age), lambda: live.current)
    return Observed(Cors(replayed, cors_origins), log_requests=log_requests)
