"""The API's routes, as a table: each URL, what answers it, its parameters and its body.

The table is the one place a route is declared: :mod:`.app` dispatches on it and builds
the OpenAPI document from it (:func:`spikecontent.schemas.openapi.openapi_document`).
Adding an endpoint that serves a writer's artifact is one row (``answer="artifact"``);
ETags, 304s, encodings, HEAD and 404s come from :func:`spikecontent.api.app.respond`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent.api.parameters import Param
from spikecontent.delivery.entries import MAX_INCLUDE
from spikecontent.delivery.queries import SORT_KEYS
from spikecontent.model import Article, Caution, Study
from spikecontent.schemas import bodies

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ROUTES", "Route", "match"]

DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
"""The largest ``limit``: a larger one is a 400 that says so."""


@attrs.frozen(kw_only=True)
class Route:
    """One GET route."""

    name: str
    """The OpenAPI operation id."""
    path: str
    """The URL path, with at most one ``{name}`` parameter."""
    summary: str
    answer: str
    """What answers it: ``artifact`` (a writer's artifact) or the name of an answer in
    :mod:`.app`."""
    params: tuple[Param, ...] = ()
    body: Any = None
    """The 200 body's type for the OpenAPI document (a class, or a component's name)."""
    media_type: str = "application/json"
    writer: str = ""
    artifact: str = ""
    """The artifact path; ``{name}`` is replaced by the URL parameter."""
    accepts: Callable[[str], bool] | None = None
    """Which parameter values may name an artifact (others answer 404)."""
    also: tuple[int, ...] = ()
    """Statuses the route may answer beyond 200, 400 and (with a parameter) 404."""

    @property
    def parameter(self) -> str | None:
        """The URL parameter's name, if the path has one."""
        found = re.search(r"\{(\w+)\}", self.path)
        return found.group(1) if found else None

    def artifact_for(self, value: str | None) -> str | None:
        """The artifact path for the URL parameter ``value``; None when none may match."""
        if value is None:
            return self.artifact
        if self.accepts is not None and not self.accepts(value):
            return None
        return self.artifact.replace(f"{{{self.parameter}}}", value)


def _fields_pattern(names: list[str], *, dotted: bool = False) -> str:
    one = "(" + "|".join(names) + ")" + (r"(\.[A-Za-z_][A-Za-z0-9_]*)*" if dotted else "")
    return f"^{one}(,{one})*$"


