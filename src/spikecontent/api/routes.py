"""The API's routes as a table: each URL, its parameters and what answers it.

A row is the one place a route's behaviour is declared: :mod:`.app` dispatches on it and
the OpenAPI document is built from it (with its words from
:data:`spikecontent.schemas.openapi.OPERATIONS`); a :class:`Param` both reads a value and
is the document's entry for it. An answer returns a resource, made once per snapshot and
parameters; ETags, 304s, encodings, HEAD and 404s come from :meth:`.app.Api.respond`.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import urllib.parse
from collections.abc import Callable
from typing import Any, Final

import attrs

from spikecontent._version import __version__
from spikecontent.api import metrics
from spikecontent.api.http import Reply, Resource, dumps, json_reply
from spikecontent.api.live import Answer, LiveContent, Params, Served, Snapshot, media_type_of
from spikecontent.delivery.entries import MAX_INCLUDE
from spikecontent.delivery.labels import LABELS
from spikecontent.delivery.queries import (
    SORT_KEYS,
    QueryError,
    check_parameters,
    check_study,
    not_an_integer,
    project,
    split_fields,
)
from spikecontent.delivery.sync import MAX_SYNC_LIMIT, PAGE_TOKEN_LENGTH, PageToken, page_of
from spikecontent.model import Article, Caution, Study
from spikecontent.schemas import bodies
from spikecontent.schemas.openapi import Operation, openapi_document

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "NO_STORE", "ROUTES", "Operational", "Route", "match"]

DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100
"""The largest ``limit``: a larger one is a 400 that says so."""
NO_STORE: Final = (b"cache-control", b"no-store")
_JSON_NUMBER: Final = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")


@attrs.frozen(kw_only=True)
class Param:
    """One query parameter: its name, type and bounds, and what the document says of it."""

    name: str
    description: str
    type: str = "string"
    """``string``, ``integer``, ``date`` or ``flag`` (present or absent)."""
    default: Any = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    pattern: str | None = None
    too_many: str = ""
    """What a value over the maximum should do instead (``limit`` pages on)."""
    example: str = ""

    def read(self, text: str | None) -> Any:
        """The value of ``text`` (None: not given); :class:`QueryError` saying what to send
        instead."""
        if text is None:
            if self.required:
                raise QueryError(f"missing query parameter {self.name!r}: {self.description}")
            return False if self.type == "flag" else self.default
        if self.type == "integer":
            return self._bounded(text)
        if self.type == "date":
            with contextlib.suppress(ValueError):
                if len(text) == 10:
                    return datetime.date.fromisoformat(text)
            raise QueryError(
                f"{self.name}: {text!r} is not a day; send a date as YYYY-MM-DD (RFC 3339's"
                f" full-date), e.g. {self.name}={self.example}"
            )
        if self.type == "flag":
            if text not in ("", "1", "true"):
                raise QueryError(f"{self.name}: {text!r}: send {self.name} alone (or =1)")
            return True
        if self.choices and text not in self.choices:
            raise QueryError(
                f"{self.name}: {text!r} is not an order; send one of {', '.join(self.choices)}"
            )
        if self.required and not text:
            raise QueryError(f"{self.name}: must not be empty")
        return text

    def _bounded(self, text: str) -> int:
        if not _JSON_NUMBER.fullmatch(text) or not float(text).is_integer():
            raise QueryError(not_an_integer(self.name, text))
        value = int(float(text))
        if self.minimum is not None and value < self.minimum:
            raise QueryError(
                f"{self.name}: {text!r} is less than the minimum, {self.minimum}: send"
                f" {self.name}={self.minimum} or more"
            )
        if self.maximum is not None and value > self.maximum:
            instead = self.too_many or f"{self.name}={self.maximum} or less"
            raise QueryError(
                f"{self.name}: {text!r} is more than the maximum, {self.maximum}: send {instead}"
            )
        return value


@attrs.frozen
class Operational:
    """An answer from the live content alone (livez, readyz, metrics): no snapshot, no
    ETag, never stored, never a 304."""

    reply: Callable[[LiveContent], Reply]


@attrs.frozen(kw_only=True)
class Route:
    """One GET route."""

    name: str
    """The OpenAPI operation id."""
    path: str
    """The URL path, with at most one ``{name}`` parameter."""
    answer: Answer | Operational
    params: tuple[Param, ...] = ()
    writer: str = ""
    """The writer whose artifact it serves, if any."""
    media_type: str = "application/json"
    also: tuple[int, ...] = ()
    """Statuses the route may answer beyond 200, 400 and (with a parameter) 404."""
    store: bool = True
    """Whether caches may keep its answers."""

    def read(self, query: bytes) -> dict[str, Any]:
        """Every parameter's value (its default when not given) from the query string;
        :class:`QueryError` for one not declared, one given twice, a required one
        missing, or a value that does not fit."""
        pairs = urllib.parse.parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        given = dict(pairs)
        check_parameters(given.keys(), [p.name for p in self.params])
        if len(given) < len(pairs):
            # One spelling, one URL per answer: which of two values counts is not guessed.
            twice = next(name for name, _ in pairs if sum(n == name for n, _ in pairs) > 1)
            raise QueryError(f"query parameter {twice!r} is given more than once: send it once")
        return {param.name: param.read(given.get(param.name)) for param in self.params}


def _artifact(name: str, path: str, artifact: str, **more: Any) -> Route:
    """A route serving ``artifact`` (``writer/path``, ``{name}`` the URL parameter) as its
    writer rendered it; ``accepts`` says which paths may name one (others answer 404)."""
    writer, _, pattern = artifact.partition("/")
    accepts: Callable[[str], bool] = more.pop("accepts", lambda _: True)

    def answer(current: Snapshot, _: Served, p: Params) -> Resource | None:
        found = pattern.format_map(p)
        return current.get(writer, found) if accepts(found) else None

    more.setdefault("media_type", (media_type_of(artifact) or "").partition(";")[0])
    return Route(name=name, path=path, answer=answer, writer=writer, **more)


def _entry(name: str, path: str, kind: str, fields: list[str]) -> Route:
    """A route serving one entry's document, its references resolved."""
    (key,) = re.findall(r"\{(\w+)\}", path)

    def answer(current: Snapshot, _: Served, p: Params) -> Resource | None:
        found = current.entries.document((kind, p[key]), split_fields(p["fields"]), p["include"])
        return None if found is None else current.json(found, p["pretty"])

    params = (_fields(fields, dotted=True), INCLUDE, PRETTY)
    return Route(name=name, path=path, answer=answer, params=params)


