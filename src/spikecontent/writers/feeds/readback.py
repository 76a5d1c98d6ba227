"""Read a rendered feed back: each entry's id, article and the text a reader sees."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

from spikecontent.writers.readback import html_text

__all__ = ["feed_entries", "part_entries"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
# A feed's root, declaring what its entries use, around one entry read back alone.
_ROOTS = {
    "rss": (b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/">', b"</rss>"),
    "atom": (b'<feed xmlns="http://www.w3.org/2005/Atom">', b"</feed>"),
}
# The entry ids that entries.article_entries mints: tag:...:articles/<slug>/revisions/<date>.
_ARTICLE = re.compile(r":articles/([^/]+)/revisions/")


def feed_entries(data: bytes) -> Iterator[tuple[str, str, str]]:
    """``(entry id, article slug, text)`` for each entry of an RSS or Atom feed we wrote."""
    # The bytes are our own feedgen output, not input from outside: the standard parser is
    # safe here.
    root = ElementTree.fromstring(data)
    if root.tag == f"{_ATOM}feed":
        entries = [
            (e.findtext(f"{_ATOM}id", ""), e.findtext(f"{_ATOM}content", ""))
            for e in root.iter(f"{_ATOM}entry")
        ]
    else:
        entries = [
            (item.findtext("guid", ""), item.findtext(_CONTENT, "")) for item in root.iter("item")
        ]
    for ident, content in entries:
        found = _ARTICLE.search(ident)
        if found:
            yield ident, found.group(1), html_text(content)


def part_entries(data: bytes, form: str) -> Iterator[tuple[str, str, str]]:
    """:func:`feed_entries` of one ``"rss"`` or ``"atom"`` entry made for a feed."""
    start, end = _ROOTS[form]
    return feed_entries(start + data + end)
