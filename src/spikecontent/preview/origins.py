"""Which requests the preview answers: its own names only, against DNS rebinding.

The preview serves drafts to anyone who can reach it, trusting that only the editor's
machine can. A page on ``attacker.example`` can break that trust without reaching the
machine itself: it makes its own name resolve to ``127.0.0.1`` (DNS rebinding), and the
editor's browser then reads the preview as a same-origin page of ``attacker.example``.
The browser still sends ``Host: attacker.example:PORT``, so answering only the names
the preview is really reached by closes that door; the Origin rule keeps other sites'
pages from opening event streams (and so from holding the streams' few slots).
"""

from __future__ import annotations

from collections.abc import Iterable
from email.message import Message

__all__ = ["LOOPBACK_NAMES", "accepted_hosts", "origin_allowed", "request_host"]

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
"""Names that reach this machine only, whatever DNS says."""

_OWN_SITE = ("same-origin", "none")
"""``Sec-Fetch-Site`` values of the preview's own pages and of an address typed in."""


def accepted_hosts(names: Iterable[str], port: int) -> frozenset[str]:
    """Every ``Host`` value that names the preview: the loopback names and ``names``
    (the host given and the address bound), with the port (without it too on port 80,
    where browsers leave it out)."""
    hosts = {_bracketed(name.lower()) for name in (*LOOPBACK_NAMES, *names)}
    accepted = {f"{host}:{port}" for host in hosts}
    if port == 80:
        accepted |= hosts
    return frozenset(accepted)


def request_host(headers: Message, accepted: frozenset[str]) -> str | None:
    """The request's ``Host`` (in lower case) if it is one of ``accepted``; ``None`` if
    it is not, is missing, or is sent twice (which may be read either way)."""
    hosts = headers.get_all("Host") or []
    if len(hosts) != 1 or hosts[0].lower() not in accepted:
        return None
    return str(hosts[0]).lower()


def origin_allowed(headers: Message, host: str) -> bool:
    """Whether a request for ``/events`` comes from the preview's own pages (or from no
    page at all, such as curl), given its ``Host`` (already accepted).

    A foreign page's request always names its origin: browsers send ``Origin`` on every
    cross-origin EventSource and fetch. Chromium sends none for the same origin's
    (it sends ``Sec-Fetch-Site: same-origin``), so a missing ``Origin`` is the page's own
    request, or one from a program that is no web page; ``Sec-Fetch-Site`` then refuses
    what a foreign page can still make without ``Origin``, such as a frame of
    ``/events``.
    """
    origin = headers.get("Origin")
    if origin is not None:
        return origin.lower() == f"http://{host}"
    site = headers.get("Sec-Fetch-Site")
    return site is None or site.lower() in _OWN_SITE


def _bracketed(name: str) -> str:
    # An IPv6 address is written in brackets in Host and Origin, as in a URL.
    return f"[{name}]" if ":" in name and not name.startswith("[") else name
