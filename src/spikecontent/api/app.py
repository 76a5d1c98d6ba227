"""The read-only HTTP API (Litestar): routes, conditional GET, JSON errors, OpenAPI 3.1.

Every body comes from :class:`~spikecontent.api.resources.ApiContent`, that is from the
writers. Each response has a strong ETag (a hash of the body) and ``Cache-Control``; a
request whose ``If-None-Match`` names the current ETag gets ``304 Not Modified`` with no
body. HEAD is answered for every GET route by :class:`HeadAsGet`.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Annotated, Any, cast

from litestar import Litestar, Request, Response, get
from litestar.exceptions import HTTPException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.params import FromPath, Parameter
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_304_NOT_MODIFIED, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from spikecontent._version import __version__
from spikecontent.api.resources import ApiContent, Resource
from spikecontent.api.routes import ROUTES, ArtifactRoute
from spikecontent.api.schemas import ArticlePage, ErrorBody, Health

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "HeadAsGet", "create_app"]

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
"""Larger ``limit`` values are capped to this."""

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


def create_app(content: ApiContent, *, max_age: int = 300) -> ASGIApp:
    """The API over ``content``, answering GET and HEAD."""
    cache_control = f"public, max-age={max_age}"

    def respond(request: AnyRequest, resource: Resource | None) -> ASGIResponse:
        # ASGIResponse skips Litestar's response processing: the bodies are final bytes.
        if resource is None:
            raise HTTPException(status_code=404, detail=f"nothing at {request.url.path}")
        headers = {"etag": resource.etag, "cache-control": cache_control}
        if _matches(_if_none_match(request), resource.etag):
            return ASGIResponse(status_code=HTTP_304_NOT_MODIFIED, headers=headers)
        return ASGIResponse(body=resource.body, media_type=resource.media_type, headers=headers)

    index = content.get("json", "index.json")
    summaries: list[Any] = json.loads(index.body)["articles"] if index else []

    @functools.lru_cache(maxsize=4096)
    def page(skip: int, limit: int) -> Resource:
        items = summaries[skip : skip + limit]
        body = {"items": items, "total": len(summaries), "skip": skip, "limit": limit}
        return Resource.of(_dumps(body), _JSON)

    @get(
        "/articles",
        summary="Articles, a page at a time",
        responses={200: _spec(ArticlePage), 400: _ERRORS[400]},
    )
    async def articles(
        request: AnyRequest,
        skip: Annotated[int, Parameter(ge=0, description="Articles to skip")] = 0,
        limit: Annotated[
            int, Parameter(ge=1, description=f"Page size; capped at {MAX_LIMIT}")
        ] = DEFAULT_LIMIT,
    ) -> ASGIResponse:
        return respond(request, page(skip, min(limit, MAX_LIMIT)))

    def serve(request: AnyRequest, route: ArtifactRoute, value: str | None) -> ASGIResponse:
        path = route.artifact_for(value)
        return respond(request, content.get(route.writer, path) if path is not None else None)

    served = [_artifact_handler(r, serve, content.renders_on_demand(r.writer)) for r in ROUTES]

    @functools.cache
    def openapi_document(app: Litestar) -> Resource:
        return Resource.of(_dumps(app.openapi_schema.to_schema()), "application/json")

    @get("/openapi.json", include_in_schema=False)
    async def openapi(request: AnyRequest) -> ASGIResponse:
        return respond(request, openapi_document(request.app))

    @get("/healthz", summary="Liveness", responses={200: _spec(Health)})
    async def healthz(request: AnyRequest) -> ASGIResponse:
        body = _dumps({"status": "ok", "articles": len(summaries)})
        return respond(request, Resource.of(body, _JSON))

    app = Litestar(
        route_handlers=[articles, *served, healthz, openapi],
        exception_handlers={HTTPException: _error, Exception: _crash},
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
    return HeadAsGet(app)


_Serve = Callable[[AnyRequest, ArtifactRoute, "str | None"], ASGIResponse]


def _artifact_handler(route: ArtifactRoute, serve: _Serve, blocking: bool) -> HTTPRouteHandler:
    """The GET handler of ``route``; a blocking one (rendering on demand) runs in a thread."""
    parameter = route.parameter

    def handle(request: AnyRequest, **values: str) -> ASGIResponse:
        return serve(request, route, values[parameter] if parameter else None)

    async def handle_async(request: AnyRequest, **values: str) -> ASGIResponse:
        return handle(request, **values)

    handler: Any = handle if blocking else handle_async
    # Litestar reads the path parameter from the signature, so the table's parameter name
    # is given one (writing a function per route is what the table replaces).
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("request", kind, annotation=AnyRequest)]
    annotations: dict[str, Any] = {"request": AnyRequest, "return": ASGIResponse}
    if parameter:
        parameters.append(inspect.Parameter(parameter, kind, annotation=FromPath[str]))
        annotations[parameter] = FromPath[str]
    handler.__signature__ = inspect.Signature(parameters, return_annotation=ASGIResponse)
    handler.__annotations__ = annotations
    handler.__name__ = handler.__qualname__ = route.name
    responses: dict[int, ResponseSpec] = {}
    if route.schema is not None:
        body_type = {"media_type": route.media_type} if route.media_type else {}
        responses[200] = _spec(route.schema, **body_type)
    if parameter:
        responses.update(_NOT_FOUND)
    options: dict[str, Any] = {"sync_to_thread": True} if blocking else {}
    if route.media_type:
        options["media_type"] = route.media_type
    return get(route.path, summary=route.summary, responses=responses or None, **options)(handler)


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _if_none_match(request: AnyRequest) -> str | None:
    # Scanned from the raw ASGI headers, on the hot path of every request, rather than
    # through a Headers object built for the one header this API reads.
    for name, value in request.scope["headers"]:
        if name == b"if-none-match":
            return bytes(value).decode("latin-1")
    return None


def _matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 asks)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


_PHRASES = {400: "bad request", 404: "not found", 405: "method not allowed"}


def _error(_: AnyRequest, error: HTTPException) -> Response[bytes]:
    status = error.status_code
    detail = error.detail
    extra = getattr(error, "extra", None)
    if status == 400 and extra:
        detail = "; ".join(
            f"{item.get('key', '')}: {item.get('message', '')}"
            if isinstance(item, dict)
            else str(item)
            for item in (extra if isinstance(extra, list) else [extra])
        )
    body = _dumps({"error": _PHRASES.get(status, "error"), "detail": detail})
    return Response(body, status_code=status, media_type=_JSON, headers=error.headers)


def _crash(_: AnyRequest, error: Exception) -> Response[bytes]:
    body = _dumps({"error": "internal error", "detail": type(error).__name__})
    return Response(body, status_code=HTTP_500_INTERNAL_SERVER_ERROR, media_type=_JSON)


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
