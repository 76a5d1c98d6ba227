"""The shapes of the API's own JSON bodies, for its OpenAPI document.

Documents that writers make are described by the model classes themselves (a study is a
:class:`~spikecontent.model.Study`); these classes describe what only the API adds: the
article list envelope, errors, the health check and the macro list.
"""

from __future__ import annotations

import attrs

__all__ = [
    "ArticlePage",
    "ArticleSummary",
    "ErrorBody",
    "Health",
    "Labels",
    "Liveness",
    "MacroEntry",
    "Passage",
    "Readiness",
    "SearchHit",
    "SearchResults",
    "Sys",
]


@attrs.frozen(kw_only=True)
class Sys:
    """An entry's metadata, as Contentful's ``sys`` has it."""

    id: str
    """The article's slug."""
    type: str
    """``Article``."""
    content_version: str
    """The snapshot's version (``X-Content-Version``): changes with any edit."""
    revision: str | None
    """The digest of the article's document (its identity ETag without quotes): changes
    exactly when the document's bytes change."""
    created: str | None
    """First publication (the article's ``published`` date), when the content gives it."""
    updated: str
    """The article's ``modified`` date."""


@attrs.frozen(kw_only=True)
class ArticleSummary:
    """One article in the list: enough to show it and to fetch its document. Every field
    is there unless ``fields=`` chose some (then only those), hence none is required."""

    slug: str = ""
    title: str = ""
    description: str = ""
    status: str = ""
    url: str = ""
    published: str | None = None
    modified: str = ""
    last_reviewed: str | None = None
    api: str = ""
    """The article's document on this API, e.g. ``/articles/<slug>``."""
    file: str = ""
    """The same document in the export, relative to the json writer's output folder."""
    sys: Sys | None = None
    """The entry's metadata (added by the API: not in the export's index.json)."""


@attrs.frozen(kw_only=True)
class ArticlePage:
    """A page of the article list."""

    items: list[ArticleSummary]
    total: int
    """How many articles there are in all."""
    skip: int
    limit: int


@attrs.frozen(kw_only=True)
class Matched:
    """Where a search found its words best."""

    field: str
    """The passage's place in the article's document: ``title``,
    ``faq.items[2].answer``, ``research.citations[0].study.limitations[1]``, ..."""
    text: str
    """The passage's whole text (prose as plain text, one line per paragraph)."""
    snippet: str
    """Up to 24 words of the text around the first word found, HTML-escaped, each word
    found in ``<mark>``; ``…`` where the text was cut."""


@attrs.frozen(kw_only=True)
class Passage:
    """One passage of an article that holds every word of the query."""

    field: str
    text: str
    snippet: str
    score: float
    """The passage's BM25 score with its field's weight; higher is better."""


@attrs.frozen(kw_only=True)
class SearchHit:
    """One article a search found."""

    slug: str
    title: str
    api: str
    url: str
    score: float
    """Higher is better: the sum of the BM25 scores of the article's passages that hold
    every word, each weighted by its field (a title 4, an FAQ question 3, the description
    2, a heading 1.5, a caution 1.2, prose 1, a study's record 0.8)."""
    matched: Matched
    """The best passage."""
    passages: list[Passage]
    """Up to three passages that hold every word, best first."""
    sys: Sys
    """The article's entry metadata, as in the list."""


@attrs.frozen(kw_only=True)
class SearchResults:
    """What ``/search`` answers."""

    query: str
    total: int
    items: list[SearchHit]


@attrs.frozen(kw_only=True)
class MacroEntry:
    """A support macro, as ``macros.json`` lists it."""

    id: str
    title: str
    version: str
    article: str
    health: bool
    text: str


@attrs.frozen(kw_only=True)
class Labels:
    """Reader-facing labels, by where the key appears, each a mapping of key to label."""

    design: dict[str, str]
    """A study's ``design``: ``pilot-randomized-trial`` is "randomized pilot study", as
    every page and leaflet says it."""
    outcome_kind: dict[str, str]
    """An outcome's ``kind``: ``self-reported`` or ``physiological``."""
    role: dict[str, str]
    """A credit's or a person's ``role``, as the pages show it."""
    status: dict[str, str]
    """An article's ``status``."""


@attrs.frozen(kw_only=True)
class ErrorBody:
    """Every error response."""

    error: str
    """A short, stable phrase: "not found", "bad request", "method not allowed"."""
    detail: str


@attrs.frozen(kw_only=True)
class Liveness:
    """``/livez``: the process answers."""

    status: str
    """Always ``alive``."""


@attrs.frozen(kw_only=True)
class Readiness:
    """``/readyz``: whether a snapshot is served (200) or none yet (503)."""

    status: str
    """``ok``; ``degraded`` while the last edit is invalid (the last good content is still
    served, so the server is ready); ``loading`` (503) while no snapshot is loaded."""
    version: str | None
    """The served content version; null while loading."""
    problems: int
    """How many problems the last edit has."""


@attrs.frozen(kw_only=True)
class Health:
    """The health check. Public answers say only whether the last edit was valid and
    count its problems; the problems themselves quote the content, drafts included, so
    ``errors`` is there only for a request with the preview token."""

    status: str
    """``ok``, or ``degraded`` while the last edit is invalid (the last good content is
    still served)."""
    version: str
    articles: int
    problems: int
    """How many problems the last edit has (0 when ``ok``)."""
    errors: list[str] | None = None
    """Each problem as ``file:line:col: field: message``; with the preview token only."""
