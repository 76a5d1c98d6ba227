"""CORS for a read-only API (the Fetch standard's CORS protocol, section 3.2).

Litestar's ``CORSConfig`` decides once per app; here the answer depends on the request as
well: a preview request (one carrying ``Authorization``) must never get a wildcard, so the
origin is echoed with ``Vary: Origin``, while public responses may be shared by every
origin with ``*``. That per-request rule is why this is a small middleware of its own.

Every answer is safe for a shared cache (nginx's ``proxy_cache``, a CDN) to hand to a
request other than the one that fetched it. With ``*``, a public answer carries
``Access-Control-Allow-Origin: *`` whether the request had an ``Origin`` or none: a copy
stored for a request without one (a crawler, a server-side fetch) is one that a page on
any origin may read. With named origins, the headers depend on ``Origin``, so every answer
says ``Vary: Origin``, also one to a request without it or from an origin not allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, cast

from spikecontent.api.asgi import ASGIApp, Message, Receive, Scope, Send
from spikecontent.api.resources import error_body

__all__ = ["ALLOWED_HEADERS", "EXPOSED_HEADERS", "Cors"]

METHODS: Final = "GET, HEAD"
ALLOWED_HEADERS: Final = "authorization, if-none-match"
"""Request headers a page may send: the preview token and conditional requests. Listed,
not ``*``: a wildcard does not cover ``Authorization`` (Fetch, 3.2.5)."""
EXPOSED_HEADERS: Final = "etag, x-content-version"
"""Response headers a page's script may read, beyond the CORS-safelisted ones."""
MAX_AGE: Final = "600"
_ANY_ORIGIN: Final = (
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
)


class Cors:
    """Adds CORS headers to every response and answers preflight requests."""

    def __init__(self, app: ASGIApp, origins: Sequence[str] = ("*",)) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(o.rstrip("/") for o in origins if o != "*")

    def allows(self, origin: str) -> bool:
        """Whether pages from ``origin`` may read responses."""
        return self.any_origin or origin in self.origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = cast(dict[str, Any], scope)
        if raw["type"] != "http":
            await self.app(scope, receive, send)
            return
        if raw["method"] == "OPTIONS":
            headers = {bytes(k).lower(): bytes(v).decode("latin-1") for k, v in raw["headers"]}
            await self._options(headers.get(b"origin"), headers, send)
            return
        # One pass over the raw headers: this runs for every request.
        origin, private = None, False
        for key, value in raw["headers"]:
            if key == b"origin":
                origin = bytes(value).decode("latin-1")
            elif key == b"authorization":
                private = True
        added = self._headers(origin, private=private)
        if not added:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                start = cast(dict[str, Any], message)
                headers = list(start.get("headers", []))
                message = cast(Message, {**start, "headers": _merged(headers, added)})
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _headers(self, origin: str | None, *, private: bool) -> list[tuple[bytes, bytes]]:
        if self.any_origin and not private:
            # The same headers whatever the request: no cache can store a copy that a
            # page on another origin would be refused (Fetch, 3.2.3: "*" without
            # credentials).
            return list(_ANY_ORIGIN)
        # The answer depends on the origin: caches must know it, Origin sent or not.
        vary = [(b"vary", b"Origin")]
        if origin is None or not self.allows(origin):
            return vary
        return [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
            *vary,
        ]

    async def _options(self, origin: str | None, headers: dict[bytes, str], send: Send) -> None:
        requested = headers.get(b"access-control-request-method")
        if origin is None or requested is None:  # a plain OPTIONS: say what is allowed
            await _answer(send, 204, [(b"allow", f"{METHODS}, OPTIONS".encode())])
            return
        if not self.allows(origin):
            await _answer(send, 403, [(b"vary", b"Origin")], error_body(403, "origin not allowed"))
            return
        if requested.upper() not in ("GET", "HEAD"):
            body = error_body(405, "read-only: GET and HEAD")
            await _answer(send, 405, [(b"vary", b"Origin")], body)
            return
        preflight = [
            # A preflight may precede a preview request: echo the origin, never "*".
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", METHODS.encode()),
            (b"access-control-allow-headers", ALLOWED_HEADERS.encode()),
            (b"access-control-max-age", MAX_AGE.encode()),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ]
        await _answer(send, 204, preflight)


def _merged(
    headers: Sequence[tuple[bytes, bytes]], added: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``added``; Vary values are joined into one header."""
    result = [(bytes(k), bytes(v)) for k, v in headers]
    for name, value in added:
        if name == b"vary":
            for index, (existing, current) in enumerate(result):
                if existing.lower() == b"vary":
                    result[index] = (existing, current + b", " + value)
                    break
            else:
                result.append((name, value))
        else:
            result.append((name, value))
    return result


async def _answer(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes = b""
) -> None:
    if body:
        headers = [*headers, (b"content-type", b"application/json")]
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send(cast(Message, {"type": "http.response.start", "status": status, "headers": headers}))
    await send(cast(Message, {"type": "http.response.body", "body": body}))
