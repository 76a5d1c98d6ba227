"""CORS for a read-only API (the Fetch standard's CORS protocol, section 3.2).

The answer depends on the request, which Starlette's and Litestar's CORS middlewares
decide once per app: a preview request (one carrying ``Authorization``) never gets a
wildcard, so the origin is echoed with ``Vary: Origin``, while public answers may be
shared by every origin with ``*``.

Every answer is safe for a shared cache (nginx's ``proxy_cache``, a CDN) to hand to
another request. With ``*``, a public answer carries ``Access-Control-Allow-Origin: *``
whether the request had an ``Origin`` or none. With named origins, every answer says
``Vary: Origin``, also one to a request without it or from an origin not allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, cast

from spikecontent.api.asgi import ASGIApp, Message, Receive, Scope, Send
from spikecontent.api.resources import error_body

__all__ = ["ALLOWED_HEADERS", "EXPOSED_HEADERS", "Cors"]

Headers = list[tuple[bytes, bytes]]
ALLOWED_HEADERS: Final = b"authorization, if-none-match"
"""Request headers a page may send: the preview token and conditional requests. Listed,
not ``*``: a wildcard does not cover ``Authorization`` (Fetch, 3.2.5)."""
EXPOSED_HEADERS: Final = b"etag, x-content-version"
"""Response headers a page's script may read, beyond the CORS-safelisted ones."""
_EXPOSE: Final = (b"access-control-expose-headers", EXPOSED_HEADERS)
_VARY: Final = (b"vary", b"Origin")


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
        origin = requested = None
        private = False
        for key, value in raw["headers"]:  # one pass: this runs for every request
            if key == b"origin":
                origin = bytes(value).decode("latin-1")
            elif key == b"authorization":
                private = True
            elif key == b"access-control-request-method":
                requested = bytes(value).decode("latin-1")
        if raw["method"] == "OPTIONS":
            await _answer(send, *self._preflight(origin, requested))
            return
        if self.any_origin and not private:
            # The same headers whatever the request: no cache can store a copy that a
            # page on another origin would be refused (Fetch, 3.2.3: "*" without
            # credentials).
            added: Headers = [(b"access-control-allow-origin", b"*"), _EXPOSE]
        elif origin is None or not self.allows(origin):
            added = [_VARY]  # the answer depends on the origin: caches must know it
        else:
            added = [(b"access-control-allow-origin", origin.encode("latin-1")), _EXPOSE, _VARY]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                start = cast(dict[str, Any], message)
                headers = _merged(start.get("headers", []), added)
                message = cast(Message, {**start, "headers": headers})
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _preflight(self, origin: str | None, requested: str | None) -> tuple[int, Headers, bytes]:
        if origin is None or requested is None:  # a plain OPTIONS: say what is allowed
            return 204, [(b"allow", b"GET, HEAD, OPTIONS")], b""
        if not self.allows(origin):
            return 403, [_VARY], error_body(403, "origin not allowed")
        if requested.upper() not in ("GET", "HEAD"):
            return 405, [_VARY], error_body(405, "read-only: GET and HEAD")
        return (
            204,
            [
                # A preflight may precede a preview request: echo the origin, never "*".
                (b"access-control-allow-origin", origin.encode("latin-1")),
                (b"access-control-allow-methods", b"GET, HEAD"),
                (b"access-control-allow-headers", ALLOWED_HEADERS),
                (b"access-control-max-age", b"600"),
                (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
            ],
            b"",
        )


def _merged(headers: Sequence[tuple[bytes, bytes]], added: Headers) -> Headers:
    """``headers`` with ``added``; Vary values are joined into one header."""
    result = [(bytes(k), bytes(v)) for k, v in headers]
    for name, value in added:
        vary = next((i for i, (k, _) in enumerate(result) if k.lower() == b"vary"), None)
        if name == b"vary" and vary is not None:
            result[vary] = (result[vary][0], result[vary][1] + b", " + value)
        else:
            result.append((name, value))
    return result


async def _answer(send: Send, status: int, headers: Headers, body: bytes) -> None:
    if body:
        headers = [*headers, (b"content-type", b"application/json")]
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send(cast(Message, {"type": "http.response.start", "status": status, "headers": headers}))
    await send(cast(Message, {"type": "http.response.body", "body": body}))
