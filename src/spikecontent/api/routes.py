"""The API's routes, as a table: each URL, what answers it, its parameters and its body.

The table is the one place a route is declared: :mod:`.app` dispatches on it and builds
the OpenAPI document from it. An endpoint serving a writer's artifact is one row with
``artifact``; ETags, 304s, encodings, HEAD and 404s come from :meth:`.app.Api.respond`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent.api.encoding import media_type_of
from spikecontent.api.parameters import Param
from spikecontent.delivery.entries import MAX_INCLUDE
from spikecontent.delivery.queries import SORT_KEYS
from spikecontent.model import Article, Caution, Study
from spikecontent.schemas import bodies

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "OPENAPI", "ROUTES", "Route", "match"]

DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
"""The largest ``limit``: a larger one is a 400 that says so."""


@attrs.frozen(kw_only=True)
class Route:
    """One GET route."""

    name: str
    """The OpenAPI operation id, and what answers it unless ``answer`` or ``artifact``
    says otherwise."""
    path: str
    """The URL path, with at most one ``{name}`` parameter."""
    summary: str
    body: Any = None
    """The 200 body's type for the OpenAPI document (a class, or a component's name)."""
    params: tuple[Param, ...] = ()
    artifact: str = ""
    """``writer/path`` of the artifact it serves; ``{name}`` is the URL parameter."""
    accepts: Callable[[str], bool] | None = None
    """Which parameter values may name an artifact (others answer 404)."""
    also: tuple[int, ...] = ()
    """Statuses the route may answer beyond 200, 400 and (with a parameter) 404."""
    answer: str = attrs.field()
    """What answers it: ``artifact``, or the name of an answer in :mod:`.app`."""
    media_type: str = attrs.field()
    """The 200 body's media type in the document (an artifact's, by its suffix)."""

    @answer.default
    def _answer(self) -> str:
        return "artifact" if self.artifact else self.name

    @media_type.default
    def _media_type(self) -> str:
        found = media_type_of(self.artifact) if self.artifact else None
        return found.partition(";")[0] if found else "application/json"

    @property
    def parameter(self) -> str | None:
        """The URL parameter's name, if the path has one."""
        found = re.search(r"\{(\w+)\}", self.path)
        return found.group(1) if found else None

    @property
    def writer(self) -> str:
        """The writer whose artifact it serves."""
        return self.artifact.partition("/")[0]

    def artifact_for(self, value: str | None) -> str | None:
        """The artifact path for the URL parameter ``value``; None when none may match."""
        path = self.artifact.partition("/")[2]
        if value is None:
            return path
        if self.accepts is not None and not self.accepts(value):
            return None
        return path.replace(f"{{{self.parameter}}}", value)


def _fields(names: list[str], description: str, *, dotted: bool = False) -> Param:
    one = "(" + "|".join(names) + ")" + (r"(\.[A-Za-z_][A-Za-z0-9_]*)*" if dotted else "")
    return Param(name="fields", description=description, pattern=f"^{one}(,{one})*$")


def _document(names: list[str]) -> tuple[Param, ...]:
    description = (
        "Comma-separated fields to return, e.g. title,url; a dotted name chooses a field inside"
        " another (image.url), in each item of a list (research.citations.study.design);"
        " unknown ones are a 400"
    )
    return (_fields(names, description, dotted=True), INCLUDE, PRETTY)


def _limit(page_on: bool) -> Param:
    instead = f"limit={MAX_LIMIT} and page on with skip={MAX_LIMIT}, skip={2 * MAX_LIMIT}, ..."
    return Param(
        name="limit",
        type="integer",
        minimum=1,
        maximum=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        description=f"Page size, at most {MAX_LIMIT}",
        too_many=instead if page_on else "",
    )


CATEGORY = Param(name="category", description="Only articles in this category")
CITES = Param(name="cites", description="Only articles that cite this study (its id); unknown: 400")
PRETTY = Param(name="pretty", type="flag", description="Indented JSON (compact without it)")
INCLUDE = Param(
    name="include",
    type="integer",
    minimum=0,
    maximum=MAX_INCLUDE,
    default=MAX_INCLUDE,
    description="How many levels of references to inline (Contentful's include); deeper"
    ' ones are links, {"sys": {"type": "Link", "link_type", "id"}}. 0: none inlined;'
    f" {MAX_INCLUDE} (the default): all",
)
_ARTICLE_FIELDS: Final = [f.name for f in attrs.fields(Article) if f.init]
_ENTITY_FIELDS: Final = sorted(
    {"sys", *(f.name for c in (Study, Caution) for f in attrs.fields(c) if f.init)}
)


