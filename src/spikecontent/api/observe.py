"""What operations see of each request: a request id, one access log line, metrics.

:class:`Observed` wraps the whole app (replayed answers included). Each request gets an
id: the client's ``X-Request-ID`` when it sends a usable one (nginx's ``$request_id``,
a load balancer's), otherwise a new one; the answer carries it back in ``X-Request-ID``
and the access log line names it, with the method, path, status, bytes sent and
duration. Routes are named by their path template (``/articles/{slug}``), so metrics
have a bounded set of labels whatever paths clients ask for.

The log line goes to the ``spikecontent.access`` logger with its fields as record
attributes (:mod:`spikecontent.server.logs` prints them as JSON or text).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any, Final, cast

from spikecontent.api import metrics
from spikecontent.api.asgi import ASGIApp, Message, Receive, Scope, Send
from spikecontent.api.routes import match

__all__ = ["Observed"]

_USABLE_ID: Final = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
"""A request id taken as it is: printable, no spaces, at most 128 characters (anything
else could forge log lines or bloat them, and is replaced by a new id)."""

access_log = logging.getLogger("spikecontent.access")


def _route_of(path: str) -> str:
    """The route template ``path`` falls under; ``other`` for none."""
    found = match(path)
    return found[0].path if found else "other"


class Observed:
    """Request ids, the access log and the request metrics, around ``app``."""

    def __init__(self, app: ASGIApp, *, log_requests: bool = True) -> None:
        self.app = app
        self.log_requests = log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = cast(dict[str, Any], scope)
        if raw["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given = None
        for name, value in raw["headers"]:
            if name == b"x-request-id":
                given = bytes(value).decode("latin-1")
        request_id = given if given and _USABLE_ID.fullmatch(given) else uuid.uuid4().hex
        state: dict[str, int] = {"status": 500, "bytes": 0}

        async def observed(message: Message) -> None:
            out = cast(dict[str, Any], message)
            if out["type"] == "http.response.start":
                state["status"] = int(out["status"])
                headers = [
                    (k, v) for k, v in out.get("headers", []) if bytes(k).lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", request_id.encode()))
                message = cast(Message, {**out, "headers": headers})
            elif out["type"] == "http.response.body":
                state["bytes"] += len(out.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            seconds = time.perf_counter() - started
            path = str(raw.get("path", ""))
            method = str(raw.get("method", ""))
            metrics.request_done(_route_of(path), method, state["status"], seconds)
            if self.log_requests:
                access_log.info(
                    "%s %s %d %d B %.1f ms",
                    method,
                    path,
                    state["status"],
                    state["bytes"],
                    seconds * 1000,
                    extra={
                        "request_id": request_id,
                        "method": method,
                        "path": path,
                        "query": bytes(raw.get("query_string", b"")).decode("latin-1"),
                        "status": state["status"],
                        "bytes": state["bytes"],
                        "duration_ms": round(seconds * 1000, 3),
                    },
                )
