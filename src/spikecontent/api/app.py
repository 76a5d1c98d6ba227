"""The read-only HTTP API: a plain ASGI app over the route table (:mod:`.routes`).

Every body is final bytes made once per snapshot (:mod:`.resources`), so per request the
app only finds the route, reads its declared parameters (:mod:`.parameters`), chooses the
snapshot (public, or preview for the token's holder) and hands the resource to
:meth:`Api.respond`, the one place that chooses the encoding, sets the ETag,
``Last-Modified`` and caching headers, and answers ``304`` for ``If-None-Match`` (or,
without it, ``If-Modified-Since``). HEAD is GET without the body; every error is JSON
``{"error", "detail"}``. Every answer also gets a request id, a log line and metrics
(:mod:`.observe`) and its CORS headers (:mod:`.cors`); public ones are replayed from
memory while their snapshot is served (:mod:`.replay`).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

from spikecontent._version import __version__
from spikecontent.api import metrics
from spikecontent.api.cors import Cors, merged
from spikecontent.api.encoding import Resource, etag_matches
from spikecontent.api.http import HttpError, Reply, Request, json_reply
from spikecontent.api.live import LiveContent, NotLoaded, Served
from spikecontent.api.observe import observed, request_id
from spikecontent.api.parameters import read_parameters
from spikecontent.api.replay import Replay
from spikecontent.api.resources import Snapshot, dumps, error_body
from spikecontent.api.routes import ROUTES, Route, match
from spikecontent.delivery import TokenError
from spikecontent.delivery.queries import QueryError, check_study
from spikecontent.schemas.openapi import Operation, openapi_document

__all__ = ["ASGIApp", "Api", "create_app"]

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
"""An ASGI 3 app: ``await app(scope, receive, send)``."""

_NO_STORE: Final = (b"cache-control", b"no-store")
_SEEN_MOST: Final = 100_000
log = logging.getLogger("spikecontent.serve")


@functools.lru_cache(maxsize=1024)
def _http_date(seconds: int) -> bytes:
    return email.utils.formatdate(seconds, usegmt=True).encode()


@functools.lru_cache(maxsize=256)
def _seconds(http_date: str) -> float | None:
    try:
        return email.utils.parsedate_to_datetime(http_date).timestamp()
    except (TypeError, ValueError):
        return None  # an invalid date is ignored (RFC 9110, 13.1.3)


class Api:
    """The app: dispatch on the route table, one answer per route kind."""

    def __init__(
        self,
        live: LiveContent,
        *,
        max_age: int = 300,
        cors_origins: Sequence[str] = ("*",),
        log_requests: bool = True,
    ) -> None:
        self.live = live
        self.cors = Cors(cors_origins)
        self.replay = Replay(lambda: live.current)
        self.log_requests = log_requests
        self.public_cache = f"public, max-age={max_age}".encode()
        self.seen: dict[str, int] = {}
        """When each body (by identity ETag) was first served: its ``Last-Modified``."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        started = time.perf_counter()
        request = Request.of(scope)
        ident = request_id(request.request_id)
        if request.method == "OPTIONS":
            status, headers, body = self.cors.preflight(request)
            headers = [*headers, (b"content-length", str(len(body)).encode())]
        else:
            status, headers, body = await self.replay.answer(request, lambda: self.reply(request))
            if status != 304:
                headers = [*headers, (b"content-length", str(len(body)).encode())]
            headers = merged(headers, self.cors.headers(request))
        sent = b"" if request.method == "HEAD" else body
        try:
            headers = [*headers, (b"x-request-id", ident.encode())]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": sent})
        finally:
            seconds = time.perf_counter() - started
            observed(request, ident, status, len(sent), seconds, log=self.log_requests)

    async def reply(self, request: Request) -> Reply:
        """The answer to ``request`` (GET or HEAD; any other method is a 405)."""
        try:
            found = match(request.path)
            if request.method not in ("GET", "HEAD"):
                raise HttpError(405, "read-only: GET and HEAD", (b"allow", b"GET, HEAD"))
            if found is None:
                raise HttpError(404, "no such path")
            served = self.live.current
            if found[0].artifact and served and found[0].writer in served.public.on_demand:
                # A writer rendered on demand (leaflets) runs in a thread: it takes a second.
                return await asyncio.to_thread(self.answer, request, *found)
            return self.answer(request, *found)
        except HttpError as error:
            return error.reply()
        except (QueryError, TokenError) as error:
            return HttpError(400, str(error)).reply()
        except NotLoaded as error:
            detail = f"{error}; retry in a few seconds (/readyz says when it is ready)"
            return json_reply(503, error_body(503, detail), (b"retry-after", b"5"), _NO_STORE)
        except Exception as error:
            log.exception("internal error answering %s", request.path)
            return HttpError(500, type(error).__name__).reply()

    def answer(self, request: Request, route: Route, value: str | None) -> Reply:
        """The answer to ``request`` on ``route`` (``value``: the URL parameter)."""
        params = read_parameters(route.params, request.query)
        if route.answer in _UNCACHED:
            return _UNCACHED[route.answer](self.live)
        served = self.live.served  # one read: the whole request sees one snapshot
        current = self.snapshot(request, served)
        resource = _ANSWERS[route.answer](current, served, route, value, params)
        return self.respond(request, current, resource, store=route.answer != "healthz")

    def snapshot(self, request: Request, served: Served) -> Snapshot:
        """The public snapshot, or the preview one for the preview token's holder."""
        if request.authorization is None:
            return served.public
        scheme, _, token = request.authorization.partition(" ")
        holder = scheme.lower() == "bearer" and self.live.token_matches(token)
        if served.preview is None or not holder:
            detail = "the preview token is wrong or not configured"
            raise HttpError(401, detail, (b"www-authenticate", b'Bearer realm="preview"'))
        return served.preview

    def respond(
        self, request: Request, current: Snapshot, resource: Resource | None, store: bool = True
    ) -> Reply:
        """The answer with ``resource`` in the encoding the request prefers, or ``304``
        when the client holds it; a 404 for None. ``store``: whether caches may keep it."""
        if resource is None:
            raise HttpError(404, f"nothing at {request.path}")
        modified = self.seen.get(resource.etag, 0)
        if not modified:
            if len(self.seen) > _SEEN_MOST:
                self.seen.clear()  # the dates start again: never a wrong 304
            modified = self.seen[resource.etag] = int(time.time())
        chosen = resource.for_encodings(request.accept_encoding)
        private = current.preview or not store
        headers = [
            (b"etag", chosen.etag.encode()),
            (b"cache-control", b"private, no-store" if private else self.public_cache),
            (b"x-content-version", current.version.encode()),
            (b"last-modified", _http_date(modified)),
        ]
        vary = [b"Accept-Encoding"] if resource.negotiated else []
        if self.live.previewable:  # the same URL answers otherwise with a token
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