ROUTES: Final = (
    Route(
        name="articles",
        path="/articles",
        body=bodies.ArticlePage,
        summary="Articles, a page at a time",
        params=(
            Param(
                name="skip", type="integer", minimum=0, default=0, description="Articles to skip"
            ),
            _limit(page_on=True),
            _fields(
                [field.name for field in attrs.fields(bodies.ArticleSummary)],
                "Comma-separated top-level fields to return, e.g. title,url;"
                " unknown ones are a 400",
            ),
            CATEGORY,
            CITES,
            Param(
                name="updated_since",
                type="date",
                example="2026-08-01",
                description="Only articles modified on or after this day (YYYY-MM-DD)",
            ),
            Param(
                name="sort", choices=SORT_KEYS, description="Order: a key, or -key for descending"
            ),
        ),
    ),
    Route(
        name="search",
        path="/search",
        body=bodies.SearchResults,
        summary="Full-text search of every published text of the articles (SQLite FTS5, English"
        " stems, BM25 with field weights), with highlighted snippets",
        params=(
            Param(
                name="q",
                required=True,
                description='Words to find, all in one passage; "a phrase" in double quotes;'
                " prefix* for words that start so. Words match by their English stem"
                " (sleeping finds sleep).",
            ),
            _limit(page_on=False),
            CATEGORY,
            CITES,
        ),
    ),
    Route(
        name="sync",
        path="/sync",
        body=bodies.SyncPage,
        summary="The entries created, updated and deleted since a sync token (every entry without"
        " one), and the next token; tokens come from the content's history, so they stay"
        " valid across restarts",
        params=(
            Param(
                name="sync_token",
                description="The next_sync_token of the last sync; none for a full sync",
            ),
        ),
    ),
    Route(
        name="article",
        path="/articles/{slug}",
        body="ArticleDocument",
        summary="An article with its references resolved (the json writer's document) and its sys",
        answer="document",
        params=_document(["sys", *_ARTICLE_FIELDS, "url", "pages", "articles"]),
    ),
    Route(
        name="article_jsonld",
        path="/articles/{slug}/jsonld",
        body=dict[str, Any],
        summary="The article's schema.org JSON-LD graph",
        artifact="jsonld/{slug}.jsonld",
    ),
    Route(
        name="article_leaflet",
        path="/articles/{slug}/leaflet.pdf",
        body=bytes,
        summary="The article's printable leaflet",
        artifact="pdf/{slug}.pdf",
    ),
    Route(
        name="studies",
        path="/studies",
        body=list[Study],
        summary="The studies the articles cite, each with its sys",
        answer="entity_list",
        params=(PRETTY,),
    ),
    Route(
        name="study",
        path="/studies/{ident}",
        body=Study,
        summary="One study, with its sys",
        answer="document",
        params=_document(_ENTITY_FIELDS),
    ),
    Route(
        name="cautions",
        path="/cautions",
        body=list[Caution],
        summary="Who should avoid the products, as the articles list them, each with its sys",
        answer="entity_list",
        params=(PRETTY,),
    ),
    Route(
        name="feed_rss",
        path="/feed.rss",
        body=str,
        summary="Site-wide update feed, RSS 2.0",
        artifact="rss/site.rss.xml",
    ),
    Route(
        name="feed_atom",
        path="/feed.atom",
        body=str,
        summary="Site-wide update feed, Atom 1.0",
        artifact="rss/site.atom.xml",
    ),
    Route(
        name="macros",
        path="/macros",
        body=list[bodies.MacroEntry],
        summary="Support macros",
        artifact="macros/macros.json",
    ),
    Route(
        name="macro_text",
        path="/macros/{name}",
        body=str,
        summary="One support macro as plain text; name is the macro id followed by .txt",
        artifact="macros/{name}",
        media_type="text/plain",
        accepts=lambda name: name.endswith(".txt") and name != "all.txt",
    ),
    Route(
        name="labels",
        path="/labels",
        body=bodies.Labels,
        summary="Reader-facing labels for every enum key the documents carry (a study's design, an"
        " outcome's kind, a credit's role, an article's status): the words the pages and"
        " leaflets use",
    ),
    Route(
        name="healthz",
        path="/healthz",
        body=bodies.Health,
        summary="Liveness, and whether the last edit of the content was valid (its problems listed"
        " for the preview token only)",
    ),
    Route(
        name="livez",
        path="/livez",
        body=bodies.Liveness,
        summary="Whether the process is up (200 whenever it answers at all)",
    ),
    Route(
        name="readyz",
        path="/readyz",
        body=bodies.Readiness,
        summary="Whether a snapshot is served: 200 (ok, or degraded while the last edit is invalid"
        " and the last good content is served), 503 while none is loaded yet",
        also=(503,),
    ),
    Route(
        name="metrics",
        path="/metrics",
        body=str,
        summary="Prometheus metrics in the text exposition format",
        media_type="text/plain",
    ),
)
OPENAPI: Final = Route(name="openapi", path="/openapi.json", summary="This document")
"""Served, and not in the document it serves."""

_EXACT: Final = {route.path: route for route in (*ROUTES, OPENAPI) if route.parameter is None}
_WITH_PARAMETER: Final = [
    (re.compile("^" + re.sub(r"\\\{\w+\\\}", "([^/]+)", re.escape(r.path)) + "$"), r)
    for r in ROUTES
    if r.parameter is not None
]


def match(path: str) -> tuple[Route, str | None] | None:
    """The route ``path`` falls under, with its parameter's value; None for none."""
    route = _EXACT.get(path)
    if route is not None:
        return route, None
    for pattern, candidate in _WITH_PARAMETER:
        found = pattern.match(path)
        if found:
            return candidate, found.group(1)
    return None
