"""Feeds as RSS 2.0 or Atom 1.0 bytes, through feedgen, with its known traps handled.

- Every date is set explicitly: feedgen fills ``updated``/``lastBuildDate`` with the build
  time otherwise. Here they are the newest entry's date.
- The RSS channel ``<link>`` is whatever ``link()`` was called last, so the self link is
  set first and the alternate (the page) last.
- Entries are appended in order (``order="append"``); feedgen prepends by default.
- Entry link attributes are dropped by feedgen (issue #135): each entry gets one link.
- ``id()`` gives the Atom id and an RSS guid with ``isPermaLink="false"``.
"""

from __future__ import annotations

import datetime

import attrs

from spikecontent.model import Site
from spikecontent.writers.feeds.entries import Entry, tag_uri

__all__ = ["Feed", "render_feed"]

_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
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
    # Imported here: feedgen brings lxml, and only rendering needs them (validate and lint
    # load every writer to read the wording its profile adds).
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.id(tag_uri(site, feed.specific, feed.updated.year))
    generator.title(feed.title)
    generator.subtitle(feed.subtitle)  # also the RSS <description>
    generator.author({"name": site.name, "uri": site.base_url})
    generator.language(site.language)
    generator.generator("spikecontent")
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    generator.ttl(feed.ttl)
    generator.link(href=feed.self_url, rel="self", type=_TYPES[form])
    generator.link(href=feed.link, rel="alternate")  # last: it becomes the RSS <link>
    for entry in feed.entries:
        item = generator.add_entry(order="append")
        item.id(entry.id)
        item.title(entry.title)
        item.link(href=entry.link)
        item.summary(entry.summary)
        item.content(entry.content_html, type="html")
        item.published(entry.updated)
        item.updated(entry.updated)
        for term in entry.categories:
            item.category(term=term)
    if form == "rss":
        data: bytes = generator.rss_str(pretty=True)
    else:
        data = generator.atom_str(pretty=True)
    return data
