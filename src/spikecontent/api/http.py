"""A request as the API reads it (one pass over its headers), and an answer before it is
sent."""

from __future__ import annotations

import urllib.parse
from http import HTTPStatus
from typing import Any, Final

import attrs

from spikecontent.api.resources import dumps

__all__ = ["HttpError", "Reply", "Request", "error_body", "json_reply"]

Reply = tuple[int, list[tuple[bytes, bytes]], bytes]
"""Status, headers, body (the whole body: HEAD sends none, with its length)."""
_OWN_PHRASES: Final = {500: "internal error", 503: "unavailable"}
"""Error names that are not HTTP's reason phrase in lower case (clients match on them)."""


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
    def query(self) -> dict[str, str]:
        """The query parameters (the last value of each)."""
        text = self.query_string.decode("latin-1")
        return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))


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
