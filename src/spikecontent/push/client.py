"""HTTP to a helpdesk's API: timeouts, bounded retries that honour ``Retry-After``, clear
errors.

A 429 or a 5xx (or a dropped connection) is retried with exponential backoff, waiting at
least what ``Retry-After`` asks, and never longer in all than ``max_wait`` seconds: a
helpdesk asking for more stops the push at once with a message saying so. Any other 4xx
is a :class:`PushError` naming the request and quoting the vendor's message. A redirect is
never followed (it would send the credentials wherever it points): it is an error naming
the status and where it pointed. A success that is not JSON is an error with an excerpt,
never a traceback.

Credentials travel in the ``Authorization`` header only and are never part of a message:
errors name the method and the path, not the URL, and every excerpt of an answer has the
account's secrets (and anything following ``Basic`` or ``Bearer``) replaced by
``[redacted]`` before it is cut, as a helpdesk may echo the header it received.
"""

from __future__ import annotations

import base64
import email.utils
import re
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Final, NoReturn

import attrs
import httpx

from spikecontent.diagnostics import SpikecontentError

__all__ = ["ATTEMPTS", "DEFAULT_MAX_WAIT", "Api", "PushError", "Reply", "Secrets"]

ATTEMPTS: Final = 5
DEFAULT_MAX_WAIT: Final = 300.0
"""Seconds a push may spend waiting for a helpdesk that asks it to (429, 5xx), in all."""
_TIMEOUT: Final = httpx.Timeout(10.0, connect=5.0)
_RETRIED: Final = frozenset({429, 500, 502, 503, 504})
_EXCERPT: Final = 160
"""Characters of an answer quoted in a message."""


class PushError(SpikecontentError):
    """A helpdesk refused a request, answered what its documentation does not describe,
    or kept failing after every retry.

    ``written`` names the macros written before it (``"create <id>"``...): running the
    push again finishes the job.
    """

    written: tuple[str, ...] = ()


_CREDENTIAL: Final = re.compile(r"(?i)\b(basic|bearer|token)(\s*[:=]?\s*)[A-Za-z0-9+/=._~%-]{6,}")


@attrs.frozen
class Secrets:
    """The values no message may show: the account's secrets as read, and the forms they
    travel in (the Basic credentials in base64)."""

    values: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str], auth: Any) -> Secrets:
        """The secrets ``values`` and the encoded form of ``auth`` (a Basic user and
        password pair)."""
        found = [v for v in values if v]
        if isinstance(auth, tuple):
            user, password = auth
            found.append(base64.b64encode(f"{user}:{password}".encode()).decode())
        # Longest first: a secret that contains another is replaced whole.
        return cls(tuple(sorted(set(found), key=len, reverse=True)))

    def redact(self, text: str) -> str:
        """``text`` with every secret, and whatever follows ``Basic`` or ``Bearer``,
        replaced by ``[redacted]``."""
        for value in self.values:
            text = text.replace(value, "[redacted]")
        return _CREDENTIAL.sub(r"\1\2[redacted]", text)

    def excerpt(self, text: str) -> str:
        """A short, one-line, printable and redacted quotation of ``text``."""
        flat = " ".join(self.redact(text).split())
        printable = "".join(c if c.isprintable() else "?" for c in flat)
        if len(printable) > _EXCERPT:
            printable = printable[:_EXCERPT] + "..."
        return repr(printable) if printable else "(empty)"


@attrs.frozen(kw_only=True)
class Reply:
    """A successful answer: its decoded JSON (None when empty) and its headers."""

    body: Any
    headers: httpx.Headers
    next_page: str | None = None
    """The path of the next page, when the answer links one (``Link: <...>; rel="next"``)."""
    request: str = ""
    """``METHOD /path`` (and the macro), for messages."""
    status: int = 200
    excerpt: str = ""
    """A redacted excerpt of the answer, for messages."""

    def unexpected(self, problem: str) -> NoReturn:
        """Stop: the answer is not what the vendor documents (``problem`` says how)."""
        raise PushError(
            f"{self.request}: {self.status} answer {problem}, not what the helpdesk's API"
            f" documents: {self.excerpt}"
        )


