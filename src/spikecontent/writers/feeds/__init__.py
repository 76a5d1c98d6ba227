"""The ``rss`` writer: update feeds in RSS 2.0 and Atom 1.0, for the site and per article.

Each feed holds an entry for each article's first publication and one per revision (see
:mod:`.entries`), newest first. Every
date comes from the content: a feed's ``updated`` and ``lastBuildDate`` are its newest
entry's date, never the build time. The site's feeds are composed, an entry per part: one
changed article renders its own entries again, not the thousands of the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from spikecontent.model import ARTICLES, Article, Site, Status
from spikecontent.model.fields import FieldError, must_be, site_folder
from spikecontent.sdk import Artifact, HealthText, Part, PartBytes, Writer, WriterWarning
from spikecontent.writers.feeds.entries import (
    Entry,
    article_entries,
    entry_dates,
    revisions_newest_first,
)
from spikecontent.writers.feeds.readback import feed_entries, part_entries
from spikecontent.writers.feeds.xml import Feed, entry_xml, feed_frame, render_feed

__all__ = ["FeedOptions", "FeedWriter"]

_FORMATS = ("rss", "atom")
_SITE = "site"


_url_path = must_be("a site path", site_folder, "write it like '/feeds/'")


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
    """RSS 2.0 and Atom 1.0 feeds of article publications and revisions."""

    name = "rss"
    version = "3"
    description = "Update feeds (RSS 2.0 and Atom 1.0): site-wide and per article"
    options = FeedOptions

    def plan(self) -> Iterator[Artifact]:
        """``site.rss.xml`` and ``site.atom.xml`` (an entry per part), and both for each
        article."""
        context = self.context
        everything = tuple(ARTICLES.key(a.slug) for a in context.articles)
        parts = tuple(
            Part(key=f"{slug}/{position}", entries=(ARTICLES.key(slug),))
            for slug, position in revisions_newest_first(context.articles)
        )
        for form in _FORMATS:
            yield Artifact(path=f"site.{form}.xml", entries=everything, subject=_SITE, parts=parts)
        for article in context.articles:
            for form in _FORMATS:
                yield Artifact.of_article(article, f"articles/{article.slug}.{form}.xml")

    def render(self, artifact: Artifact) -> bytes:
        """A feed, whole, in the format its file name says (the site's feeds are composed
        of their entries when exported: this is what they add up to)."""
        context = self.context
        if artifact.subject == _SITE:
            articles = context.articles
        else:
            articles = (context.library.article(artifact.subject),)
        made = {a.slug: article_entries(context.library, a) for a in articles}
        entries = [made[slug][position] for slug, position in revisions_newest_first(articles)]
        return render_feed(self._feed(artifact, articles, tuple(entries)), *self._where(artifact))

    def render_part(self, artifact: Artifact, part: Part) -> bytes:
        """One entry of the site's feed."""
        library = self.context.library
        slug, position = part.key.rsplit("/", 1)
        entry = article_entries(library, library.article(slug))[int(position)]
        return entry_xml(entry, self._where(artifact)[1])

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        """The site's feed around its entries."""
        articles = self.context.articles
        newest = max((day for a in articles for day in entry_dates(a)), default=None)
        site, form = self._where(artifact)
        feed = self._feed(artifact, articles, (), newest=newest)
        head, tail = feed_frame(feed, site, form)
        return b"".join([head, *parts, tail])

    def warnings(self) -> Iterator[WriterWarning]:
        """A published article no feed announces: no ``published`` date, no revision."""
        for article in self.context.articles:
            if article.status is Status.PUBLISHED and not entry_dates(article):
                yield WriterWarning(
                    path=f"articles/{article.slug}.atom.xml",
                    message=(
                        f"'{article.slug}' is in no feed: it has no first-publication date"
                        " and no revision; fill articles/"
                        f"{article.slug}.yaml: published (the day it first went live)"
                    ),
                )

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """Each entry's content, as a feed reader shows it."""
        if artifact.parts is None:
            found = feed_entries(data)
        else:
            found = part_entries(data, self._where(artifact)[1])
        for ident, slug, text in found:
            yield HealthText(part=f"entry {ident}", article=slug, text=text)

    def _where(self, artifact: Artifact) -> tuple[Site, str]:
        """The site, and the artifact's format as its file name says."""
        return self.context.library.site, artifact.path.rsplit(".", 2)[-2]

    def _feed(
        self,
        artifact: Artifact,
        articles: Sequence[Article],
        entries: tuple[Entry, ...],
        newest: datetime.date | None = None,
    ) -> Feed:
        """What the feed of ``articles`` says besides its ``entries``; ``newest`` is the
        newest entry's day, for a feed whose entries are rendered apart."""
        context = self.context
        library = context.library
        site = library.site
        self_url = f"{site.base_url.rstrip('/')}{context.options.path}{artifact.path}"
        if artifact.subject == _SITE:
            title, subtitle = site.name, f"Updates to the articles of {site.name}"
            link, specific = site.base_url, "feeds/site"
        else:
            article = articles[0]
            title, subtitle = f"{article.title} ({site.name})", article.description
            link = library.resolve_href(article.canonical_path)
            specific = f"feeds/articles/{article.slug}"
        modified = newest or max((a.modified for a in articles), default=None)
        return Feed(
            specific=specific,
            title=title,
            subtitle=subtitle,
            link=link,
            self_url=self_url,
            entries=entries,
            ttl=context.options.ttl,
            modified=site.day_start(modified) if modified else None,
        )
