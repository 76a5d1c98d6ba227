"""JSON Schema (2020-12) from the attrs model, as the strict converter reads it.

Written here rather than taken from a generator because none knows the rules that make a
file valid here: the strict converter (no coercion, unknown keys refused, dates and
amounts as the loader reads them), the validators that name a fix (ids, links, years,
non-empty text), references that must name an entity that exists, and prose as Markdown
text. pydantic's generator does not read attrs classes, and Litestar's (in the API extra,
used for the OpenAPI document) knows none of those rules. The loader stays the authority:
a schema can only be as strict as what it can say, and the editor's inline errors are a
first look, not the check.
"""

from __future__ import annotations

import ast
import datetime
import enum
import functools
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs

from spikecontent.links import ID_PATTERN
from spikecontent.loading.allowances import ALLOW_KEY
from spikecontent.model.fields import (
    REF_KIND,
    href,
    identifier,
    identifiers,
    non_empty,
    non_empty_text,
    positive,
    site_path,
)
from spikecontent.model.media import MEASURED
from spikecontent.richtext import RichText

__all__ = ["DIALECT", "SchemaBuilder", "field_validators", "refs_renamed"]

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_ID: Final = ID_PATTERN.pattern
# The loader's link policy (links.check_href) as a pattern: page:<id>, article:<slug>,
# /path, or absolute.
_HREF: Final = rf"^((page|article):{_ID[1:-1]}|/(?!/).*|(https?://|mailto:).+)$"
# Article.path (model.article.site_path): a site path or an http(s) URL, no other link.
_SITE_PATH: Final = r"^(/(?!/).*|https?://.+)$"
_DATE: Final = r"^\d{4}-\d{2}-\d{2}$"
_TEXT: Final = r"\S"


