"""The delivery API's OpenAPI 3.1 document, generated from its route table.

The API passes each route as an :class:`Operation` (its parameters already in OpenAPI's
form); the bodies are typed from classes: the delivery documents by
:class:`~spikecontent.schemas.delivery.DeliveryBuilder` (every field, down to the
rich-text tree), the API's own envelopes from :mod:`.bodies`. The document is made once
per set of study ids and sync tokens (``cites`` and ``sync_token`` list the
current ones) and is the same bytes for the same
content: no examples, no dates.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs

from spikecontent.schemas import bodies
from spikecontent.schemas.delivery import DeliveryBuilder, delivery_components
from spikecontent.schemas.generate import SchemaBuilder, refs_renamed

__all__ = ["Operation", "openapi_document"]

_REASONS: Final = {
    400: "Bad query parameters",
    404: "No such item",
    503: "Not ready",
}


@attrs.frozen(kw_only=True)
class Operation:
    """One GET route as the document describes it."""

    name: str
    path: str
    summary: str
    parameters: list[dict[str, Any]]
    body: Any
    """The 200 body's type: a class, ``list[...]``, ``str``/``bytes``, or a component name."""
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
        body = (
            {"$ref": f"#/$defs/{operation.body}"}
            if isinstance(operation.body, str) and operation.body[:1].isupper()
            else builder.type(operation.body)
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
        parameters += [_with_values(p, values) for p in operation.parameters]
        get: dict[str, Any] = {"operationId": operation.name, "summary": operation.summary}
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


def _with_values(parameter: dict[str, Any], values: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    known = values.get(parameter["name"])
    if known is None:
        return parameter
    return {**parameter, "schema": {"type": "string", "enum": list(known)}}
