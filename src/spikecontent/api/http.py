"""HTTP's own part of the API, which knows nothing of the content: a request as the API
reads it (one pass over its headers), JSON bodies and errors, a body in every encoding a
client may take (each with its own strong ETag, RFC 9110, 8.8.3, so a 304 answers only
for the bytes the client holds), CORS per request, and public answers replayed.
"""

from __future__ import annotations

import collections
import functools
import gzip
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from typing import Any, Final

import attrs
import brotli

from spikecontent.api import metrics
from spikecontent.delivery import json_document

__all__ = [
    "REPLAY_ENTRIES",
    "Cors",
    "HttpError",
    "Replay",
    "Reply",
    "Request",
    "Resource",
    "dumps",
    "error_body",
    "etag_matches",
    "json_reply",
    "preferred",
]

Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]
"""Status, headers, body (the whole body: HEAD sends none, with its length)."""
_OWN_PHRASES: Final = {500: "internal error", 503: "unavailable"}
"""Error names that are not HTTP's reason phrase in lower case (clients match on them)."""
MIN_COMPRESSED_SIZE: Final = 1024
"""Bodies smaller than this are sent as they are: compressing them saves too little."""
_PREFERENCE: Final = ("br", "gzip", "identity")
"""On equal quality, smaller bodies first."""
_UNNAMED: Final = 0.0005
"""The weight of ``identity`` when ``Accept-Encoding`` does not name it: acceptable (RFC
9110, 12.5.3), below any coding the client weighs (a qvalue has at most three decimals)."""


@attrs.frozen(kw_only=True)
class Request:
    """What the API reads of a request: the path, the query, and headers named after them."""

    method: str
    path: str
    query_string: bytes = b""
    authorization: str | None = None
    accept_encoding: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    origin: str | None = None
    x_request_id: str | None = None
    access_control_request_method: str | None = None
    """The method a CORS preflight asks about."""

    @classmethod
    def of(cls, scope: dict[str, Any]) -> Request:
        """The request in an ASGI ``http`` scope."""
        found: dict[str, str] = {}
        for key, value in scope["headers"]:
            name = _HEADERS.get(bytes(key))
            if name is not None:
                found[name] = bytes(value).decode("latin-1")
        query = bytes(scope.get("query_string", b""))
        return cls(method=scope["method"], path=scope["path"], query_string=query, **found)


_HEADERS: Final = {
    field.name.replace("_", "-").encode(): field.name for field in attrs.fields(Request)[3:]
}


class HttpError(Exception):
    """An answer other than the resource: its status, detail and extra headers."""

    def __init__(self, status: int, detail: str, *headers: tuple[bytes, bytes]) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers

    def reply(self) -> Reply:
        """The JSON error answer."""
        return json_reply(self.status, error_body(self.status, self.detail), *self.headers)


def error_body(status: int, detail: str) -> bytes:
    """The body of every error the API sends: ``{"error": <phrase>, "detail": ...}``."""
    try:
        phrase = _OWN_PHRASES.get(status) or HTTPStatus(status).phrase.lower()
    except ValueError:  # a status HTTP names no phrase for: still a JSON error body
        phrase = "error"
    return dumps({"error": phrase, "detail": detail})


def json_reply(status: int, body: bytes, *headers: tuple[bytes, bytes]) -> Reply:
    """A JSON answer."""
    return status, [(b"content-type", b"application/json"), *headers], body


def dumps(data: Any, *, pretty: bool = False) -> bytes:
    """JSON in the json writer's encoder: compact or (``?pretty``) indented; a final newline."""
    return (json_document(data, 2 if pretty else None) + "\n").encode()


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, RFC 9110, 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


@attrs.frozen(kw_only=True)
class Representation:
    """One encoding (``identity``, ``gzip`` or ``br``) of a body, with its ETag."""

    encoding: str
    body: bytes
    etag: str


@attrs.frozen(kw_only=True)
class Resource:
    """A response body with its media type, in every encoding worth sending."""

    media_type: str
    representations: tuple[Representation, ...]
    """Identity first, then the compressed ones that are smaller."""

    @classmethod
    def of(cls, body: bytes, media_type: str, *, etag_prefix: str = "") -> Resource:
        """``body`` compressed when that pays; each ETag the quoted SHA-256 of its bytes
        (32 hex digits) after ``etag_prefix`` (which keeps preview ETags apart)."""
        forms = [("identity", body)]
        # Every body served is text but PDFs, which are compressed inside.
        if len(body) >= MIN_COMPRESSED_SIZE and media_type != "application/pdf":
            # Levels that build a 1,000-article snapshot in seconds; gzip's mtime=0: the
            # same body always gives the same bytes, and the same ETag.
            forms.append(("br", brotli.compress(body, quality=5)))
            forms.append(("gzip", gzip.compress(body, compresslevel=6, mtime=0)))
        representations = tuple(
            Representation(
                encoding=encoding,
                body=data,
                etag=f'"{etag_prefix}{hashlib.sha256(data).hexdigest()[:32]}"',
            )
            for encoding, data in forms
            if encoding == "identity" or len(data) < len(body)
        )
        return cls(media_type=media_type, representations=representations)

    @property
    def etag(self) -> str:
        """The uncompressed body's ETag."""
        return self.representations[0].etag

    @property
    def negotiated(self) -> bool:
        """Whether the answer depends on ``Accept-Encoding`` (``Vary`` must say so)."""
        return len(self.representations) > 1

    def for_encodings(self, accept_encoding: str | None) -> Representation:
        """The representation to send for this ``Accept-Encoding`` header."""
        if not self.negotiated:
            return self.representations[0]
        chosen = preferred(accept_encoding, tuple(r.encoding for r in self.representations))
        return next(r for r in self.representations if r.encoding == chosen)


