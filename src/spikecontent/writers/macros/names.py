"""Each article's short name: what its replies are grouped under in the helpdesks.

Agents find a reply by the name its helpdesk lists ("Acupressure Mat Benefits: Is it
safe?"), and Zendesk, Help Scout and Freshdesk know a macro by that name, so a name
should change only when the article's own title does. A name is its title's lead (up to
the first colon or dash). Two articles whose leads are the same cannot both have it: the
one that was there first keeps it, and the later one is named by its whole title (by
its slug where an earlier one has that name too). "First" is read from the content, so
that the same articles always get the same names: the earlier ``published`` date, an
article with none after those with one, the slug between equals. So a new article, or a
changed title, renames no article published before it; an article's name depends only
on its own title and the articles before it that share its lead.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Mapping

import attrs

__all__ = ["Named", "short_names"]

_LEAD = re.compile(r"\s*(?::|\u2014|\u2013| - |\|)\s*")


@attrs.frozen(kw_only=True)
class Named:
    """What an article's short name is made from."""

    title: str
    published: datetime.date | None = None


def lead(title: str) -> str:
    """``title`` up to its first colon or dash ("Acupressure Mat Benefits"); the whole
    title when nothing comes before it."""
    return _LEAD.split(title, maxsplit=1)[0].strip() or title


def short_names(articles: Mapping[str, Named]) -> dict[str, str]:
    """Each article's short name, by slug (sorted): see the module's docstring."""
    groups: dict[str, list[str]] = {}
    for slug, named in articles.items():
        groups.setdefault(lead(named.title), []).append(slug)
    names: dict[str, str] = {}
    for shared, slugs in groups.items():
        taken: set[str] = set()
        for slug in sorted(slugs, key=lambda slug: _seniority(slug, articles[slug])):
            # The first of a group has the lead; a later one its whole title, unless an
            # earlier one has that (the same title, or a title that is its own lead).
            title = articles[slug].title
            numbered = (f"{slug} ({number})" for number in itertools.count(2))
            candidates = itertools.chain((shared, title, slug), numbered)
            name = next(n for n in candidates if n not in taken)
            names[slug] = name
            taken.add(name)
    return dict(sorted(names.items()))


def _seniority(slug: str, named: Named) -> tuple[bool, datetime.date, str]:
    """Who was there first: published earlier; undated after dated; then by slug."""
    published = named.published
    return (published is None, published or datetime.date.min, slug)
