"""Public answers replayed from memory: a micro-cache, as nginx's ``proxy_cache`` would be,
keyed by what an answer depends on (path, query string, ``Accept-Encoding`` and whether
``If-None-Match`` names the ETag) and good for the snapshot it was made from only.

Only public answers (``Cache-Control: public``) are kept, never one to a request with
``Authorization`` or ``If-Modified-Since``. ``Origin`` is not in the key: the CORS
headers are added to every answer, replayed or not.
"""

from __future__ import annotations

import collections
from collections.abc import Awaitable, Callable
from typing import Final

from spikecontent.api import metrics
from spikecontent.api.http import Reply, Request, etag_matches

__all__ = ["MAX_BODY", "MAX_ENTRIES", "Replay"]

MAX_ENTRIES: Final = 2048
"""Distinct requests kept; the least recently used goes first, so a client sending new
query strings forever costs the cache nothing but its hit rate."""
MAX_BODY: Final = 1 << 20
"""Bodies larger than this (leaflets rendered on demand) are not kept."""

_Resource = tuple[str, bytes, str | None]
"""Path, query string, ``Accept-Encoding``."""
_Key = tuple[str, bytes, str | None, bool]
"""The resource, and whether ``If-None-Match`` names its ETag."""


class Replay:
    """Public GET answers, kept for as long as ``current()`` returns the same object (the
    served snapshot); a new one empties the memory."""

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
        if status not in (200, 304) or len(body) > MAX_BODY or not public or not etag:
            return
        matched = etag_matches(if_none_match, etag)
        if matched != (status == 304):
            return  # the app read If-None-Match otherwise than here: not kept
        self.etags[resource] = etag
        self.kept[(*resource, matched)] = reply
        if len(self.kept) > MAX_ENTRIES:
            dropped = self.kept.popitem(last=False)[0]
            if (*dropped[:3], not dropped[3]) not in self.kept:
                self.etags.pop(dropped[:3], None)
