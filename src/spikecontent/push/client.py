"""HTTP to a helpdesk's API: timeouts, retries that honour ``Retry-After``, clear errors.

A 429 or a 5xx (or a dropped connection) is retried with exponential backoff, waiting at
least what ``Retry-After`` asks; any other 4xx is a :class:`PushError` naming the macro and
quoting the vendor's message. Credentials travel in the ``Authorization`` header only and
are never part of a message: errors name the method and the path, not the URL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final

import attrs
import httpx

from spikecontent.diagnostics import SpikecontentError

__all__ = ["ATTEMPTS", "Api", "PushError", "Reply"]

ATTEMPTS: Final = 5
_TIMEOUT: Final = httpx.Timeout(10.0, connect=5.0)
_RETRIED: Final = frozenset({429, 500, 502, 503, 504})


class PushError(SpikecontentError):
    """A helpdesk refused a request, or kept failing after every retry.

    ``written`` names the macros written before it (``"create <id>"``...): running the
    push again finishes the job.
    """

    written: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Reply:
    """A successful answer: its decoded JSON (None when empty) and its headers."""

    body: Any
    headers: httpx.Headers
    next_page: str | None = None
    """The path of the next page, when the answer links one (``Link: <...>; rel="next"``)."""


class Api:
    """One helpdesk's API at ``base_url``, with its authentication."""

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | tuple[str, str],
        *,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = httpx.Client(base_url=base_url.rstrip("/"), auth=auth, timeout=_TIMEOUT)
        self.backoff = backoff
        self.sleep = sleep

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def request(
        self, method: str, path: str, *, json: Any = None, macro: str = "", params: Any = None
    ) -> Any:
        """The decoded JSON answer (None for an empty one)."""
        return self.send(method, path, json=json, macro=macro, params=params).body

    def send(
        self, method: str, path: str, *, json: Any = None, macro: str = "", params: Any = None
    ) -> Reply:
        """The answer with its headers (some helpdesks name a new record only there)."""
        delay = self.backoff
        what = f"{method} {path}" + (f" (macro {macro})" if macro else "")
        for attempt in range(1, ATTEMPTS + 1):
            try:
                response = self._client.request(method, path, json=json, params=params)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}"
            else:
                if response.status_code < 400:
                    body = response.json() if response.content else None
                    return Reply(body=body, headers=response.headers, next_page=_next(response))
                if response.status_code not in _RETRIED:
                    raise PushError(f"{what}: {response.status_code} {_vendor_message(response)}")
                problem = f"{response.status_code}"
                delay = max(delay, _retry_after(response))
            if attempt < ATTEMPTS:
                self.sleep(delay)
                delay *= 2
        raise PushError(f"{what}: still failing after {ATTEMPTS} attempts ({problem})")


def _next(response: httpx.Response) -> str | None:
    url = response.links.get("next", {}).get("url")
    if not url:
        return None
    # The link is absolute; the client's base URL already names the host.
    parsed = httpx.URL(url)
    return parsed.raw_path.decode("ascii")


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 0.0  # an HTTP date: the backoff decides


def _vendor_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        for key in ("description", "error", "message", "details", "errors"):
            if key in body:
                return str(body[key])[:500]
    return str(body)[:500]
