"""CORS for a read-only API (the Fetch standard's CORS protocol, section 3.2), per request:
a preview request (one carrying ``Authorization``) never gets ``*``, which a per-app CORS
setting (Starlette's, Litestar's) cannot say.

Every answer is safe for a shared cache (nginx's ``proxy_cache``, a CDN) to hand to
another request: with ``*`` a public answer allows every origin whether the request had
an ``Origin`` or none; with named origins every answer says ``Vary: Origin``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from spikecontent.api.http import HttpError, Reply, Request

__all__ = ["ALLOWED_HEADERS", "EXPOSED_HEADERS", "Cors", "merged"]

Headers = list[tuple[bytes, bytes]]
ALLOWED_HEADERS: Final = b"authorization, if-none-match"
"""Request headers a page may send: the preview token and conditional requests. Listed,
not ``*``: a wildcard does not cover ``Authorization`` (Fetch, 3.2.5)."""
EXPOSED_HEADERS: Final = b"etag, x-content-version"
"""Response headers a page's script may read, beyond the CORS-safelisted ones."""
_EXPOSE: Final = (b"access-control-expose-headers", EXPOSED_HEADERS)
_VARY: Final = (b"vary", b"Origin")
_ANY_ORIGIN: Final = [(b"access-control-allow-origin", b"*"), _EXPOSE]


class Cors:
    """The CORS headers of every answer, and the answers to preflight requests."""

    def __init__(self, origins: Sequence[str] = ("*",)) -> None:
        self.any_origin = "*" in origins
        self.origins = frozenset(o.rstrip("/") for o in origins if o != "*")

    def allows(self, origin: str) -> bool:
        """Whether pages from ``origin`` may read responses."""
        return self.any_origin or origin in self.origins

    def headers(self, request: Request) -> Headers:
        """The CORS headers of the answer to ``request`` (not a preflight)."""
        origin = request.origin
        if self.any_origin and request.authorization is None:
            return _ANY_ORIGIN  # "*" without credentials (Fetch, 3.2.3)
        if origin is None or not self.allows(origin):
            return [_VARY]  # the answer depends on the origin: caches must know it
        return [(b"access-control-allow-origin", origin.encode("latin-1")), _EXPOSE, _VARY]

    def preflight(self, request: Request) -> Reply:
        """The answer to an ``OPTIONS`` request."""
        origin, asked = request.origin, request.access_control_request_method
        if origin is None or asked is None:  # a plain OPTIONS: say what is allowed
            return 204, [(b"allow", b"GET, HEAD, OPTIONS")], b""
        if not self.allows(origin):
            return HttpError(403, "origin not allowed", _VARY).reply()
        if asked.upper() not in ("GET", "HEAD"):
            return HttpError(405, "read-only: GET and HEAD", _VARY).reply()
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


def merged(headers: Headers, added: Headers) -> Headers:
    """``headers`` with ``added``; Vary values are joined into one header."""
    result = list(headers)
    for name, value in added:
        vary = next((i for i, (k, _) in enumerate(result) if k == b"vary"), None)
        if name == b"vary" and vary is not None:
            result[vary] = (b"vary", result[vary][1] + b", " + value)
        else:
            result.append((name, value))
    return result