def _entity_list(name: str) -> Route:
    """A route serving every entry of a kind (``name``: studies, cautions)."""

    def answer(current: Snapshot, _: Served, p: Params) -> Resource:
        return current.json(current.entries.lists[name], p["pretty"])

    return Route(name=name, path=f"/{name}", params=(PRETTY,), answer=answer)


def _fields(names: list[str], *, dotted: bool = False) -> Param:
    one = "(" + "|".join(names) + ")" + (r"(\.[A-Za-z_][A-Za-z0-9_]*)*" if dotted else "")
    description = (
        "Comma-separated fields to return, e.g. title,url; a dotted name chooses a field inside"
        " another (image.url), in each item of a list (research.citations.study.design);"
        " unknown ones are a 400"
        if dotted
        else "Comma-separated top-level fields to return, e.g. title,url; unknown ones are a 400"
    )
    return Param(name="fields", description=description, pattern=f"^{one}(,{one})*$")


def _limit(
    too_many: str = "", *, maximum: int = MAX_LIMIT, default: int = DEFAULT_LIMIT, of: str = ""
) -> Param:
    """A page size from 1 to ``maximum``; ``too_many``: what a larger one should send."""
    return Param(
        name="limit",
        type="integer",
        minimum=1,
        maximum=maximum,
        default=default,
        description=f"Page size{of}, at most {maximum}",
        too_many=too_many,
    )


