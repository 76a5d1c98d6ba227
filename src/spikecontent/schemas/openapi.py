"""The delivery API's OpenAPI 3.1 document, generated from its route table.

The API passes each route as an :class:`Operation`: its path, its query parameters as it
declares them, and the statuses it answers. What the document says of each operation (its
summary and the type of its 200 body, :data:`OPERATIONS`) is published text, kept here
with the rest of the document's words. The bodies are typed from classes: the delivery
documents by :class:`~spikecontent.schemas.delivery.DeliveryBuilder` (every field, down to
the rich-text tree), the API's own envelopes from :mod:`.bodies`. The document is made
once per set of study ids and sync tokens (``cites`` and ``sync_token`` list the current
ones) and is the same bytes for the same content: no examples, no dates.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

import attrs

from spikecontent.model import Caution, Study
from spikecontent.schemas import bodies
from spikecontent.schemas.delivery import DeliveryBuilder, delivery_components
from spikecontent.schemas.generate import SchemaBuilder, refs_renamed

__all__ = ["OPERATIONS", "Described", "Operation", "openapi_document"]

_REASONS: Final = {
    400: "Bad query parameters",
    404: "No such item",
    503: "Not ready",
}


class Described(NamedTuple):
    """What the document says of one operation."""

    body: Any
    """The 200 body's type: a class, ``list[...]``, ``str``/``bytes``, or a component name."""
    summary: str


OPERATIONS: Final = {
    "articles": Described(bodies.ArticlePage, "Articles, a page at a time"),
    "search": Described(
        bodies.SearchResults,
        "Full-text search of every published text of the articles (SQLite FTS5, English"
        " stems, BM25 with field weights), with highlighted snippets",
    ),
    "sync": Described(
        bodies.SyncPage,
        "The entries created, updated and deleted since a sync token (every entry without"
        " one), a page at a time: next_page_token while more remain, next_sync_token on the"
        " last page; tokens come from the content's history, so they stay valid across"
        " restarts",
    ),
    "article": Described(
        "ArticleDocument",
        "An article with its references resolved (the json writer's document) and its sys",
    ),
    "article_jsonld": Described(dict[str, Any], "The article's schema.org JSON-LD graph"),
    "article_leaflet": Described(bytes, "The article's printable leaflet"),
    "studies": Described(list[Study], "The studies the articles cite, each with its sys"),
    "study": Described(Study, "One study, with its sys"),
    "cautions": Described(
        list[Caution],
        "Who should avoid the products, as the articles list them, each with its sys",
    ),
    "feed_rss": Described(str, "Site-wide update feed, RSS 2.0"),
    "feed_atom": Described(str, "Site-wide update feed, Atom 1.0"),
    "macros": Described(list[bodies.MacroEntry], "Support macros"),
    "macro_text": Described(
        str, "One support macro as plain text; name is the macro id followed by .txt"
    ),
    "labels": Described(
        bodies.Labels,
        "Reader-facing labels for every enum key the documents carry (a study's design, an"
        " outcome's kind, a credit's role, an article's status): the words the pages and"
        " leaflets use",
    ),
    "healthz": Described(
        bodies.Health,
        "Liveness, and whether the last edit of the content was valid (its problems listed"
        " for the preview token only)",
    ),
    "livez": Described(
        bodies.Liveness, "Whether the process is up (200 whenever it answers at all)"
    ),
    "readyz": Described(
        bodies.Readiness,
        "Whether a snapshot is served: 200 (ok, or degraded while the last edit is invalid"
        " and the last good content is served), 503 while none is loaded yet",
    ),
    "metrics": Described(str, "Prometheus metrics in the text exposition format"),
}
"""Each operation the document lists, by its id: every route the API serves but
``/openapi.json`` itself."""


@attrs.frozen(kw_only=True)
class Operation:
    """One GET route as the API declares it; :data:`OPERATIONS` describes it by ``name``."""

    name: str
    path: str
    parameters: Sequence[Mapping[str, Any]]
    """Its query parameters' declarations: ``name``, ``description``, ``type`` (string,
    integer, date or flag), ``default``, ``required``, ``minimum``, ``maximum``,
    ``choices`` and ``pattern``."""
    media_type: str
    statuses: tuple[int, ...]
    """The other statuses it answers; each has the error body (503: the 200's)."""
    conditional: bool = True
    """Whether it answers with ``ETag`` and ``Last-Modified``, and ``304`` to a request
    that names them (``If-None-Match``, ``If-Modified-Since``)."""