class Api:
    """One helpdesk's API at ``base_url``, with its authentication."""

    def __init__(
        self,
        base_url: str,
        auth: httpx.Auth | tuple[str, str],
        *,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = DEFAULT_MAX_WAIT,
        secrets: Secrets | None = None,
    ) -> None:
        # follow_redirects=False (httpx's default, said here as it matters): a redirect
        # would carry the Authorization header to wherever it points.
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"), auth=auth, timeout=_TIMEOUT, follow_redirects=False
        )
        self.backoff = backoff
        self.sleep = sleep
        self.max_wait = max_wait
        self.waited = 0.0
        """Seconds slept so far, waiting for the helpdesk."""
        self.secrets = secrets if secrets is not None else Secrets.of((), auth)

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
                status = response.status_code
                if 200 <= status < 300:
                    return self._reply(what, response)
                if 300 <= status < 400:
                    raise PushError(
                        f"{what}: {status} redirect to {_where(response)}: not followed (it"
                        " would take the credentials with it); check the helpdesk's URL"
                    )
                if status not in _RETRIED:
                    raise PushError(f"{what}: {status} {self._vendor_message(response)}")
                problem = f"{status}"
                asked = _retry_after(response)
                if asked > self.max_wait - self.waited:
                    raise PushError(
                        f"{what}: {status}, and the helpdesk asks to wait {asked:g} s"
                        f" (Retry-After), more than --max-wait leaves"
                        f" ({max(0.0, self.max_wait - self.waited):g} of {self.max_wait:g} s);"
                        " stopped without waiting"
                    )
                delay = max(delay, asked)
            if attempt < ATTEMPTS:
                left = self.max_wait - self.waited
                if left <= 0:
                    break
                pause = min(delay, left)  # never less than Retry-After: that fits in left
                self.sleep(pause)
                self.waited += pause
                delay *= 2
        raise PushError(
            f"{what}: still failing after {attempt} attempts ({problem};"
            f" {self.waited:g} s waited, --max-wait {self.max_wait:g} s)"
        )

    def _reply(self, what: str, response: httpx.Response) -> Reply:
        text = response.text if response.content else ""
        reply = Reply(
            body=None,
            headers=response.headers,
            next_page=_next(response),
            request=what,
            status=response.status_code,
            excerpt=self.secrets.excerpt(text),
        )
        if not response.content:
            return reply
        try:
            body = response.json()
        except ValueError:
            kind = response.headers.get("content-type", "no Content-Type")
            kind = "".join(c for c in self.secrets.redact(kind) if c.isprintable())[:60]
            reply.unexpected(f"is not JSON ({kind})")
        return attrs.evolve(reply, body=body)

    def _vendor_message(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return self.secrets.excerpt(response.text)
        if isinstance(body, dict):
            for key in ("description", "error", "message", "details", "errors"):
                if key in body:
                    return self.secrets.excerpt(str(body[key]))
        return self.secrets.excerpt(str(body))


def _where(response: httpx.Response) -> str:
    """Where a redirect points: scheme, host and path (no userinfo, no query)."""
    location = response.headers.get("location", "")
    try:
        url = response.url.join(location)
    except (httpx.InvalidURL, ValueError):
        return "an unreadable Location"
    return f"{url.scheme}://{url.host}{url.path}" if location else "nowhere (no Location)"


def _next(response: httpx.Response) -> str | None:
    url = response.links.get("next", {}).get("url")
    if not url:
        return None
    # The link is absolute; the client's base URL already names the host. A link to
    # another host is not followed there: only its path is asked of this helpdesk.
    parsed = httpx.URL(url)
    return parsed.raw_path.decode("ascii")


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)  # an HTTP date
    except (TypeError, ValueError, IndexError):
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