PAGE_ON: Final = f"limit={MAX_LIMIT} and page on with skip={MAX_LIMIT}, skip={2 * MAX_LIMIT}, ..."
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
SKIP = Param(name="skip", type="integer", minimum=0, default=0, description="Articles to skip")
UPDATED_SINCE = Param(
    name="updated_since",
    type="date",
    example="2026-08-01",
    description="Only articles modified on or after this day (YYYY-MM-DD)",
)
SORT = Param(name="sort", choices=SORT_KEYS, description="Order: a key, or -key for descending")
WORDS = Param(
    name="q",
    required=True,
    description='Words to find, all in one passage; "a phrase" in double quotes; prefix* for'
    " words that start so. Words match by their English stem (sleeping finds sleep).",
)
SYNC_TOKEN = Param(
    name="sync_token", description="The next_sync_token of the last sync; none for a full sync"
)
PAGE_TOKEN = Param(
    name="page_token",
    pattern=f"^[A-Za-z0-9_-]{{{PAGE_TOKEN_LENGTH}}}$",
    description="The next_page_token of the last page, for the next page of the same sync"
    " (alone: not with sync_token)",
)
SYNC_LIMIT = _limit(
    f"limit={MAX_SYNC_LIMIT} and follow each page's next_page_token",
    maximum=MAX_SYNC_LIMIT,
    default=MAX_SYNC_LIMIT,
    of=" in entries (the default is the most)",
)


_UNFILTERED: Final = dict.fromkeys(("category", "cites", "updated_since", "sort"))
"""The listing's filters, none given."""


def _articles(current: Snapshot, _: Served, p: Params) -> Resource:
    check_study(p["cites"], current.catalog.studies)  # an unknown one is a 400
    chosen = current.entries.summaries
    filters = {name: p[name] for name in _UNFILTERED}
    if filters != _UNFILTERED:
        chosen = current.catalog.select(**filters)
    names, skip, limit = split_fields(p["fields"]), p["skip"], p["limit"]
    items = [project(item, names) for item in chosen[skip : skip + limit]]
    for item in [] if items else current.entries.summaries[:1]:
        project(item, names)  # an unknown field is a 400 on an empty page too
    return current.json({"items": items, "total": len(chosen), "skip": skip, "limit": limit})


def _search(current: Snapshot, _: Served, p: Params) -> Resource:
    check_study(p["cites"], current.catalog.studies)
    words, category, cites = p["q"], p["category"], p["cites"]
    total, hits = current.catalog.search(words, category=category, cites=cites, limit=p["limit"])
    return current.json({"query": words, "total": total, "items": hits})


def _sync(current: Snapshot, served: Served, p: Params) -> Resource:
    history, sync_token, page_token = served.history, p["sync_token"], p["page_token"]
    if page_token is not None and sync_token is not None:
        raise QueryError(
            "page_token: send it alone, without sync_token (the page token names its sync)"
        )
    token = None if page_token is None else PageToken.decode(page_token, history)
    start = token.start if token else (0 if sync_token is None else history.step_of(sync_token))
    revisions, limit, view = current.entries.revisions, p["limit"], current.view
    page = page_of(history, revisions, start=start, limit=limit, token=token, view=view)
    return current.json(current.entries.changes(page))


def _healthz(current: Snapshot, served: Served, _: Params) -> Resource:
    health: dict[str, object] = {
        "status": "degraded" if served.errors else "ok",
        "version": current.version,
        "articles": len(current.entries.summaries),
        "problems": len(served.errors),
    }
    if current.preview:
        # The diagnostics quote the files, drafts and embargoed articles included: only a
        # request with the preview token sees them (the server log has them too).
        health["errors"] = [str(d) for d in served.errors]
    return current.json(health)


def _livez(_: LiveContent) -> Reply:
    return json_reply(200, dumps({"status": "alive"}), NO_STORE)


def _readyz(live: LiveContent) -> Reply:
    served = live.current
    body: dict[str, object] = {"status": "loading", "version": None, "problems": 0}
    if served is not None:
        status = "degraded" if served.errors else "ok"
        body = {"status": status, "version": served.public.version, "problems": len(served.errors)}
    return json_reply(503 if served is None else 200, dumps(body), NO_STORE)


