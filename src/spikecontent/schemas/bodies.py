"""The shapes of the delivery API's own JSON bodies, for its OpenAPI document
(:mod:`.openapi`).

Documents that writers make are described by the model classes themselves, as the
delivery documents hold them (:mod:`.delivery`); these classes describe what only the API
adds: the article list envelope, entry metadata, the sync feed, errors, the health
checks and the macro list.
"""

from __future__ import annotations

from typing import Any

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
    "SyncPage",
    "Sys",
]


@attrs.frozen(kw_only=True)
class Sys:
    """An entry's metadata, as Contentful's ``sys`` has it."""

    id: str
    """The article's slug, the study's or caution's id."""
    type: str
    """``Article``, ``Study`` or ``Caution``."""
    revision: str
    """A digest of the entry and of everything it references (the site included): it
    changes exactly when the entry's document does, and is what ``/sync`` compares."""
    created: str | None
    """An article's first publication (its ``published`` date); null for a study or a
    caution, and for an article the content gives no date."""
    updated: str | None
    """An article's ``modified`` date; null for a study or a caution."""
    content_version: str | None = None
    """In a list, the snapshot's version (``X-Content-Version``): it changes with any
    edit, so a document leaves it out (its bytes change only with the entry's)."""


@attrs.frozen(kw_only=True)
class Deleted:
    """An entry deleted since the sync token."""

    id: str
    type: str


@attrs.frozen(kw_only=True)
class SyncPage:
    """What ``/sync`` answers: one page of the changes since the token, each created or
    updated entry as its whole document (with its ``sys``), and the token to ask with
    next: ``next_page_token`` while more of the sync remain, ``next_sync_token`` on its
    last page (each answer carries one of the two)."""

    created: list[dict[str, Any]]
    updated: list[dict[str, Any]]
    deleted: list[Deleted]
    next_page_token: str = ""
    """Send it as ``page_token`` for the next page of this sync (absent on the last)."""
    next_sync_token: str = ""
    """On the last page only: keep it, and send it as ``sync_token`` next time."""


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
