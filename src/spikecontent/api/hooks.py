"""The publish hook: after a reload that changed something, tell whoever asked.

Each URL given with ``--on-change`` receives a POST of a JSON summary (the new and the
previous snapshot version, every changed artifact with its new ETag, every removed one),
for CDN purges and frontend rebuilds. With ``SPIKECONTENT_WEBHOOK_SECRET`` set, the body
is signed with HMAC-SHA256 in ``X-Spikecontent-Signature: sha256=<hex>`` (the scheme
GitHub's webhooks use). Deliveries run in their own threads, retried with exponential
backoff and logged: serving never waits for them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Final

from spikecontent.api.live import Change

__all__ = ["SECRET_VARIABLE", "SIGNATURE_HEADER", "Publisher", "payload", "signature"]

SECRET_VARIABLE: Final = "SPIKECONTENT_WEBHOOK_SECRET"
SIGNATURE_HEADER: Final = "X-Spikecontent-Signature"
_ATTEMPTS: Final = 5
_TIMEOUT_SECONDS: Final = 5.0

log = logging.getLogger("spikecontent.serve")


def payload(change: Change) -> bytes:
    """The JSON body of one delivery."""
    data = {
        "event": "content.changed",
        "version": change.version,
        "previous_version": change.previous_version,
        "changed": change.changed,
        "removed": list(change.removed),
    }
    return json.dumps(data, indent=2, sort_keys=True).encode()


def signature(body: bytes, secret: str) -> str:
    """The signature header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Publisher:
    """Posts each :class:`Change` to every URL, in the background."""

    def __init__(
        self, urls: Sequence[str], secret: str | None = None, *, first_delay: float = 0.5
    ) -> None:
        self.urls = tuple(urls)
        self.secret = secret
        self.first_delay = first_delay

    def __call__(self, change: Change) -> None:
        body = payload(change)
        for url in self.urls:
            thread = threading.Thread(
                target=self._deliver, args=(url, body), name="spikecontent-hook", daemon=True
            )
            thread.start()

    def _deliver(self, url: str, body: bytes) -> bool:
        headers = {"Content-Type": "application/json", "User-Agent": "spikecontent"}
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(body, self.secret)
        delay = self.first_delay
        for attempt in range(1, _ATTEMPTS + 1):
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
                    log.info("publish hook %s: %s", url, response.status)
                    return True
            except urllib.error.HTTPError as error:
                error.close()  # the error holds the response open
                log.warning("publish hook %s, attempt %d: %s", url, attempt, error)
            except (urllib.error.URLError, OSError) as error:
                log.warning("publish hook %s, attempt %d: %s", url, attempt, error)
            if attempt < _ATTEMPTS:
                time.sleep(delay)
                delay *= 2
        log.error("publish hook %s: gave up after %d attempts", url, _ATTEMPTS)
        return False
