"""The link policy every channel shares: which ids and link targets content may use."""

from __future__ import annotations

import ipaddress
import re
from typing import Final

__all__ = [
    "ARTICLE_SCHEME",
    "ID_PATTERN",
    "PAGE_SCHEME",
    "check_href",
    "check_id",
    "is_loopback_host",
]

ID_PATTERN: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PAGE_SCHEME: Final = "page:"
ARTICLE_SCHEME: Final = "article:"
"""A link to another article of the content, by slug: ``article:<slug>``."""
_ABSOLUTE_SCHEMES: Final = ("https://", "http://", "mailto:")


def check_id(value: str) -> str | None:
    """Return why ``value`` is not a valid id (lowercase kebab-case), or None."""
    if ID_PATTERN.fullmatch(value):
        return None
    return "use lowercase letters, digits and single hyphens, e.g. 'hohmann-2012'"


def check_href(value: str) -> str | None:
    """Return why ``value`` is not an allowed link target, or None when it is.

    Allowed: ``page:<id>`` (a page declared in site.yaml), ``article:<slug>`` (another
    article of the content), a site-relative path starting
    with ``/``, and absolute ``https://``, ``http://`` or ``mailto:`` URLs. Everything else
    (``file:``, ``javascript:``, ``data:``, protocol-relative or bare relative paths) is
    refused so that no channel ever links to, or fetches, something local or scriptable.
    """
    if value.startswith(PAGE_SCHEME):
        if ID_PATTERN.fullmatch(value.removeprefix(PAGE_SCHEME)):
            return None
        return "a page link must be 'page:<page-id>'"
    if value.startswith(ARTICLE_SCHEME):
        if ID_PATTERN.fullmatch(value.removeprefix(ARTICLE_SCHEME)):
            return None
        return "an article link must be 'article:<slug>'"
    if value.startswith("/") and not value.startswith("//"):
        return None
    if value.startswith(_ABSOLUTE_SCHEMES) and len(value) > len("https://"):
        return None
    return (
        "links must be 'page:<id>', 'article:<slug>', a site path starting with '/', or an"
        " https:// URL"
    )


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a URL's host) names this machine: ``localhost`` or a loopback
    address. Plain http:// is allowed to such hosts only (tests, local mirrors)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