# Clients send a handful of distinct headers: parse each once, not once per request.
@functools.lru_cache(maxsize=256)
def preferred(accept_encoding: str | None, available: tuple[str, ...]) -> str:
    """The encoding of ``available`` that ``Accept-Encoding`` ranks highest (RFC 9110,
    12.5.3): quality first, then :data:`_PREFERENCE`; ``identity`` unless refused, and
    still when everything is (it is the one answer every client reads)."""
    qualities: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, *parameters = item.split(";")
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip().lower()] = quality
    default = qualities.get("*")

    def quality_of(encoding: str) -> float:
        unnamed = default if default is not None else (_UNNAMED if encoding == "identity" else 0.0)
        return qualities.get(encoding, unnamed)

    acceptable = [e for e in available if quality_of(e) > 0]
    return min(acceptable, key=lambda e: (-quality_of(e), _PREFERENCE.index(e)), default="identity")


_EXPOSE: Final = (b"access-control-expose-headers", b"etag, x-content-version")
_VARY: Final = (b"vary", b"Origin")
_ANY_ORIGIN: Final = [(b"access-control-allow-origin", b"*"), _EXPOSE]


class Cors:
    """CORS (Fetch, 3.2) per request: a preview request (with ``Authorization``) never
    gets ``*``, which a per-app CORS setting (Starlette's) cannot say. Every answer is safe
    for a shared cache to hand on: with ``*`` a public answer allows every origin,
    ``Origin`` sent or not; with named origins every answer says ``Vary: Origin``."""

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
                # Listed: a wildcard does not cover Authorization (Fetch, 3.2.5).
                (b"access-control-allow-headers", b"authorization, if-none-match"),
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


REPLAY_ENTRIES: Final = 2048
"""Distinct requests replayed; the least recently used goes first, so a client sending new
query strings forever costs the memory nothing but its hit rate."""
REPLAY_BODY: Final = 1 << 20
"""Bodies larger than this (leaflets rendered on demand) are not kept."""
_Resource = tuple[str, bytes, str | None]
"""Path, query string, ``Accept-Encoding``."""
_Key = tuple[str, bytes, str | None, bool]
"""The resource, and whether ``If-None-Match`` names its ETag."""


class Replay:
    """Public GET answers replayed from memory, as nginx's ``proxy_cache`` would, while
    ``current()`` returns the same object (the served snapshot); keyed by what an answer
    depends on (not ``Origin``: CORS is added to every answer, replayed or not)."""

    def __init__(self, current: Callable[[], object]) -> None:
        self.current = current
        self.snapshot: object = None
        self.kept: collections.OrderedDict[_Key, Reply] = collections.OrderedDict()
        self.etags: dict[_Resource, str] = {}

    async def answer(self, request: Request, make: Callable[[], Awaitable[Reply]]) -> Reply:
        """The answer kept for ``request``, or else ``make()``'s, kept if it may be."""
        private, dated = request.authorization, request.if_modified_since
        if request.method != "GET" or private is not None or dated is not None:
            return await make()  # a preview's, or dated: never kept, never replayed
        snapshot = self.current()
        if snapshot is not self.snapshot:
            self.kept.clear()
            self.etags.clear()
            self.snapshot = snapshot
        resource = (request.path, request.query_string, request.accept_encoding)
        etag = self.etags.get(resource)
        if etag is not None:
            key = (*resource, etag_matches(request.if_none_match, etag))
            kept = self.kept.get(key)
            if kept is not None:
                self.kept.move_to_end(key)
                metrics.replayed(hit=True)
                return kept
        metrics.replayed(hit=False)
        reply = await make()
        # Kept only if the snapshot read before the app ran is still served after it:
        # then the app, reading it in between, answered from that one.
        if self.current() is snapshot:
            self._keep(resource, request.if_none_match, reply)
        return reply

    def _keep(self, resource: _Resource, if_none_match: str | None, reply: Reply) -> None:
        status, headers, body = reply
        found = dict(headers)
        etag = found.get(b"etag", b"").decode("latin-1")
        public = found.get(b"cache-control", b"").startswith(b"public")
        if status not in (200, 304) or len(body) > REPLAY_BODY or not public or not etag:
            return
        matched = etag_matches(if_none_match, etag)
        if matched != (status == 304):
            return  # the app read If-None-Match otherwise than here: not kept
        self.etags[resource] = etag
        self.kept[(*resource, matched)] = reply
        if len(self.kept) > REPLAY_ENTRIES:
            dropped = self.kept.popitem(last=False)[0]
            if (*dropped[:3], not dropped[3]) not in self.kept:
                self.etags.pop(dropped[:3], None)
