"""The read-only HTTP API (Litestar): routes, conditional GET, JSON errors, OpenAPI 3.1.

Every body comes from the current :class:`~spikecontent.api.resources.Snapshot`, that is
from the writers. Each response is sent in the best encoding the client accepts
(:mod:`.encoding`), with that representation's strong ETag, ``Cache-Control`` and the
snapshot's ``X-Content-Version``; a request whose ``If-None-Match`` names that ETag gets
``304 Not Modified`` with no body. Requests with the preview token see drafts too, never
cached (:mod:`.live`). HEAD is answered for every GET route by :class:`HeadAsGet`, CORS by
:class:`~spikecontent.api.cors.Cors`.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Final, Literal, cast

import anyio.to_thread
import attrs
from litestar import Litestar, Request, Response, get
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import FromPath, Parameter
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_304_NOT_MODIFIED, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from spikecontent._version import __version__
from spikecontent.api import metrics
from spikecontent.api.cors import Cors
from spikecontent.api.encoding import Resource, etag_matches
from spikecontent.api.live import LiveContent, NotLoaded, Served
from spikecontent.api.observe import Observed
from spikecontent.api.queries import (
    SORT_KEYS,
    QueryError,
    check_parameters,
    check_study,
    not_an_integer,
    project,
    split_fields,
)
from spikecontent.api.replay import Replay
from spikecontent.api.resources import ListQuery, SearchQuery, Snapshot, dumps, error_body
from spikecontent.api.routes import ROUTES, ArtifactRoute
from spikecontent.api.schemas import (
    ArticlePage,
    ArticleSummary,
    ErrorBody,
    Health,
    Labels,
    Liveness,
    Readiness,
    SearchResults,
)
from spikecontent.model import Article
from spikecontent.schemas.delivery import delivery_components

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "HeadAsGet", "create_app"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
"""The largest ``limit``: a larger one is a 400 that says so."""

_JSON = "application/json"
AnyRequest = Request[Any, Any, Any]


def _spec(container: Any, **options: Any) -> ResponseSpec:
    # Litestar would fill the document with random examples: it must be reproducible.
    options.setdefault("description", "OK")
    return ResponseSpec(data_container=container, generate_examples=False, **options)


_ERRORS = {
    400: _spec(ErrorBody, description="Bad query parameters"),
    404: _spec(ErrorBody, description="No such item"),
}
# Litestar documents a 400 for every route with parameters; ours has the ErrorBody shape.
_NOT_FOUND = {400: _ERRORS[400], 404: _ERRORS[404]}


def create_app(
    live: LiveContent,
    *,
    max_age: int = 300,
    cors_origins: Sequence[str] = ("*",),
    log_requests: bool = True,
) -> ASGIApp:
    """The API over ``live``'s current snapshot, answering GET and HEAD, with CORS for
    ``cors_origins`` (``*``: every origin, for published content); every request gets a
    request id, metrics and (``log_requests``) an access log line (:mod:`.observe`)."""
    public_cache = f"public, max-age={max_age}"

    def snapshot(request: AnyRequest, served: Served | None = None) -> Snapshot:
        served = served or live.served  # one read: the whole request sees one snapshot
        authorization = _headers(request).authorization
        if authorization is None:
            return served.public
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or served.preview is None or not live.token_matches(token):
            raise NotAuthorizedException(
                detail="the preview token is wrong or not configured",
                headers={"www-authenticate": 'Bearer realm="preview"'},
            )
        return served.preview

    def respond(
        request: AnyRequest, current: Snapshot, resource: Resource | None, *, store: bool = True
    ) -> ASGIResponse:
        # ASGIResponse skips Litestar's response processing: the bodies are final bytes.
        if resource is None:
            raise HTTPException(status_code=404, detail=f"nothing at {request.url.path}")
        asked = _headers(request)
        chosen = resource.for_encodings(asked.accept_encoding)
        cache_control = "private, no-store" if current.preview or not store else public_cache
        headers = {
            "etag": chosen.etag,
            "cache-control": cache_control,
            "x-content-version": current.version,
        }
        vary = ["Accept-Encoding"] if resource.negotiated else []
        if live.previewable:  # the same URL answers differently with a token
            vary.append("Authorization")
        if vary:
            headers["vary"] = ", ".join(vary)
        if chosen.encoding != "identity":
            headers["content-encoding"] = chosen.encoding
        if etag_matches(asked.if_none_match, chosen.etag):
            return ASGIResponse(status_code=HTTP_304_NOT_MODIFIED, headers=headers)
        return ASGIResponse(body=chosen.body, media_type=resource.media_type, headers=headers)

    @get(
        "/articles",
        summary="Articles, a page at a time",
        responses={200: _spec(ArticlePage), 400: _ERRORS[400]},
    )
    async def articles(
        request: AnyRequest,
        skip: Annotated[int, Parameter(ge=0, description="Articles to skip")] = 0,
        limit: Annotated[
            int, Parameter(ge=1, le=MAX_LIMIT, description=f"Page size, at most {MAX_LIMIT}")
        ] = DEFAULT_LIMIT,
        fields: Annotated[str | None, Parameter(description=_FIELDS, pattern=_LIST_FIELDS)] = None,
        category: Annotated[
            str | None, Parameter(description="Only articles in this category")
        ] = None,
        cites: Annotated[
            str | None, Parameter(description="Only articles that cite this study (its id)")
        ] = None,
        updated_since: Annotated[
            datetime.date | None,
            Parameter(description="Only articles modified on or after this day (YYYY-MM-DD)"),
        ] = None,
        sort: Annotated[
            Literal[SORT_KEYS] | None,  # type: ignore[valid-type]
            Parameter(description="Order: a key, or -key for descending"),
        ] = None,
    ) -> ASGIResponse:
        _only(request, _LIST_PARAMETERS)
        current = snapshot(request)
        _known_study(current, cites)
        query = ListQuery(
            skip=skip,
            limit=limit,
            fields=_fields(fields),
            category=category,
            cites=cites,
            updated_since=updated_since,
            sort=sort,
        )
        if query == ListQuery(skip=skip, limit=query.limit):
            return respond(request, current, current.page(skip, query.limit))
        return respond(request, current, _answer(lambda: current.listing(query)))

    @get(
        "/search",
        summary="Full-text search of every published text of the articles (SQLite FTS5, "
        "English stems, BM25 with field weights), with highlighted snippets",
        responses={200: _spec(SearchResults), 400: _ERRORS[400]},
    )
    async def search(
        request: AnyRequest,
        q: Annotated[
            str,
            Parameter(
                description='Words to find, all in one passage; "a phrase" in double quotes;'
                " prefix* for words that start so. Words match by their English stem"
                " (sleeping finds sleep).",
                min_length=1,
            ),
        ],
        limit: Annotated[
            int, Parameter(ge=1, le=MAX_LIMIT, description=f"Most results, at most {MAX_LIMIT}")
        ] = DEFAULT_LIMIT,
        category: Annotated[
            str | None, Parameter(description="Only articles in this category")
        ] = None,
        cites: Annotated[
            str | None,
            Parameter(description="Only articles that cite this study (its id); unknown: 400"),
        ] = None,
    ) -> ASGIResponse:
        _only(request, {"q", "limit", "category", "cites"})
        current = snapshot(request)
        query = SearchQuery(q=q, limit=limit, category=category, cites=cites)
        _known_study(current, cites)
        return respond(request, current, _answer(lambda: current.found(query)))

    def serve(
        request: AnyRequest, route: ArtifactRoute, value: str | None, fields: str | None = None
    ) -> ASGIResponse:
        _only(request, {"fields"} if route.projectable else set())
        current = snapshot(request)
        path = route.artifact_for(value)
        if fields is not None and value is not None and path is not None:
            wanted = _fields(fields)
            return respond(request, current, _answer(lambda: current.document(value, wanted)))
        found = current.get(route.writer, path) if path is not None else None
        return respond(request, current, found)

    def on_demand(writer: str) -> Callable[[], bool]:
        return lambda: live.loaded and live.served.public.renders_on_demand(writer)

    served = [_artifact_handler(r, serve, on_demand(r.writer)) for r in ROUTES]

    @functools.lru_cache(maxsize=4)
    def openapi_document(app: Litestar, studies: tuple[str, ...]) -> Resource:
        # The study ids cites= takes are the content's: the document lists the current
        # ones (an unknown one is a 400), so it is made again when they change.
        document = _typed(app.openapi_schema.to_schema())
        return Resource.of(dumps(_with_studies(document, studies)), _JSON)

    @get("/openapi.json", include_in_schema=False)
    async def openapi(request: AnyRequest) -> ASGIResponse:
        current = snapshot(request)
        studies = tuple(current.catalog.studies)
        return respond(request, current, openapi_document(request.app, studies))

    @get(
        "/labels",
        summary="Reader-facing labels for every enum key the documents carry (a study's "
        "design, an outcome's kind, a credit's role, an article's status): the words the "
        "pages and leaflets use",
        responses={200: _spec(Labels)},
    )
    async def labels(request: AnyRequest) -> ASGIResponse:
        _only(request, set())
        current = snapshot(request)
        return respond(request, current, current.labels)

    @get(
        "/healthz",
        summary="Liveness, and whether the last edit of the content was valid (its "
        "problems listed for the preview token only)",
        responses={200: _spec(Health)},
    )
    async def healthz(request: AnyRequest) -> ASGIResponse:
        _only(request, set())
        served = live.served
        current = snapshot(request, served)
        health: dict[str, object] = {
            "status": "degraded" if served.errors else "ok",
            "version": current.version,
            "articles": len(current.summaries),
            "problems": len(served.errors),
        }
        if current.preview:
            # The diagnostics quote the files, drafts and embargoed articles included:
            # only a request with the preview token sees them (the server log has them too).
            health["errors"] = [str(d) for d in served.errors]
        body = current.resource(dumps(health))
        return respond(request, current, body, store=False)

    @get(
        "/livez",
        summary="Whether the process is up (200 whenever it answers at all)",
        responses={200: _spec(Liveness)},
    )
    async def livez(request: AnyRequest) -> ASGIResponse:
        _only(request, set())
        return _uncached(200, {"status": "alive"})

    @get(
        "/readyz",
        summary="Whether a snapshot is served: 200 (ok, or degraded while the last edit is "
        "invalid and the last good content is served), 503 while none is loaded yet",
        responses={200: _spec(Readiness), 503: _spec(Readiness, description="Not ready")},
    )
    async def readyz(request: AnyRequest) -> ASGIResponse:
        _only(request, set())
        served = live.current
        if served is None:
            return _uncached(503, {"status": "loading", "version": None, "problems": 0})
        status = "degraded" if served.errors else "ok"
        body = {"status": status, "version": served.public.version, "problems": len(served.errors)}
        return _uncached(200, body)

    @get(
        "/metrics",
        summary="Prometheus metrics in the text exposition format",
        responses={200: _spec(str, media_type=metrics.CONTENT_TYPE)},
    )
    async def metrics_page(request: AnyRequest) -> ASGIResponse:
        _only(request, set())
        return ASGIResponse(
            body=metrics.exposition(),
            media_type=metrics.CONTENT_TYPE,
            headers={"cache-control": "no-store"},
        )

    app = Litestar(
        route_handlers=[
            articles,
            search,
            *served,
            labels,
            healthz,
            livez,
            readyz,
            metrics_page,
            openapi,
        ],
        exception_handlers={HTTPException: _error, NotLoaded: _not_loaded, Exception: _crash},
        on_shutdown=[metrics.process_ends],
        openapi_config=OpenAPIConfig(
            title="spikecontent content API",
            version=__version__,
            description="Read-only delivery of the content, byte for byte as exported.",
            path="/openapi",
            # The document only (served at /openapi.json below): no UI pages that load
            # scripts from a CDN.
            render_plugins=[JsonRenderPlugin()],
            create_examples=False,
        ),
    )
    replayed = Replay(JsonErrors(app), lambda: live.current)
    return Observed(Cors(HeadAsGet(replayed), cors_origins), log_requests=log_requests)


def _uncached(status: int, body: dict[str, Any]) -> ASGIResponse:
    """A health answer: never stored, never replayed."""
    return ASGIResponse(body=dumps(body), status_code=status, media_type=_JSON, headers=_NO_STORE)


_NO_STORE: Final = {"cache-control": "no-store"}


def _not_loaded(_: AnyRequest, error: NotLoaded) -> Response[bytes]:
    body = error_body(503, f"{error}; retry in a few seconds (/readyz says when it is ready)")
    headers = {"retry-after": "5", **_NO_STORE}
    return Response(body, status_code=503, media_type=_JSON, headers=headers)


_Serve = Callable[..., ASGIResponse]

_FIELDS = "Comma-separated top-level fields to return, e.g. title,url; unknown ones are a 400"
_DOTTED_FIELDS = (
    "Comma-separated fields to return, e.g. title,url; a dotted name chooses a field inside"
    " another (image.url), in each item of a list (research.citations.study.design);"
    " unknown ones are a 400"
)


def _fields_pattern(names: Sequence[str], *, dotted: bool = False) -> str:
    """A comma-separated list of ``names`` (each followed by ``.inner`` names when
    ``dotted``), as a pattern for the OpenAPI document."""
    one = "(" + "|".join(names) + ")" + (r"(\.[A-Za-z_][A-Za-z0-9_]*)*" if dotted else "")
    return f"^{one}(,{one})*$"


_SUMMARY_NAMES: Final = [field.name for field in attrs.fields(ArticleSummary)]
_DOCUMENT_NAMES: Final = [
    *(field.name for field in attrs.fields(Article) if field.init),
    "url",
    "pages",
    "articles",
]
_LIST_FIELDS: Final = _fields_pattern(_SUMMARY_NAMES)
_DOCUMENT_FIELDS: Final = _fields_pattern(_DOCUMENT_NAMES, dotted=True)
_LIST_PARAMETERS: Final = frozenset(
    {"skip", "limit", "fields", "category", "cites", "updated_since", "sort"}
)


def _only(request: AnyRequest, allowed: set[str] | frozenset[str]) -> None:
    """A 400 naming any query parameter the endpoint does not take: a typo must not be
    silently ignored."""
    try:
        check_parameters(request.query_params.keys(), allowed)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


def _known_study(current: Snapshot, cites: str | None) -> None:
    """A 400 for ``cites=`` naming no study: an empty answer there is a typo."""
    try:
        check_study(cites, current.catalog.studies)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


def _fields(text: str | None) -> tuple[str, ...]:
    try:
        return split_fields(text)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


def _answer(make: Callable[[], Resource | None]) -> Resource | None:
    try:
        return make()
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from None


def _artifact_handler(
    route: ArtifactRoute, serve: _Serve, blocking: Callable[[], bool]
) -> HTTPRouteHandler:
    """The GET handler of ``route``; while ``blocking()`` (the snapshot renders the
    route's writer on demand, slowly) it runs in a thread."""
    parameter = route.parameter

    def handle(request: AnyRequest, **values: Any) -> ASGIResponse:
        value = values[parameter] if parameter else None
        return serve(request, route, value, values.get("fields"))

    async def handle_async(request: AnyRequest, **values: Any) -> ASGIResponse:
        if blocking():
            return await anyio.to_thread.run_sync(functools.partial(handle, request, **values))
        return handle(request, **values)

    handler: Any = handle_async
    # Litestar reads the path parameter from the signature, so the table's parameter name
    # is given one (writing a function per route is what the table replaces).
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("request", kind, annotation=AnyRequest)]
    annotations: dict[str, Any] = {"request": AnyRequest, "return": ASGIResponse}
    if parameter:
        parameters.append(inspect.Parameter(parameter, kind, annotation=FromPath[str]))
        annotations[parameter] = FromPath[str]
    if route.projectable:
        projection = Annotated[
            str | None, Parameter(description=_DOTTED_FIELDS, pattern=_DOCUMENT_FIELDS)
        ]
        parameters.append(inspect.Parameter("fields", kind, annotation=projection, default=None))
        annotations["fields"] = projection
    handler.__signature__ = inspect.Signature(parameters, return_annotation=ASGIResponse)
    handler.__annotations__ = annotations
    handler.__name__ = handler.__qualname__ = route.name
    responses: dict[int, ResponseSpec] = {}
    if route.schema is not None:
        body_type = {"media_type": route.media_type} if route.media_type else {}
        responses[200] = _spec(route.schema, **body_type)
    if parameter:
        responses.update(_NOT_FOUND)
    options: dict[str, Any] = {}
    if route.media_type:
        options["media_type"] = route.media_type
    return get(route.path, summary=route.summary, responses=responses or None, **options)(handler)


