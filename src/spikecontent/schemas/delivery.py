"""JSON Schema of the delivery documents (what the ``json`` writer writes and the API
serves), from the same model: every field present (``null`` where the content leaves it
out), prose as its three forms, each reference as the entity it names, links as URLs.

The API puts these into its OpenAPI document, so a generated client gets an Article
model with every field typed, down to the rich-text tree.
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib.resources import files
from typing import Any, Final

import attrs

from spikecontent.model import Article, Image, collection
from spikecontent.model.fields import REF_KIND, is_link
from spikecontent.richtext import RichText
from spikecontent.schemas.generate import SchemaBuilder, refs_renamed

__all__ = ["DeliveryBuilder", "delivery_components"]

_RICH_TEXT: Final = "RichText"
_TREE: Final = "RichTextTree"


class DeliveryBuilder(SchemaBuilder):
    """Schemas of entities as the delivery document holds them."""

    measured = True

    def object(self, cls: type) -> dict[str, Any]:
        """Every field required: the document always has it, ``null`` when empty; a
        picture also has its published ``url``."""
        schema = super().object(cls)
        if cls is Image:
            url = {"type": "string", "format": "uri", "description": "Where it is published."}
            schema["properties"] = {**schema["properties"], "url": url}
        schema["required"] = list(schema["properties"])
        return schema

    def field(self, field: attrs.Attribute[Any], hint: Any) -> dict[str, Any]:
        """References inlined as their entity; links as URLs; optional ones nullable."""
        kind = field.metadata.get(REF_KIND)
        if kind is not None:
            # Inlined, or a link below the include= depth asked for.
            target = {"anyOf": [{"$ref": self.ref(collection(kind).cls)}, {"$ref": _LINK_REF}]}
            schema = super().field(field, hint)
            inlined: dict[str, Any] = (
                {"type": "array", "items": target} if schema.get("type") == "array" else target
            )
            return self._nullable(inlined, field)
        if is_link(field):
            return self._nullable({"type": "string", "format": "uri"}, field)
        return self._nullable(super().field(field, hint), field)

    def type(self, hint: Any) -> dict[str, Any]:
        """Prose as its forms; amounts as the decimal text the document carries."""
        if hint is RichText:
            self._rich_text()
            return {"$ref": f"#/$defs/{_RICH_TEXT}"}
        if hint is Decimal:
            return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
        return super().type(hint)

    def _nullable(self, schema: dict[str, Any], field: attrs.Attribute[Any]) -> dict[str, Any]:
        if field.default is None:
            return {"anyOf": [schema, {"type": "null"}]}
        return schema

    def _rich_text(self) -> None:
        if _RICH_TEXT in self.defs:
            return
        tree = json.loads(files("spikecontent.schemas").joinpath("richtext-tree.json").read_text())
        for name, definition in tree.pop("$defs").items():
            self.defs[f"{_TREE}{name.capitalize()}"] = _renamed(definition)
        self.defs[_TREE] = _renamed({k: v for k, v in tree.items() if not k.startswith("$")})
        self.defs[_RICH_TEXT] = {
            "type": "object",
            "description": "A prose field in three forms (see docs/delivery-api.md).",
            "properties": {
                "markdown": {"type": "string", "description": "As written; links absolute."},
                "html": {"type": "string", "description": "Escaped HTML; links absolute."},
                "tree": {"$ref": f"#/$defs/{_TREE}"},
            },
            "required": ["markdown", "html", "tree"],
            "additionalProperties": False,
        }


def delivery_components(sys: dict[str, Any] | None = None) -> dict[str, Any]:
    """Schemas of the article document (``ArticleDocument``) and everything in it, by
    name, with ``#/$defs/`` references; ``sys``, the schema of an entry's metadata, is
    required at the article document's top and allowed at a study's or caution's (the
    API's documents carry it; the export's do not, nor an entity inlined)."""
    builder = DeliveryBuilder()
    article = builder.object(Article)
    link = {"type": "string", "format": "uri"}
    article["properties"] |= {
        "url": link | {"description": "The article's absolute canonical URL."},
        "pages": _listing("id", "The site pages the prose links to."),
        "articles": _listing("slug", "The articles the prose links to."),
    }
    article["required"] = list(article["properties"])
    defs = {**builder.defs, "Link": _LINK}
    if sys is not None:
        article["properties"] = {"sys": sys, **article["properties"]}
        article["required"] = ["sys", *article["required"]]
        for name in ("Study", "Caution"):
            defs[name] = {**defs[name], "properties": {"sys": sys, **defs[name]["properties"]}}
    return {**defs, "ArticleDocument": article}


_LINK_REF: Final = "#/$defs/Link"
_LINK: Final = {
    "type": "object",
    "description": "A reference below the include= depth: the entry's type and id.",
    "properties": {
        "sys": {
            "type": "object",
            "properties": {
                "type": {"const": "Link"},
                "link_type": {"type": "string", "description": "Study, Caution, Person, ..."},
                "id": {"type": "string"},
            },
            "required": ["type", "link_type", "id"],
            "additionalProperties": False,
        }
    },
    "required": ["sys"],
    "additionalProperties": False,
}


def _listing(key: str, description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": description,
        "items": {
            "type": "object",
            "properties": {
                key: {"type": "string"},
                "title": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
            "required": [key, "title", "url"],
            "additionalProperties": False,
        },
    }


def _renamed(schema: Any) -> Any:
    """The tree schema's own ``#/$defs/x`` references, under their new names."""
    return refs_renamed(schema, lambda ref: f"#/$defs/{_TREE}{ref.rsplit('/', 1)[-1].capitalize()}")