def _metrics(_: LiveContent) -> Reply:
    return 200, [(b"content-type", metrics.CONTENT_TYPE.encode()), NO_STORE], metrics.exposition()


def _openapi(current: Snapshot, served: Served, _: Params) -> Resource:
    # The study ids cites= takes and the sync tokens are the content's: the document lists
    # the current ones (others are a 400).
    tokens = [served.history.token(step) for step in range(served.history.head + 1)]
    operations = [
        Operation(
            name=route.name,
            path=route.path,
            parameters=[attrs.asdict(p) for p in route.params],
            media_type=route.media_type,
            statuses=(400, *((404,) if "{" in route.path else ()), *route.also),
            conditional=not isinstance(route.answer, Operational),
        )
        for route in ROUTES
    ]
    values = {"cites": current.catalog.studies, "sync_token": tokens}
    document = openapi_document(operations, version=__version__, values=values)
    return Resource.of(dumps(document), "application/json")


_ARTICLE_FIELDS: Final = ["sys", *(f.name for f in attrs.fields(Article) if f.init)]
_ENTITY_FIELDS: Final = sorted(
    {"sys", *(f.name for c in (Study, Caution) for f in attrs.fields(c) if f.init)}
)
_SUMMARY_FIELDS: Final = [field.name for field in attrs.fields(bodies.ArticleSummary)]

ROUTES: Final = (
    Route(
        name="articles",
        path="/articles",
        answer=_articles,
        params=(
            SKIP,
            _limit(PAGE_ON),
            _fields(_SUMMARY_FIELDS),
            CATEGORY,
            CITES,
            UPDATED_SINCE,
            SORT,
        ),
    ),
    Route(
        name="search",
        path="/search",
        answer=_search,
        params=(WORDS, _limit(), CATEGORY, CITES),
    ),
    Route(name="sync", path="/sync", answer=_sync, params=(SYNC_TOKEN, PAGE_TOKEN, SYNC_LIMIT)),
    _entry(
        "article", "/articles/{slug}", "Article", [*_ARTICLE_FIELDS, "url", "pages", "articles"]
    ),
    _artifact("article_jsonld", "/articles/{slug}/jsonld", "jsonld/{slug}.jsonld"),
    _artifact("article_leaflet", "/articles/{slug}/leaflet.pdf", "pdf/{slug}.pdf"),
    _entity_list("studies"),
    _entry("study", "/studies/{ident}", "Study", _ENTITY_FIELDS),
    _entity_list("cautions"),
    _artifact("feed_rss", "/feed.rss", "rss/site.rss.xml"),
    _artifact("feed_atom", "/feed.atom", "rss/site.atom.xml"),
    _artifact("macros", "/macros", "macros/macros.json"),
    _artifact(
        "macro_text",
        "/macros/{name}",
        "macros/{name}",
        media_type="text/plain",
        accepts=lambda name: name.endswith(".txt") and name != "all.txt",
    ),
    Route(name="labels", path="/labels", answer=lambda current, _, __: current.json(LABELS)),
    Route(name="healthz", path="/healthz", answer=_healthz, store=False),
    Route(name="livez", path="/livez", answer=Operational(_livez)),
    Route(name="readyz", path="/readyz", answer=Operational(_readyz), also=(503,)),
    Route(name="metrics", path="/metrics", answer=Operational(_metrics), media_type="text/plain"),
)
OPENAPI: Final = Route(name="openapi", path="/openapi.json", answer=_openapi)
"""Served, and not in the document it serves."""

_EXACT: Final = {route.path: route for route in (*ROUTES, OPENAPI) if "{" not in route.path}
_WITH_PARAMETER: Final = [
    (re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(r.path)) + "$"), r)
    for r in ROUTES
    if "{" in r.path
]


def match(path: str) -> tuple[Route, dict[str, str]] | None:
    """The route ``path`` falls under, with its URL parameter's value by name, or None."""
    route = _EXACT.get(path)
    if route is not None:
        return route, {}
    for pattern, candidate in _WITH_PARAMETER:
        found = pattern.match(path)
        if found:
            return candidate, found.groupdict()
    return None