@attrs.frozen
class _Asked:
    """The request headers the API reads."""

    authorization: str | None = None
    accept_encoding: str | None = None
    if_none_match: str | None = None


_ASKED_KEY = "spikecontent.asked"
_READ = {b"authorization": 0, b"accept-encoding": 1, b"if-none-match": 2}


def _headers(request: AnyRequest) -> _Asked:
    # One pass over the raw ASGI headers per request, kept in the scope, rather than a
    # Headers object built for the three headers this API reads: this is the hot path.
    scope = cast(dict[str, Any], request.scope)
    found: _Asked | None = scope.get(_ASKED_KEY)
    if found is None:
        values: list[str | None] = [None, None, None]
        for key, value in scope["headers"]:
            index = _READ.get(key)
            if index is not None:
                values[index] = bytes(value).decode("latin-1")
        found = scope[_ASKED_KEY] = _Asked(*values)
    return found


def _error(request: AnyRequest, error: HTTPException) -> Response[bytes]:
    status = error.status_code
    detail = error.detail
    extra = getattr(error, "extra", None)
    if status == 400 and extra:
        items = extra if isinstance(extra, list) else [extra]
        detail = "; ".join(_problem(request, item) for item in items)
    body = error_body(status, detail)
    return Response(body, status_code=status, media_type=_JSON, headers=error.headers)