class SchemaBuilder:
    """Builds schemas for attrs classes, sharing one ``$defs`` table per document.

    ``ids`` maps a collection name to the ids that exist, so a reference field offers (and
    checks) exactly those; without it a reference is any well-formed id.
    """

    measured = False
    """Whether fields the loader measures (a picture's size) are part of the schema:
    content never writes them."""

    def __init__(self, ids: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.ids = ids or {}
        self.defs: dict[str, Any] = {}

    def document(self, cls: type, *, title: str, file_keys: bool = True) -> dict[str, Any]:
        """The whole schema of a file holding one ``cls``; ``file_keys`` adds
        ``lint_allow``."""
        root = dict(self.object(cls))
        if file_keys:
            root["properties"] = {**root["properties"], ALLOW_KEY: _ALLOW}
        return {
            "$schema": DIALECT,
            "title": title,
            **root,
            "$defs": dict(sorted(self.defs.items())),
        }

    def object(self, cls: type) -> dict[str, Any]:
        """The schema of an attrs class's mapping (not a reference to it)."""
        hints = typing.get_type_hints(cls)
        docs = attribute_docs(cls)
        properties: dict[str, Any] = {}
        required = []
        for field in attrs.fields(cls):
            if not field.init or (field.metadata.get(MEASURED) and not self.measured):
                continue
            name = field.alias or field.name
            schema = self.field(field, hints[field.name])
            if name in docs:
                schema = {**schema, "description": docs[name]}
            properties[name] = schema
            if field.default is attrs.NOTHING:
                required.append(name)
        result: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            result["required"] = required
        description = _clean(cls.__doc__)
        if description:
            result["description"] = description
        return result

    def field(self, field: attrs.Attribute[Any], hint: Any) -> dict[str, Any]:
        """A field's schema: its type, narrowed by what its validators and metadata say."""
        kind = field.metadata.get(REF_KIND)
        validators = field_validators(field.validator)
        schema = self.type(hint)
        if kind is not None:
            ids = self.id_schema(kind)
            return {"type": "array", "items": ids} if schema.get("type") == "array" else ids
        if identifier in validators:
            schema = {**schema, "pattern": _ID}
        if identifiers in validators:
            schema = {**schema, "items": {"type": "string", "pattern": _ID}}
        if href in validators:
            schema = {**schema, "pattern": _HREF}
        if site_path in validators:
            schema = {**schema, "pattern": _SITE_PATH}
        if non_empty_text in validators and schema.get("type") == "string":
            schema = {**schema, "pattern": _TEXT}
        if positive in validators:
            schema = {**schema, "minimum": 1}
        if non_empty in validators:
            schema = {**schema, "minItems": 1}
        if any(getattr(v, "__name__", "") == "_year" for v in validators):
            # evidence._year: the plausible years a study can carry.
            schema = {**schema, "minimum": 1900, "maximum": 2100}
        return schema

    def id_schema(self, kind: str) -> dict[str, Any]:
        """An id of ``kind``: one of those that exist, when known."""
        known = self.ids.get(kind)
        if known:
            return {"enum": list(known)}
        return {"type": "string", "pattern": _ID}

    def type(self, hint: Any) -> dict[str, Any]:
        """The schema of a type as the strict converter reads it."""
        origin = typing.get_origin(hint)
        arguments = typing.get_args(hint)
        if origin in (typing.Union, types.UnionType):
            present = [a for a in arguments if a is not type(None)]
            if len(present) == 1:
                return self.type(present[0])  # leaving the key out is how to say "none"
            return {"anyOf": [self.type(a) for a in present]}
        if origin is tuple:
            return {"type": "array", "items": self.type(arguments[0])}
        if hint is str or hint is RichText:
            return {"type": "string"}
        if hint is bool:
            return {"type": "boolean"}
        if hint is int:
            return {"type": "integer"}
        if hint is Decimal:
            return {"type": "number"}
        if hint is datetime.date:
            return {"type": "string", "format": "date", "pattern": _DATE}
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return {"enum": [member.value for member in hint]}
        if isinstance(hint, type) and attrs.has(hint):
            return {"$ref": self.ref(hint)}
        return {}

    def ref(self, cls: Any) -> str:
        """A reference to ``cls``'s schema in ``$defs``, made on first use."""
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder: classes may refer to themselves
            self.defs[name] = self.object(cls)
        return f"#/$defs/{name}"


_ALLOW: Final = {
    "description": "Reasoned lint exceptions: each waives one rule on one field.",
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "rule": {"type": "string", "pattern": _TEXT, "description": "The rule lint names."},
            "field": {
                "type": "string",
                "pattern": _TEXT,
                "description": "The field, as lint prints it (faq.items[2].question).",
            },
            "reason": {
                "type": "string",
                "pattern": _TEXT,
                "description": "Why the rule does not apply here.",
            },
            "words": {
                "type": "string",
                "pattern": r"\S+\s+\S+\s+\S",
                "description": (
                    "Optional: only findings whose words hold these are waived (a sentence"
                    " the second opinion warns on), not a claim written later in the field."
                ),
            },
        },
        "required": ["rule", "field", "reason"],
        "additionalProperties": False,
    },
}


def field_validators(validator: Any) -> set[Any]:
    """The validators of a field, ``and_`` and ``optional`` taken apart."""
    found: set[Any] = set()
    pending = [validator]
    while pending:
        current = pending.pop()
        if current is None:
            continue
        found.add(current)
        pending.extend(getattr(current, "_validators", ()))
        inner = getattr(current, "validator", None)
        if inner is not None and inner is not current:
            pending.append(inner)
    return found


@functools.cache
def attribute_docs(cls: type) -> dict[str, str]:
    """The docstring written under each field of ``cls`` (the string literal after it)."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    docs: dict[str, str] = {}
    statements = body.body
    for current, following in itertools.pairwise(statements):
        if (
            isinstance(current, ast.AnnAssign)
            and isinstance(current.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[current.target.id] = _clean(following.value.value)
    return docs


def _clean(text: str | None) -> str:
    return " ".join(inspect.cleandoc(text).split()) if text else ""


def refs_renamed(schema: Any, rename: Callable[[str], str]) -> Any:
    """``schema`` with the target of every ``$ref`` in it passed through ``rename``."""
    if isinstance(schema, dict):
        return {
            key: rename(value) if key == "$ref" else refs_renamed(value, rename)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [refs_renamed(item, rename) for item in schema]
    return schema