_SUMMARY_NAMES: Final = [field.name for field in attrs.fields(bodies.ArticleSummary)]
_DOCUMENT_NAMES: Final = [
    "sys",
    *(field.name for field in attrs.fields(Article) if field.init),
    "url",
    "pages",
    "articles",
]
_ENTITY_NAMES: Final = sorted(
    {"sys", *(f.name for cls in (Study, Caution) for f in attrs.fields(cls) if f.init)}
)
_DOTTED: Final = (
    "Comma-separated fields to return, e.g. title,url; a dotted name chooses a field inside"
    " another (image.url), in each item of a list (research.citations.study.design);"
    " unknown ones are a 400"
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


def _limit(page_on: bool) -> Param:
    return Param(
        name="limit",
        type="integer",
        minimum=1,
        maximum=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        description=f"Page size, at most {MAX_LIMIT}",
        too_many=(
            f"limit={MAX_LIMIT} and page on with skip={MAX_LIMIT}, skip={2 * MAX_LIMIT}, ..."
            if page_on
            else ""
        ),
    )


def _single_macro(name: str) -> bool:
    return name.endswith(".txt") and name != "all.txt"


def _document_params(names: list[str]) -> tuple[Param, ...]:
    fields = Param(name="fields", description=_DOTTED, pattern=_fields_pattern(names, dotted=True))
    return (fields, INCLUDE, PRETTY)


ROUTES: Final = (
    Route(
        name="articles",
        path="/articles",
        summary="Articles, a page at a time",
        answer="articles",
        body=bodies.ArticlePage,
        params=(
            Param(
                name="skip", type="integer", minimum=0, default=0, description="Articles to skip"
            ),
            _limit(page_on=True),
            Param(
                name="fields",
                description="Comma-separated top-level fields to return, e.g. title,url;"
                " unknown ones are a 400",
                pattern=_fields_pattern(_SUMMARY_NAMES),
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
        summary="Full-text search of every published text of the articles (SQLite FTS5, "
        "English stems, BM25 with field weights), with highlighted snippets",
        answer="search",
        body=bodies.SearchResults,
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
        summary="The entries created, updated and deleted since a sync token (every entry"
        " without one), and the next token; tokens come from the content's history, so they"
        " stay valid across restarts",
        answer="sync",
        body=bodies.SyncPage,
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
        summary="An article with its references resolved (the json writer's document) and its sys",
        answer="document",
        body="ArticleDocument",
        params=_document_params(_DOCUMENT_NAMES),
    ),
    Route(
        name="article_jsonld",
        path="/articles/{slug}/jsonld",
        summary="The article's schema.org JSON-LD graph",
        answer="artifact",
        writer="jsonld",
        artifact="{slug}.jsonld",
        body=dict[str, Any],
        media_type="application/ld+json",
    ),
    Route(
        name="article_leaflet",
        path="/articles/{slug}/leaflet.pdf",
        summary="The article's printable leaflet",
        answer="artifact",
        writer="pdf",
        artifact="{slug}.pdf",
        body=bytes,
        media_type="application/pdf",
    ),
    Route(
        name="studies",
        path="/studies",
        summary="The studies the articles cite, each with its sys",
        answer="entity_list",
        body=list[Study],
        params=(PRETTY,),
    ),
    Route(
        name="study",
        path="/studies/{ident}",
        summary="One study, with its sys",
        answer="document",
        body=Study,
        params=_document_params(_ENTITY_NAMES),
    ),
    Route(
        name="cautions",
        path="/cautions",
        summary="Who should avoid the products, as the articles list them, each with its sys",
        answer="entity_list",
        body=list[Caution],
        params=(PRETTY,),
    ),
    Route(
        name="feed_rss",
        path="/feed.rss",
        summary="Site-wide update feed, RSS 2.0",
        answer="artifact",
        writer="rss",
        artifact="site.rss.xml",
        body=str,
        media_type="application/rss+xml",
    ),
    Route(
        name="feed_atom",
        path="/feed.atom",
        summary="Site-wide update feed, Atom 1.0",
        answer="artifact",
        writer="rss",
        artifact="site.atom.xml",
        body=str,
        media_type="application/atom+xml",
    ),
    Route(
        name="macros",
        path="/macros",
        summary="Support macros",
        answer="artifact",
        writer="macros",
        artifact="macros.json",
        body=list[bodies.MacroEntry],
    ),
    Route(
        name="macro_text",
        path="/macros/{name}",
        summary="One support macro as plain text; name is the macro id followed by .txt",
        answer="artifact",
        writer="macros",
        artifact="{name}",
        body=str,
        media_type="text/plain",
        accepts=_single_macro,
    ),
    Route(
        name="labels",
        path="/labels",
        summary="Reader-facing labels for every enum key the documents carry (a study's "
        "design, an outcome's kind, a credit's role, an article's status): the words the "
        "pages and leaflets use",
        answer="labels",
        body=bodies.Labels,
    ),
    Route(
        name="healthz",
        path="/healthz",
        summary="Liveness, and whether the last edit of the content was valid (its "
        "problems listed for the preview token only)",
        answer="healthz",
        body=bodies.Health,
    ),
    Route(
        name="livez",
        path="/livez",
        summary="Whether the process is up (200 whenever it answers at all)",
        answer="livez",
        body=bodies.Liveness,
    ),
    Route(
        name="readyz",
        path="/readyz",
        summary="Whether a snapshot is served: 200 (ok, or degraded while the last edit is "
        "invalid and the last good content is served), 503 while none is loaded yet",
        answer="readyz",
        body=bodies.Readiness,
        also=(503,),
    ),
    Route(
        name="metrics",
        path="/metrics",
        summary="Prometheus metrics in the text exposition format",
        answer="metrics",
        body=str,
        media_type="text/plain",
    ),
)
OPENAPI_PATH: Final = "/openapi.json"

_EXACT: Final = {route.path: route for route in ROUTES if route.parameter is None}
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