def _typed(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with the delivery documents typed field by field: Litestar
    sees the article route's body as a mapping (it is bytes the json writer made), and
    the model's classes as the content has them, not as they are delivered."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in delivery_components().items():
        schemas[name] = _components(schema)
    article = document["paths"]["/articles/{slug}"]["get"]["responses"]["200"]
    article["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/ArticleDocument"
    }
    return document


def _with_studies(document: dict[str, Any], studies: tuple[str, ...]) -> dict[str, Any]:
    """``cites`` declared as one of the content's study ids (or absent)."""
    for path in ("/articles", "/search"):
        for parameter in document["paths"][path]["get"]["parameters"]:
            if parameter["name"] == "cites":
                parameter["schema"] = {
                    "oneOf": [{"type": "string", "enum": list(studies)}, {"type": "null"}],
                    "description": parameter["description"],
                }
    return document


def _components(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: value.replace("#/$defs/", "#/components/schemas/")
            if key == "$ref"
            else _components(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_components(item) for item in schema]
    return schema


def _problem(request: AnyRequest, item: object) -> str:
    """One of Litestar's validation problems as the error detail says it: what was
    wrong, and what to send instead."""
    if not isinstance(item, dict):
        return str(item)
    key, message = str(item.get("key", "")), str(item.get("message", ""))
    text = request.query_params.get(key)
    if message.startswith("Expected `int`, got") and text is not None:  # skip, limit
        return not_an_integer(key, text)
    bound = _BOUND.fullmatch(message)
    if bound is not None and text is not None:
        relation, limit = bound.groups()
        if relation == ">=":
            return f"{key}: {text!r} is less than the minimum, {limit}: send {key}={limit} or more"
        return (
            f"{key}: {text!r} is more than the maximum, {limit}: send {key}={limit} and"
            f" page on with skip={limit}, skip={2 * int(limit)}, ..."
            if key == "limit" and request.url.path == "/articles"
            else f"{key}: {text!r} is more than the maximum, {limit}: send {key}={limit} or less"
        )
    if key == "sort":
        return f"sort: {text!r} is not an order; send one of {', '.join(SORT_KEYS)}"
    if key == "updated_since":
        return (
            f"updated_since: {text!r} is not a day; send a date as YYYY-MM-DD"
            " (RFC 3339's full-date), e.g. updated_since=2026-08-01"
        )
    said = f"{key}: {message}"
    return (_fields_detail(request) or said) if key == "fields" else said


_BOUND: Final = re.compile(r"Expected `int` (<=|>=) (\d+)")


def _fields_detail(request: AnyRequest) -> str | None:
    """For ``fields`` the pattern refused: which name is unknown, and the close one (the
    pattern keeps the OpenAPI document exact; this keeps the message as helpful)."""
    names = _SUMMARY_NAMES if request.url.path == "/articles" else _DOCUMENT_NAMES
    try:
        wanted = split_fields(request.query_params.get("fields"))
        project(dict.fromkeys(names), wanted)
    except QueryError as error:
        return str(error)
    return None


def _crash(_: AnyRequest, error: Exception) -> Response[bytes]:
    body = error_body(HTTP_500_INTERNAL_SERVER_ERROR, type(error).__name__)
    return Response(body, status_code=HTTP_500_INTERNAL_SERVER_ERROR, media_type=_JSON)


class JsonErrors:
    """Every error response as JSON ``{"error", "detail"}``, also those Litestar makes
    itself outside the handlers (its OpenAPI controller answers unknown paths under
    ``/openapi`` with an HTML page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: dict[str, Any] = {}

        async def send_json_errors(message: Message) -> None:
            raw = cast(dict[str, Any], message)
            if raw["type"] == "http.response.start":
                headers = {bytes(k).lower(): bytes(v) for k, v in raw.get("headers", [])}
                media = headers.get(b"content-type", b"")
                if raw["status"] >= 400 and not media.startswith(b"application/json"):
                    start.update(raw)  # held back: the body is replaced
                    return
            elif raw["type"] == "http.response.body" and start:
                if raw.get("more_body"):
                    return  # the original body is dropped, whole
                status = int(start["status"])
                body = error_body(status, _REASONS.get(status, ""))
                kept = [
                    (k, v)
                    for k, v in start.get("headers", [])
                    if bytes(k).lower() not in (b"content-type", b"content-length")
                ]
                kept += [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ]
                await send(cast(Message, {**start, "headers": kept}))
                message = cast(Message, {"type": "http.response.body", "body": body})
            await send(message)

        await self.app(scope, receive, send_json_errors)


_REASONS = {404: "no such path", 405: "read-only: GET and HEAD", 500: "internal error"}


class HeadAsGet:
    """Answers HEAD like GET, with the same headers and no body (RFC 9110, 9.3.2)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = cast(dict[str, Any], scope)
        if raw.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b"", "more_body": False}
                if sent_body:
                    return
                sent_body.append(True)
            await send(message)

        sent_body: list[bool] = []
        await self.app(cast(Scope, {**raw, "method": "GET"}), receive, send_headers_only)