Params = dict[str, Any]
Answer = Callable[[Snapshot, Served, Route, str | None, Params], Resource | None]


def _articles(current: Snapshot, _: Served, __: Route, ___: str | None, p: Params) -> Resource:
    check_study(p["cites"], current.catalog.studies)
    return current.listing(**p)


def _search(current: Snapshot, _: Served, __: Route, ___: str | None, p: Params) -> Resource:
    check_study(p["cites"], current.catalog.studies)
    return current.found(**p)


def _sync(current: Snapshot, served: Served, _: Route, __: str | None, p: Params) -> Resource:
    token = p["sync_token"]
    step = served.history.step_of(token) if token is not None else None
    return current.sync(served.history, step)


def _document(
    current: Snapshot, _: Served, route: Route, value: str | None, p: Params
) -> Resource | None:
    entry = ("Article" if route.name == "article" else "Study", value or "")
    return current.document(entry, p["fields"], p["include"], p["pretty"])


def _artifact(
    current: Snapshot, _: Served, route: Route, value: str | None, __: Params
) -> Resource | None:
    path = route.artifact_for(value)
    return current.get(route.writer, path) if path else None


def _healthz(current: Snapshot, served: Served, _: Route, __: str | None, ___: Params) -> Resource:
    health: dict[str, object] = {
        "status": "degraded" if served.errors else "ok",
        "version": current.version,
        "articles": len(current.entries.summaries),
        "problems": len(served.errors),
    }
    if current.preview:
        # The diagnostics quote the files, drafts and embargoed articles included: only a
        # request with the preview token sees them (the server log has them too).
        health["errors"] = [str(d) for d in served.errors]
    return current.resource(dumps(health))


def _openapi(current: Snapshot, served: Served, _: Route, __: str | None, ___: Params) -> Resource:
    history = served.history
    tokens = tuple(history.token(step) for step in range(history.head + 1))
    return _openapi_document(tuple(current.catalog.studies), tokens)


_ANSWERS: Final[dict[str, Answer]] = {
    "articles": _articles,
    "search": _search,
    "sync": _sync,
    "document": _document,
    "entity_list": lambda current, _, route, __, p: current.entity_list(route.name, p["pretty"]),
    "artifact": _artifact,
    "labels": lambda current, *_: current.labels,
    "healthz": _healthz,
    "openapi": _openapi,
}


def _readyz(live: LiveContent) -> Reply:
    served = live.current
    if served is None:
        body = {"status": "loading", "version": None, "problems": 0}
        return json_reply(503, dumps(body), _NO_STORE)
    status = "degraded" if served.errors else "ok"
    body = {"status": status, "version": served.public.version, "problems": len(served.errors)}
    return json_reply(200, dumps(body), _NO_STORE)


_UNCACHED: Final[dict[str, Callable[[LiveContent], Reply]]] = {
    "livez": lambda _: json_reply(200, dumps({"status": "alive"}), _NO_STORE),
    "readyz": _readyz,
    "metrics": lambda _: (
        200,
        [(b"content-type", metrics.CONTENT_TYPE.encode()), _NO_STORE],
        metrics.exposition(),
    ),
}
"""Answers with no snapshot and no ETag: never stored, never a 304."""


@functools.lru_cache(maxsize=4)
def _openapi_document(studies: tuple[str, ...], tokens: tuple[str, ...]) -> Resource:
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
    return Api(live, max_age=max_age, cors_origins=cors_origins, log_requests=log_requests)
