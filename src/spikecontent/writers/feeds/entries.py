"""Feed entries from the content: one per article revision, with ids that never change.

Nothing here knows a feed format. Each revision becomes an :class:`Entry` whose id is a tag
URI (RFC 4151) minted from the site's domain, the article slug and the revision's date;
a second revision on the same day gets ``-2``, and so on. Appending revisions never
changes an earlier entry's id. Revision dates are calendar days: an entry's time is the
start of that day in the site's time zone, so every timestamp is timezone-aware.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape
from urllib.parse import urlsplit

import attrs

from spikecontent.model import Article, Library, Site

__all__ = ["Entry", "article_entries", "revisions_newest_first", "tag_uri"]


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
    """The revision's place in its article's history (0 is the oldest)."""


def tag_uri(site: Site, specific: str, year: int) -> str:
    """``tag:<domain>,<year>:<specific>``."""
    return f"tag:{urlsplit(site.base_url).hostname},{year}:{specific}"


def article_entries(library: Library, article: Article) -> list[Entry]:
    """An entry per revision of ``article``, oldest first."""
    site = library.site
    url = library.resolve_href(article.canonical_path)
    disclaimer = library.disclaimer(article.disclaimer) if article.disclaimer else None
    entries: list[Entry] = []
    same_day: dict[datetime.date, int] = {}
    for position, revision in enumerate(article.revisions):
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
    """``(slug, position)`` of each revision of ``articles``, newest first; ties by slug,
    then by later revision first. Feeds list their entries in this order, and the site's
    plans its parts in it without making the entries (an entry's date is its revision's
    day)."""
    found = sorted(
        ((a.slug, position, r.date) for a in articles for position, r in enumerate(a.revisions)),
        key=lambda revision: revision[0],
    )
    found.sort(key=lambda revision: (revision[2], revision[1]), reverse=True)
    return [(slug, position) for slug, position, _ in found]
