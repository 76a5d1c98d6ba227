"""Feed entries from the content: an article's first publication and each of its
revisions, with ids that never change.

Nothing here knows a feed format. An article with a ``published`` date gets its first
entry on that day (its title and description: what a reader subscribing learns is new),
unless a revision is dated that same day (that revision already says it). Each revision
becomes an :class:`Entry` whose id is a tag URI (RFC 4151) minted from the site's domain,
the article slug and the revision's date; a second revision on the same day gets ``-2``,
and so on; the first publication's is ``.../published``. Appending revisions never
changes an earlier entry's id. Dates are calendar days: an entry's time is the start of
that day in the site's time zone, so every timestamp is timezone-aware. A published
article with neither a ``published`` date nor revisions has no entry (the writer warns).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

import attrs

from spikecontent.model import Article, Library, Site

__all__ = ["Entry", "article_entries", "entry_dates", "revisions_newest_first", "tag_uri"]


@attrs.frozen(kw_only=True)
class Entry:
    """One change to one article, ready for any feed format."""

    id: str
    title: str
    """Plain text."""
    link: str
    summary: str
    """Plain text: what changed."""
    content_html: str
    """The change, who reviewed it, and the disclaimer; every text escaped."""
    updated: datetime.datetime
    categories: tuple[str, ...]
    slug: str
    position: int
    """The entry's place in its article's history (0 is the oldest: the first
    publication, when it has an entry of its own)."""


def tag_uri(site: Site, specific: str, year: int) -> str:
    """``tag:<domain>,<year>:<specific>``."""
    return f"tag:{urlsplit(site.base_url).hostname},{year}:{specific}"


def _first_publication(article: Article) -> datetime.date | None:
    """The day of the article's first-publication entry: ``published``, unless a revision
    is dated that day."""
    day = article.published
    if day is None or any(revision.date == day for revision in article.revisions):
        return None
    return day


def entry_dates(article: Article) -> list[datetime.date]:
    """The day of each of the article's entries, in :func:`article_entries`' order."""
    first = _first_publication(article)
    return [*([first] if first else []), *(revision.date for revision in article.revisions)]


def article_entries(library: Library, article: Article) -> list[Entry]:
    """The entries of ``article``, oldest first: its first publication, then a revision
    each."""
    site = library.site
    url = library.resolve_href(article.canonical_path)
    disclaimer = library.disclaimer(article.disclaimer) if article.disclaimer else None
    entries: list[Entry] = []
    first = _first_publication(article)
    if first is not None:
        paragraphs = [article.description]
        if disclaimer is not None:
            paragraphs.append(f"{disclaimer.label}: {disclaimer.text}")
        entries.append(
            Entry(
                id=tag_uri(site, f"articles/{article.slug}/published", first.year),
                title=f"Published — {article.title}",
                link=url,
                summary=article.description,
                content_html="".join(f"<p>{escape(text)}</p>" for text in paragraphs),
                updated=site.day_start(first),
                categories=article.categories,
                slug=article.slug,
                position=0,
            )
        )
    offset = len(entries)
    same_day: dict[datetime.date, int] = {}
    for position, revision in enumerate(article.revisions, offset):
        same_day[revision.date] = same_day.get(revision.date, 0) + 1
        suffix = f"-{same_day[revision.date]}" if same_day[revision.date] > 1 else ""
        specific = f"articles/{article.slug}/revisions/{revision.date.isoformat()}{suffix}"
        reviewer = library.person(revision.reviewed_by) if revision.reviewed_by else None
        paragraphs = [revision.summary]
        if reviewer is not None:
            paragraphs.append(f"Reviewed by {reviewer.name}.")
        if disclaimer is not None:
            paragraphs.append(f"{disclaimer.label}: {disclaimer.text}")
        entries.append(
            Entry(
                id=tag_uri(site, specific, revision.date.year),
                title=f"{revision.summary.rstrip('.')} — {article.title}",
                link=url,
                summary=revision.summary,
                content_html="".join(f"<p>{escape(text)}</p>" for text in paragraphs),
                updated=site.day_start(revision.date),
                categories=article.categories,
                slug=article.slug,
                position=position,
            )
        )
    return entries


def revisions_newest_first(articles: Iterable[Article]) -> list[tuple[str, int]]:
    """``(slug, position)`` of each entry of ``articles`` (first publications and
    revisions), newest first; ties by slug, then by later entry first. Feeds list their
    entries in this order, and the site's plans its parts in it without making the
    entries (an entry's date is its day, :func:`entry_dates`)."""
    found = sorted(
        ((a.slug, position, day) for a in articles for position, day in enumerate(entry_dates(a))),
        key=lambda revision: revision[0],
    )
    found.sort(key=lambda revision: (revision[2], revision[1]), reverse=True)
    return [(slug, position) for slug, position, _ in found]
