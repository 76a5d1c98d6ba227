"""The resolved article document: one self-contained, JSON-ready mapping per article.

Shared entities are inlined where the article references them, keeping their ids, so a
consumer needs nothing else to show the article. Every prose field comes in three forms
(``markdown``, ``html``, ``tree``; see :mod:`spikecontent.richtext.delivery`) and every
link field is an absolute URL: no ``page:`` or ``article:`` reference survives, so no
client needs our renderer or our link table. ``spikecontent show --json`` prints it; the
headless delivery channels serve it.

The wire format is a configured converter (cattrs' ``preconf`` habit): the project's
strict converter, with unstructure hooks for prose, link fields, pictures and references
bound to one library (:func:`delivery_converter`), so the document is made in one pass.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from spikecontent.loading.converter import converter
from spikecontent.model import Article, EntryKey, Image, Library
from spikecontent.model.fields import REF_KIND, is_link
from spikecontent.richtext import RichText, delivery_forms

__all__ = ["article_document", "delivery_converter", "entity_document"]


def article_document(library: Library, article: Article | str) -> dict[str, Any]:
    """The article as plain data with every referenced entity inlined in place of its id.

    Prose is ``{"markdown", "html", "tree"}``; link fields are absolute URLs; ``url`` is the
    absolute canonical URL; ``pages`` and ``articles`` list the site pages and articles
    the prose links to, with absolute URLs.
    """
    if isinstance(article, str):
        article = library.article(article)
    document: dict[str, Any] = delivery_converter(library).unstructure(article)
    document["url"] = library.resolve_href(article.canonical_path)
    document["pages"] = [
        {
            "id": page,
            "title": library.page(page).title,
            "url": library.resolve_href(f"page:{page}"),
        }
        for page in article.linked_pages()
    ]
    document["articles"] = [
        {
            "slug": slug,
            "title": library.article(slug).title,
            "url": library.resolve_href(f"article:{slug}"),
        }
        for slug in article.linked_articles()
    ]
    return document


def entity_document(library: Library, entity: Any) -> dict[str, Any]:
    """Any entity (a study, a caution) as plain data, with the entities it references
    inlined in place of their ids."""
    document: dict[str, Any] = delivery_converter(library).unstructure(entity)
    return document


def delivery_converter(library: Library) -> cattrs.Converter:
    """The converter that makes delivery documents from ``library``'s entities: prose as
    its three forms, link fields as absolute URLs, a picture with its ``url``, and each
    reference as the document of the entity it names (kept for the last library asked)."""
    kept = _KEPT
    if kept and kept[0][0]() is library:
        return kept[0][1]
    conv = _configured(library)
    # A process delivers from one library at a time (an export's, a served snapshot's).
    kept[:] = [(weakref.ref(library), conv)]
    return conv


_KEPT: list[tuple[weakref.ref[Library], cattrs.Converter]] = []
"""The last library's converter: its hooks are made on first use, tens of milliseconds."""


def _configured(library: Library) -> cattrs.Converter:
    # The hooks hold the library weakly: a strong reference from the kept converter would
    # keep the last library alive after its process let it go.
    held: Library = weakref.proxy(library)
    conv = converter().copy()
    conv.register_unstructure_hook(RichText, lambda text: delivery_forms(text, held.resolve_href))
    conv.register_unstructure_hook_factory(attrs.has, lambda cls: _entity_hook(cls, conv, held))
    return conv


def _entity_hook(
    cls: type, conv: cattrs.Converter, library: Library
) -> Callable[[Any], dict[str, Any]]:
    """An attrs class as a dict, its link fields resolved and its references inlined."""
    overrides: dict[str, Any] = {}  # field name: override()
    for field in attrs.fields(cls):
        kind = field.metadata.get(REF_KIND)
        if kind is not None:
            overrides[field.name] = override(unstruct_hook=_inline(kind, conv, library))
        elif is_link(field):
            overrides[field.name] = override(unstruct_hook=_absolute(library))
    plain: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, conv, **overrides)
    if cls is not Image:
        return plain
    media = library.site.media
    return lambda image: {**plain(image), "url": media(image.file)}


def _inline(kind: str, conv: cattrs.Converter, library: Library) -> Callable[[Any], Any]:
    """A reference field's hook: each id (one, or a tuple of them) as its entity's document."""

    def document(ident: str) -> Any:
        return conv.unstructure(library.entry(EntryKey(kind, ident)))

    def inline(value: str | tuple[str, ...] | None) -> Any:
        if isinstance(value, tuple):
            return [document(ident) for ident in value]
        return None if value is None else document(value)

    return inline


def _absolute(library: Library) -> Callable[[str | None], str | None]:
    """A link field's hook: its target as an absolute URL."""
    return lambda value: None if value is None else library.resolve_href(value)