class _BodyBuilder(DeliveryBuilder):
    """The API's envelopes as plain JSON: optional fields nullable and not required;
    the model classes they hold as delivered."""

    def object(self, cls: type) -> dict[str, Any]:
        if cls.__module__ != bodies.__name__:
            return super().object(cls)
        return SchemaBuilder.object(self, cls)

    def type(self, hint: Any) -> dict[str, Any]:
        origin, arguments = typing.get_origin(hint), typing.get_args(hint)
        if origin is list:
            return {"type": "array", "items": self.type(arguments[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.type(arguments[1])}
        if origin in (typing.Union, types.UnionType) and type(None) in arguments:
            present = [self.type(a) for a in arguments if a is not type(None)]
            return {"anyOf": [*present, {"type": "null"}]}
        if hint is float:
            return {"type": "number"}
        if hint is bytes:
            return {"type": "string", "format": "binary"}
        if hint is typing.Any:
            return {}
        return super().type(hint)


def openapi_document(
    operations: Sequence[Operation], *, version: str, values: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The whole document; a parameter named in ``values`` takes one of its values (the
    content's study ids for ``cites``, the history's tokens for ``sync_token``)."""
    builder = _BodyBuilder()
    sys = builder.type(bodies.Sys)
    error = builder.type(bodies.ErrorBody)
    paths: dict[str, Any] = {}
    for operation in operations:
        described = OPERATIONS[operation.name]
        body = (
            {"$ref": f"#/$defs/{described.body}"}
            if isinstance(described.body, str) and described.body[:1].isupper()
            else builder.type(described.body)
        )
        ok = {"description": "OK", "content": {operation.media_type: {"schema": body}}}
        responses: dict[str, Any] = {"200": ok}
        if operation.conditional:
            ok["headers"] = _CONDITIONAL
            responses["304"] = {"description": "Not Modified", "headers": _CONDITIONAL}
        for status in operation.statuses:
            shape = body if status == 503 else error
            responses[str(status)] = {
                "description": _REASONS[status],
                "content": {"application/json": {"schema": shape}},
            }
        parameters = [_path_parameter(operation.path)] if "{" in operation.path else []
        parameters += [_parameter(p, values) for p in operation.parameters]
        get: dict[str, Any] = {"operationId": operation.name, "summary": described.summary}
        get |= {"parameters": parameters, "responses": responses}
        paths[operation.path] = {"get": get}
    components = {**builder.defs, **delivery_components(sys)}
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "spikecontent content API",
            "version": version,
            "description": "Read-only delivery of the content, built from the same model"
            " and writers as the export.",
        },
        "paths": paths,
        "components": {"schemas": dict(sorted(components.items()))},
    }
    # Schemas refer to each other as ``#/$defs/``; here they are components.
    document = refs_renamed(document, lambda ref: ref.replace("#/$defs/", "#/components/schemas/"))
    return typing.cast(dict[str, Any], document)


_CONDITIONAL: Final = {
    "ETag": {
        "description": "Strong, one per encoding: send it in If-None-Match",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When this server first served these bytes: send it in If-Modified-Since",
        "schema": {"type": "string"},
    },
    "X-Content-Version": {
        "description": "The served content's version (any edit changes it)",
        "schema": {"type": "string"},
    },
}


def _path_parameter(path: str) -> dict[str, Any]:
    name = path[path.index("{") + 1 : path.index("}")]
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _parameter(declared: Mapping[str, Any], values: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    kind = declared["type"]
    schema: dict[str, Any] = {"type": "integer" if kind == "integer" else "string"}
    if kind == "date":
        schema["format"] = "date"
    if kind == "flag":
        schema["enum"] = ["", "1", "true"]
    for key in ("minimum", "maximum", "pattern", "default"):
        if declared[key] is not None:
            schema[key] = declared[key]
    if declared["choices"]:
        schema["enum"] = list(declared["choices"])
    if declared["required"]:
        schema["minLength"] = 1
    known = values.get(declared["name"])
    if known is not None:  # the content's own values (study ids, sync tokens)
        schema = {"type": "string", "enum": list(known)}
    return {
        "name": declared["name"],
        "in": "query",
        "required": declared["required"],
        "description": declared["description"],
        "schema": schema,
    }
