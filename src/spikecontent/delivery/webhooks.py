"""The publish hook: after a reload that changed something, tell whoever asked.

Each hook URL receives a POST of a JSON summary (the new and the previous snapshot
version, every changed artifact with its new ETag, every removed one), for CDN purges and
frontend rebuilds. Each delivery follows Standard Webhooks (standardwebhooks.com):
``webhook-id`` (one per change, the same on every retry: a receiver drops a repeat),
``webhook-timestamp`` (Unix seconds of the attempt) and, with
``SPIKECONTENT_WEBHOOK_SECRET`` set, ``webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">``, so a receiver refuses a delivery replayed later than its
tolerance (five minutes in the reference libraries). A secret written ``whsec_<base64>``
(the standard's form) is the base64-decoded key; any other is its UTF-8 bytes. The body
is also signed, without the timestamp, in ``X-Spikecontent-Signature: sha256=<hex>`` (the
scheme GitHub's webhooks use), for receivers written before. Deliveries run in their own
threads, retried with exponential backoff and logged: serving never waits for them.

A hook URL often carries a credential (``?token=...``, ``https://user:secret@...``), so
the URLs are read from ``SPIKECONTENT_ON_CHANGE`` or a file as well as from
``--on-change`` (whose value every user sees in the process list), and every log line
names a URL without its userinfo, query and fragment (:func:`redacted`). Userinfo is sent
as HTTP Basic authentication, never as part of the address. A redirect is never
followed: a 3xx answer is an error naming its status, not retried, so neither the body
nor a credential ever goes to an address that was not configured.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Mapping, Sequence
from email.message import Message
from pathlib import Path
from typing import IO, Final, NoReturn

import attrs

__all__ = [
    "HOOKS_VARIABLE",
    "SECRET_VARIABLE",
    "SIGNATURE_HEADER",
    "THREAD_NAME",
    "Change",
    "HookError",
    "Publisher",
    "hook_urls",
    "payload",
    "redacted",
    "signature",
    "standard_headers",
]

HOOKS_VARIABLE: Final = "SPIKECONTENT_ON_CHANGE"
"""Hook URLs from the environment, separated by whitespace."""
SECRET_VARIABLE: Final = "SPIKECONTENT_WEBHOOK_SECRET"
SIGNATURE_HEADER: Final = "X-Spikecontent-Signature"
THREAD_NAME: Final = "spikecontent-hook"
"""The name of every delivery's thread."""
_SECRET_PREFIX: Final = "whsec_"
_ATTEMPTS: Final = 5
_TIMEOUT_SECONDS: Final = 5.0

log = logging.getLogger("spikecontent.serve")


@attrs.frozen(kw_only=True)
class Change:
    """What a reload changed, for the publish hook: artifact ETags by ``writer/path``."""

    version: str
    previous_version: str
    changed: dict[str, str]
    """Artifacts that are new or whose bytes changed, with their new ETags."""
    removed: tuple[str, ...]


class HookError(ValueError):
    """A hook URL that cannot be used; the message names it redacted."""


