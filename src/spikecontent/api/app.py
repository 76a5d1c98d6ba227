"""The read-only HTTP API: a plain ASGI app over the route table (:mod:`.routes`).

Per request the app finds the route, reads its parameters, chooses the snapshot (public,
or preview for the token's holder) and hands the resource the route's answer returns to
:meth:`Api.respond`. Every answer gets a request id, an access log line, metrics and its
CORS headers; public ones are replayed from memory (both :mod:`.http`).
"""

from __future__ import annotations

import asyncio
import email.utils
import functools
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Final

from spikecontent.api import metrics
from spikecontent.api.http import (
    Cors,
    HttpError,
    Replay,
    Reply,
    Request,
    Resource,
    etag_matches,
    merged,
)
from spikecontent.api.live import LiveContent, NotLoaded, Snapshot
from spikecontent.api.routes import NO_STORE, Operational, Route, match
from spikecontent.delivery import TokenError
from spikecontent.delivery.queries import QueryError

__all__ = ["ASGIApp", "Api", "create_app"]

ASGIApp = Callable[[Any, Any, Any], Awaitable[None]]
"""An ASGI 3 app: ``await app(scope, receive, send)``."""

_SEEN_MOST: Final = 100_000
_USABLE_ID: Final = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
"""A client's ``X-Request-ID`` taken as it is (nginx's ``$request_id``); anything else
could forge log lines or bloat them, and is replaced by a new id."""
log = logging.getLogger("spikecontent.serve")
access_log = logging.getLogger("spikecontent.access")


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
    """The API over ``live``'s current snapshot, answering GET and HEAD, with CORS for
    ``cors_origins`` (``*``: every origin, for published content); every request gets a
    request id (``X-Request-ID``), metrics and (``log_requests``) an access log line."""

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
        given = request.x_request_id
        ident = given if given and _USABLE_ID.fullmatch(given) else uuid.uuid4().hex
        found = match(request.path)
        if request.method == "OPTIONS":
            (status, headers, body), cors = self.cors.preflight(request), []
        else:
            make = functools.partial(self.reply, request, found)
            status, headers, body = await self.replay.answer(request, make)
            cors = self.cors.headers(request)
        if status != 304:
            headers = [*headers, (b"content-length", str(len(body)).encode())]
        headers = [*merged(headers, cors), (b"x-request-id", ident.encode())]
        sent = b"" if request.method == "HEAD" else body
        try:
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": sent})
        finally:
            seconds = time.perf_counter() - started
            # Routes are named by their path template: metrics have a bounded set of labels.
            route = found[0].path if found else "other"
            metrics.request_done(route, request.method, status, seconds)
            if self.log_requests:
                _log(request, ident, status, len(sent), seconds)

    async def reply(self, request: Request, found: tuple[Route, dict[str, str]] | None) -> Reply:
        """The answer to ``request`` on the route ``found`` for its path, errors as JSON."""
        try:
            if request.method not in ("GET", "HEAD"):
                raise HttpError(405, "read-only: GET and HEAD", (b"allow", b"GET, HEAD"))
            if found is None:
                raise HttpError(404, "no such path")
            served = self.live.current
            if served and found[0].writer in served.public.on_demand:
                # A writer rendered on demand (leaflets) runs in a thread: it takes a second.
                return await asyncio.to_thread(self.answer, request, *found)
            return self.answer(request, *found)
        except HttpError as error:
            return error.reply()
        except (QueryError, TokenError) as error:
            return HttpError(400, str(error)).reply()
        except NotLoaded as error:
            detail = f"{error}; retry in a few seconds (/readyz says when it is ready)"
            return HttpError(503, detail, (b"retry-after", b"5"), NO_STORE).reply()
        except Exception as error:
            log.exception("internal error answering %s", request.path)
            return HttpError(500, type(error).__name__).reply()

    def answer(self, request: Request, route: Route, in_path: dict[str, str]) -> Reply:
        """The answer to ``request`` on ``route`` (``in_path``: the URL parameter)."""
        params = route.read(request.query_string)
        params.update(in_path)
        if isinstance(route.answer, Operational):
            return route.answer.reply(self.live)
        served = self.live.served  # one read: the whole request sees one snapshot
        current = served.public
        if request.authorization is not None:  # the preview, for the token's holder only
            scheme, _, token = request.authorization.partition(" ")
            holder = scheme.lower() == "bearer" and self.live.token_matches(token)
            if served.preview is None or not holder:
                detail = "the preview token is wrong or not configured"
                raise HttpError(401, detail, (b"www-authenticate", b'Bearer realm="preview"'))
            current = served.preview
        resource = current.answer(route.answer, served, tuple(params), *params.values())
        return self.respond(request, current, resource, store=route.store)

    def respond(
        self, request: Request, current: Snapshot, resource: Resource | None, store: bool = True
    ) -> Reply:
        """``resource`` in the encoding the request prefers, with its ETag,
        ``Last-Modified`` and caching headers, or ``304`` when the client holds it; a 404
        for None. ``store``: whether caches may keep it."""
        if resource is None:
            raise HttpError(404, f"nothing at {request.path}")
        if len(self.seen) > _SEEN_MOST and resource.etag not in self.seen:
            self.seen.clear()  # the dates start again: never a wrong 304
        modified = self.seen.setdefault(resource.etag, int(time.time()))
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


def _log(request: Request, ident: str, status: int, sent: int, seconds: float) -> None:
    # The fields are also record attributes: spikecontent.server.logs prints them as JSON.
    fields = {
        "request_id": ident,
        "method": request.method,
        "path": request.path,
        "query": request.query_string.decode("latin-1"),
        "status": status,
        "bytes": sent,
        "duration_ms": round(seconds * 1000, 3),
    }
    access_log.info(
        "%(method)s %(path)s %(status)d %(bytes)d B %(duration_ms).1f ms", fields, extra=fields
    )


async def _lifespan(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            metrics.process_ends()
            await send({"type": "lifespan.shutdown.complete"})
            return


create_app = Api
