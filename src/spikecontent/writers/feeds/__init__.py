"""The ``rss`` writer: update feeds in RSS 2.0 and Atom 1.0, for the site and per article.

Each feed holds one entry per article revision (see :mod:`.entries`), newest first. Every
date comes from the content: a feed's ``updated`` and ``lastBuildDate`` are its newest
entry's date, never the build time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from spikecontent.model import ARTICLES
from spikecontent.model.fields import FieldError
from spikecontent.pipeline import Artifact, HealthText, Writer
from spikecontent.writers.feeds.entries import article_entries, newest_first
from spikecontent.writers.feeds.readback import feed_entries
from spikecontent.writers.feeds.xml import Feed, render_feed

__all__ = ["FeedOptions", "FeedWriter"]

_FORMATS = ("rss", "atom")
_SITE = "site"


def _url_path(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not (value.startswith("/") and value.endswith("/")) or "//" in value:
        raise FieldError(attribute.name, f"{value!r} is not a site path", "write it like '/feeds/'")


def _ttl(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise FieldError(attribute.name, f"must be at least 1, got {value}", "use minutes, e.g. 60")


@attrs.frozen(kw_only=True)
class FeedOptions:
    """Options of the ``rss`` writer."""

    path: str = attrs.field(default="/feeds/", validator=_url_path)
    """Where the website serves this profile's output folder; self links point there."""
    ttl: int = attrs.field(default=60, validator=_ttl)
    """Minutes an RSS reader may cache the feed."""


class FeedWriter(Writer[FeedOptions]):
    """RSS 2.0 and Atom 1.0 feeds of article revisions."""

    name = "rss"
    version = "1"
    description = "Update feeds (RSS 2.0 and Atom 1.0): site-wide and per article"
    options = FeedOptions

    def plan(self) -> Iterator[Artifact]:
        """``site.rss.xml``, ``site.atom.xml``, and both for each article."""
        context = self.context
        everything = tuple(ARTICLES.key(a.slug) for a in context.articles)
        for form in _FORMATS:
            yield Artifact(path=f"site.{form}.xml", entries=everything, subject=_SITE)
        for article in context.articles:
            for form in _FORMATS:
                yield Artifact(
                    path=f"articles/{article.slug}.{form}.xml",
                    entries=(ARTICLES.key(article.slug),),
                    subject=article.slug,
                )

    def render(self, artifact: Artifact) -> bytes:
        """One feed in the format its file name says."""
        context = self.context
        library = context.library
        site = library.site
        form = artifact.path.rsplit(".", 2)[-2]
        self_url = f"{site.base_url.rstrip('/')}{context.options.path}{artifact.path}"
        if artifact.subject == _SITE:
            articles = context.articles
            title, subtitle = site.name, f"Updates to the articles of {site.name}"
            link, specific = site.base_url, "feeds/site"
        else:
            article = library.article(artifact.subject)
            articles = (article,)
            title, subtitle = f"{article.title} ({site.name})", article.description
            link = library.resolve_href(article.canonical_path)
            specific = f"feeds/articles/{article.slug}"
        entries = newest_first(e for a in articles for e in article_entries(library, a))
        modified = max((a.modified for a in articles), default=None)
        feed = Feed(
            specific=specific,
            title=title,
            subtitle=subtitle,
            link=link,
            self_url=self_url,
            entries=tuple(entries),
            ttl=context.options.ttl,
            modified=site.day_start(modified) if modified else None,
        )
        return render_feed(feed, site, form)

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """Each entry's content, as a feed reader shows it."""
        for ident, slug, text in feed_entries(data):
            yield HealthText(part=f"entry {ident}", article=slug, text=text)
