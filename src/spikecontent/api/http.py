"""HTTP's own part of the API, which knows nothing of the content: a request as the API
reads it (one pass over its headers), an answer before it is sent, JSON bodies and
errors, and a body in every encoding a client may take, compressed once per snapshot.

Each encoding is its own representation with its own strong ETag (RFC 9110, 8.8.3), so a
304 answers only for the bytes the client holds (a compressing middleware keeps the
identity ETag). gzip comes from the standard library, brotli from Google's ``brotli``.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import urllib.parse
from http import HTTPStatus
from typing import Any, Final

import attrs
import brotli

from spikecontent.delivery import json_document

__all__ = [
    "HttpError",
    "Reply",
    "Representation",
    "Request",
    "Resource",
    "dumps",
    "error_body",
    "etag_matches",
    "json_reply",
    "preferred",
]

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
"""Status, headers, body (the whole body: HEAD sends none, with its length)."""
_OWN_PHRASES: Final = {500: "internal error", 503: "unavailable"}
"""Error names that are not HTTP's reason phrase in lower case (clients match on them)."""
MIN_COMPRESSED_SIZE: Final = 1024
"""Bodies smaller than this are sent as they are: compressing them saves too little."""
_PREFERENCE: Final = ("br", "gzip", "identity")
"""On equal quality, smaller bodies first."""


@attrs.frozen(kw_only=True)
class Request:
    """What the API reads of a request: the path, the query and the headers it reads, each
    named after its header."""

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

    @property
    def query(self) -> list[tuple[str, str]]:
        """The query parameters, each name with its value, in the order sent."""
        text = self.query_string.decode("latin-1")
        return urllib.parse.parse_qsl(text, keep_blank_values=True)


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
    """JSON as the API sends it, in the json writer's encoder: compact, or indented by
    two spaces (``?pretty``); UTF-8, a final newline."""
    return (json_document(data, 2 if pretty else None) + "\n").encode()


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110,
    13.1.2)."""
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


_UNNAMED: Final = 0.0005
"""The weight of ``identity`` when ``Accept-Encoding`` does not name it."""


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
        # Unnamed, identity is acceptable (RFC 9110, 12.5.3) but asked for by no weight:
        # it ranks below any coding the client weighs (a qvalue has at most three
        # decimals, so 0.001 is the least a named coding can have).
        unnamed = default if default is not None else (_UNNAMED if encoding == "identity" else 0.0)
        return qualities.get(encoding, unnamed)

    ranked = sorted(
        (e for e in available if quality_of(e) > 0),
        key=lambda e: (-quality_of(e), _PREFERENCE.index(e)),
    )
    return ranked[0] if ranked else "identity"