def redacted(url: str) -> str:
    """``url`` as the log may show it: without userinfo, query and fragment, where a
    credential usually is (``https://host/hook?token=...`` is ``https://host/hook``)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = ":?"
    return urllib.parse.urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def hook_urls(
    given: Iterable[str] = (),
    *,
    file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """The hook URLs: ``given`` (``--on-change``), then those in ``file`` and in
    :data:`HOOKS_VARIABLE` of ``environ``, separated by whitespace (in the file, a line
    starting with ``#`` is a comment), each once. :class:`HookError` for one that is not
    ``http`` or ``https`` with a host, or a file that cannot be read."""
    urls = list(given)
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise HookError(f"--on-change-file: cannot read {file}: {error}") from None
        for line in text.splitlines():
            if not line.lstrip().startswith("#"):
                urls.extend(line.split())
    urls.extend((environ or {}).get(HOOKS_VARIABLE, "").split())
    for url in urls:
        _check(url)
    return tuple(dict.fromkeys(urls))


def _check(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HookError(f"hook URL {redacted(url)!r}: use an http:// or https:// URL with a host")
    try:
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError:
        raise HookError(f"hook URL {redacted(url)!r}: the port is not a number") from None


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
    """The ``X-Spikecontent-Signature`` header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _key(secret: str) -> bytes:
    if secret.startswith(_SECRET_PREFIX):
        return base64.b64decode(secret.removeprefix(_SECRET_PREFIX) + "==")
    return secret.encode()


def standard_headers(
    body: bytes, message_id: str, timestamp: int, secret: str | None
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt: ``webhook-id``,
    ``webhook-timestamp`` and, with a secret, ``webhook-signature``."""
    headers = {"webhook-id": message_id, "webhook-timestamp": str(timestamp)}
    if secret:
        signed = f"{message_id}.{timestamp}.".encode() + body
        digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
        headers["webhook-signature"] = "v1," + base64.b64encode(digest).decode("ascii")
    return headers


class Publisher:
    """Posts each :class:`Change` to every URL, in the background."""

    def __init__(
        self, urls: Sequence[str], secret: str | None = None, *, first_delay: float = 0.5
    ) -> None:
        for url in urls:
            _check(url)
        self.urls = tuple(urls)
        self.secret = secret
        self.first_delay = first_delay
        self.opener = urllib.request.build_opener(_NotFollowed())

    def __call__(self, change: Change) -> None:
        body = payload(change)
        for url in self.urls:
            message_id = f"msg_{uuid.uuid4().hex}"  # one per change and receiver
            thread = threading.Thread(
                target=self._deliver,
                args=(url, body, message_id),
                name=THREAD_NAME,
                daemon=True,
            )
            thread.start()

    def _deliver(self, url: str, body: bytes, message_id: str = "") -> bool:
        shown = redacted(url)
        address, headers = _request_parts(url)
        message_id = message_id or f"msg_{uuid.uuid4().hex}"
        if self.secret:
            headers[SIGNATURE_HEADER] = signature(body, self.secret)
        delay = self.first_delay
        for attempt in range(1, _ATTEMPTS + 1):
            # Signed again on each attempt: the timestamp is the attempt's.
            stamped = standard_headers(body, message_id, int(time.time()), self.secret)
            request = urllib.request.Request(
                address, data=body, headers={**headers, **stamped}, method="POST"
            )
            try:
                with self.opener.open(request, timeout=_TIMEOUT_SECONDS) as response:
                    log.info("publish hook %s: %s", shown, response.status)
                    return True
            except urllib.error.HTTPError as error:
                error.close()  # the error holds the response open
                if 300 <= error.code < 400:
                    location = error.headers.get("Location") if error.headers else None
                    log.error(
                        "publish hook %s: the receiver answered %d, a redirect%s; redirects"
                        " are not followed: give the URL it names (not delivered)",
                        shown,
                        error.code,
                        f" to {redacted(urllib.parse.urljoin(url, location))}" if location else "",
                    )
                    return False
                log.warning("publish hook %s, attempt %d: HTTP %d", shown, attempt, error.code)
            except (urllib.error.URLError, OSError, ValueError) as error:
                said = str(error).replace(url, shown).replace(address, shown)
                log.warning("publish hook %s, attempt %d: %s", shown, attempt, said)
            if attempt < _ATTEMPTS:
                time.sleep(delay)
                delay *= 2
        log.error("publish hook %s: gave up after %d attempts", shown, _ATTEMPTS)
        return False


def _request_parts(url: str) -> tuple[str, dict[str, str]]:
    """The address to post to (``url`` without its userinfo) and the request headers,
    with the userinfo as HTTP Basic authentication (RFC 7617)."""
    headers = {"Content-Type": "application/json", "User-Agent": "spikecontent"}
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, headers
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    pair = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}"
    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=hostport)), headers


class _NotFollowed(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: the 3xx answer reaches the caller as an ``HTTPError``.
    (urllib would follow a 302 to wherever it points, as a GET without the body.)"""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> NoReturn:
        raise urllib.error.HTTPError(req.full_url, code, msg, headers, fp)
