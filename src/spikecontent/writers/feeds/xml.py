"""Feeds as RSS 2.0 or Atom 1.0 bytes, through feedgen, with its known traps handled.

- Every date is set explicitly: feedgen fills ``updated``/``lastBuildDate`` with the build
  time otherwise. Here they are the newest entry's date.
- The RSS channel ``<link>`` is whatever ``link()`` was called last, so the self link is
  set first and the alternate (the page) last.
- Entries are appended in order (``order="append"``); feedgen prepends by default.
- Entry link attributes are dropped by feedgen (issue #135): each entry gets one link.
- ``id()`` gives the Atom id and an RSS guid with ``isPermaLink="false"``.

A feed of many entries (the site's) is also made in pieces: :func:`feed_frame` is the feed
around its entries and :func:`entry_xml` one entry as it stands in the whole feed, so that
an export renders again only the entries that changed. Both come from the same feedgen
calls as :func:`render_feed`, and their concatenation is its bytes.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

import attrs

from spikecontent.model import Site
from spikecontent.writers.feeds.entries import Entry, tag_uri

__all__ = ["Feed", "entry_xml", "feed_frame", "render_feed"]

_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
_ATOM = "http://www.w3.org/2005/Atom"
# The namespaces feedgen declares on an RSS feed's root: an entry rendered on a root that
# declares them is written with their prefixes, as it is inside the whole feed.
_RSS_NAMESPACES = {"atom": _ATOM, "content": "http://purl.org/rss/1.0/modules/content/"}
# Where the entries stand in a pretty-printed feed: after its other elements, before these.
_TAILS = {"rss": b"  </channel>\n</rss>\n", "atom": b"</feed>\n"}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@attrs.frozen(kw_only=True)
class Feed:
    """What one feed says, in either format."""

    specific: str
    """The feed's own part of its tag URI, e.g. ``feeds/site``."""
    title: str
    subtitle: str
    link: str
    self_url: str
    entries: tuple[Entry, ...]
    """Newest first."""
    ttl: int
    modified: datetime.datetime | None = None
    """Used as the feed's date when it has no entries yet."""

    @property
    def updated(self) -> datetime.datetime:
        """The newest entry's date (or the content's, for an empty feed); never now."""
        if self.entries:
            return max(entry.updated for entry in self.entries)
        return self.modified or _EPOCH


def render_feed(feed: Feed, site: Site, form: str) -> bytes:
    """``feed`` as ``"rss"`` or ``"atom"`` XML."""
    generator = _channel(feed, site, form)
    for entry in feed.entries:
        _describe(generator.add_entry(order="append"), entry, form)
    return _serialized(generator, form)


def feed_frame(feed: Feed, site: Site, form: str) -> tuple[bytes, bytes]:
    """The bytes of ``feed`` before its entries and after them. Its entries are not
    rendered: give it none, and their newest date as its ``modified``."""
    data = _serialized(_channel(feed, site, form), form)
    tail = _TAILS[form]
    if feed.entries or not data.endswith(tail):
        raise ValueError(f"a feed frame is a {form} feed without entries")
    return data[: -len(tail)], tail


def entry_xml(entry: Entry, form: str) -> bytes:
    """``entry`` as it stands, indented, in a ``"rss"`` or ``"atom"`` feed."""
    from feedgen.entry import FeedEntry
    from lxml import etree

    item = FeedEntry()
    _describe(item, entry, form)
    if form == "rss":
        root = etree.Element("rss", nsmap=_RSS_NAMESPACES, version="2.0")
        etree.SubElement(root, "channel").append(item.rss_entry())
    else:
        root = etree.Element("feed", xmlns=_ATOM)  # as feedgen makes it
        root.append(item.atom_entry())
    text: bytes = etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=False)
    start = text.index(b">\n", text.index(b"<channel>" if form == "rss" else b"<feed")) + 2
    return text[start : -len(_TAILS[form])]


def _channel(feed: Feed, site: Site, form: str) -> Any:
    """A feedgen generator holding everything of ``feed`` but its entries."""
    # Imported here: feedgen brings lxml, and only rendering needs them (validate and lint
    # load every writer to read the wording its profile adds).
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.id(tag_uri(site, feed.specific, feed.updated.year))
    generator.title(feed.title)
    generator.subtitle(_as(form, feed.subtitle))  # also the RSS <description>
    generator.author({"name": site.name, "uri": site.base_url})
    generator.language(site.language)
    generator.generator("spikecontent")
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    generator.ttl(feed.ttl)
    generator.link(href=feed.self_url, rel="self", type=_TYPES[form])
    generator.link(href=feed.link, rel="alternate")  # last: it becomes the RSS <link>
    return generator


def _describe(item: Any, entry: Entry, form: str) -> None:
    """Give feedgen's ``item`` everything ``entry`` says."""
    item.id(entry.id)
    item.title(entry.title)
    item.link(href=entry.link)
    item.summary(_as(form, entry.summary))
    item.content(entry.content_html, type="html")
    item.published(entry.updated)
    item.updated(entry.updated)
    for term in entry.categories:
        item.category(term=term)


def _as(form: str, text: str) -> str:
    """Plain ``text`` as the element that carries it holds it: an RSS ``<description>`` is
    HTML to readers (the RSS 2.0 specification, rssboard.org: "entity-encoded HTML is
    allowed"; feedparser reports it as text/html), so its text is escaped as HTML before
    XML escapes it again; Atom's ``<summary>`` and ``<subtitle>`` with no type are text
    (RFC 4287, 3.1.1)."""
    return html.escape(text, quote=False) if form == "rss" else text


def _serialized(generator: Any, form: str) -> bytes:
    if form == "rss":
        data: bytes = generator.rss_str(pretty=True)
    else:
        data = generator.atom_str(pretty=True)
    return data
