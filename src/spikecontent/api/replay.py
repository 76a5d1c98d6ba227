"""Public responses replayed from memory: a request the app has answered before, against
the same snapshot, gets the same bytes without routing and reading parameters again
(``benchmarks/api.py`` measures both).

A micro-cache in front of the app, as nginx's ``proxy_cache`` would be, keyed by what
the answer depends on: the path, the query string, ``Accept-Encoding`` and whether
``If-None-Match`` names the ETag. Only public answers (``Cache-Control: public``) are
kept, never one to a request with ``Authorization`` or ``If-Modified-Since``; an entry
is good for the snapshot it was made from and no other. ``Origin`` is not in the key:
the CORS headers, the only ones that depend on it, are added around this cache.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import Any, Final, cast

from spikecontent.api import metrics
from spikecontent.api.asgi import ASGIApp, Message, Receive, Scope, Send
from spikecontent.api.encoding import etag_matches

__all__ = ["MAX_BODY", "MAX_ENTRIES", "Replay"]

MAX_ENTRIES: Final = 2048
"""Distinct requests kept; the least recently used goes first, so a client sending new
query strings forever costs the cache nothing but its hit rate."""
MAX_BODY: Final = 1 << 20
"""Bodies larger than this (leaflets rendered on demand) are not kept."""

_PASSED: Final = (b"authorization", b"if-modified-since")
"""Requests that always reach the app: a preview's, and one whose answer depends on a
date the key does not hold."""
_Resource = tuple[str, bytes, bytes | None]
"""Path, query string, ``Accept-Encoding``."""
_Key = tuple[str, bytes, bytes | None, bool]
"""The resource, and whether ``If-None-Match`` names its ETag."""


class Replay:
    """Replays the inner app's public GET answers for as long as ``current()`` returns
    the same object (the served snapshot); a new one empties the memory."""

    def __init__(self, app: ASGIApp, current: Callable[[], object]) -> None:
        self.app = app
        self.current = current
        self.snapshot: object = None
        self.kept: collections.OrderedDict[_Key, list[Message]] = collections.OrderedDict()
        self.etags: dict[_Resource, str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = cast(dict[str, Any], scope)
        if raw["type"] != "http" or raw["method"] != "GET":
            await self.app(scope, receive, send)
            return
        accept_encoding = if_none_match = None
        for name, value in raw["headers"]:
            if name in _PASSED:  # private, or dated: never kept, never replayed
                await self.app(scope, receive, send)
                return
            if name == b"accept-encoding":
                accept_encoding = bytes(value)
            elif name == b"if-none-match":
                if_none_match = bytes(value).decode("latin-1")
        snapshot = self.current()
        if snapshot is not self.snapshot:
            self.kept.clear()
            self.etags.clear()
            self.snapshot = snapshot
        resource: _Resource = (raw["path"], raw["query_string"], accept_encoding)
        etag = self.etags.get(resource)
        if etag is not None:
            key = (*resource, etag_matches(if_none_match, etag))
            kept = self.kept.get(key)
            if kept is not None:
                self.kept.move_to_end(key)
                metrics.replayed(hit=True)
                for message in kept:
                    await send(message)
                return
        metrics.replayed(hit=False)
        messages = await self._answer(scope, receive, send)
        # Kept only if the snapshot read before the app ran is still served after it:
        # then the app, reading it in between, answered from that one.
        if self.current() is snapshot:
            self._keep(resource, if_none_match, messages)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> list[Message]:
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        return messages

    def _keep(
        self, resource: _Resource, if_none_match: str | None, messages: list[Message]
    ) -> None:
        found = _replayable(messages)
        if found is None:
            return
        etag, status = found
        matched = etag_matches(if_none_match, etag)
        if matched != (status == 304):
            return  # the app read If-None-Match otherwise than here: not kept
        self.etags[resource] = etag
        self.kept[(*resource, matched)] = messages
        if len(self.kept) > MAX_ENTRIES:
            dropped = self.kept.popitem(last=False)[0]
            if (*dropped[:3], not dropped[3]) not in self.kept:
                self.etags.pop(dropped[:3], None)


def _replayable(messages: list[Message]) -> tuple[str, int] | None:
    """The ETag and status of a complete public 200 or 304 answer; None for any other."""
    if len(messages) != 2:
        return None
    start, body = (cast(dict[str, Any], m) for m in messages)
    if start["type"] != "http.response.start" or start["status"] not in (200, 304):
        return None
    if body["type"] != "http.response.body" or body.get("more_body"):
        return None
    if len(body.get("body", b"")) > MAX_BODY:
        return None
    headers = {bytes(k).lower(): bytes(v) for k, v in start.get("headers", [])}
    if not headers.get(b"cache-control", b"").startswith(b"public"):
        return None
    etag = headers.get(b"etag")
    return (etag.decode("latin-1"), int(start["status"])) if etag else None
