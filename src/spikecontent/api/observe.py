"""What operations see of each request: a request id, one access log line, metrics.

Each request gets an id: the client's ``X-Request-ID`` when it sends a usable one (nginx's
``$request_id``, a load balancer's), otherwise a new one; the answer carries it back in
``X-Request-ID`` and the access log line names it, with the method, path, status, bytes
sent and duration. Routes are named by their path template (``/articles/{slug}``), so
metrics have a bounded set of labels whatever paths clients ask for. The log line goes
to the ``spikecontent.access`` logger with its fields as record attributes
(:mod:`spikecontent.server.logs` prints them as JSON or text).
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Final

from spikecontent.api import metrics
from spikecontent.api.http import Request
from spikecontent.api.routes import match

__all__ = ["observed", "request_id"]

_USABLE_ID: Final = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
"""A request id taken as it is: printable, no spaces, at most 128 characters (anything
else could forge log lines or bloat them, and is replaced by a new id)."""

access_log = logging.getLogger("spikecontent.access")


def request_id(given: str | None) -> str:
    """The id of a request that sent ``given`` as its ``X-Request-ID``."""
    return given if given and _USABLE_ID.fullmatch(given) else uuid.uuid4().hex


def observed(
    request: Request, ident: str, status: int, sent: int, seconds: float, *, log: bool
) -> None:
    """Count an answered request and (``log``) write its access log line."""
    found = match(request.path)
    metrics.request_done(found[0].path if found else "other", request.method, status, seconds)
    if log:
        access_log.info(
            "%s %s %d %d B %.1f ms",
            request.method,
            request.path,
            status,
            sent,
            seconds * 1000,
            extra={
                "request_id": ident,
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode("latin-1"),
                "status": status,
                "bytes": sent,
                "duration_ms": round(seconds * 1000, 3),
            },
        )
