"""The resolved article document: one self-contained, JSON-ready mapping per article.

Shared entities are inlined where the article references them, keeping their ids, so a
consumer needs nothing else to show the article. Every prose field comes in three forms
(``markdown``, ``html``, ``tree``; see :mod:`spikecontent.richtext.delivery`) and every
link field is an absolute URL: no ``page:`` or ``article:`` reference survives, so no
client needs our renderer or our link table. ``spikecontent show --json`` prints it; the
headless delivery channels serve it.
"""

from __future__ import annotations

from typing import Any

from spikecontent.loading.converter import unstructure
from spikecontent.model import Article, EntryKey, Image, Library
from spikecontent.model.fields import href
from spikecontent.model.walk import HREF, field_values, references
from spikecontent.richtext import RichText, delivery_forms

__all__ = ["article_document", "entity_document"]


def article_document(library: Library, article: Article | str) -> dict[str, Any]:
    """The article as plain data with every referenced entity inlined in place of its id.

    Prose is ``{"markdown", "html", "tree"}``; link fields are absolute URLs; ``url`` is the
    absolute canonical URL; ``pages`` and ``articles`` list the site pages and articles
    the prose links to, with absolute URLs.
    """
    if isinstance(article, str):
        article = library.article(article)
    document = _inlined(library, article)
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
    return _inlined(library, entity)


def _inlined(library: Library, entity: Any) -> dict[str, Any]:
    # Referenced entities may reference others in turn (an offer names its product).
    data: dict[str, Any] = unstructure(entity)
    # Only fields that can hold prose, a link or a picture are entered: an entity is
    # inlined into every article that references it, 12,000 walks at 1,000 articles.
    for path, value, field in field_values(entity, holding=_REPLACED):
        if isinstance(value, RichText):
            _put(data, path, delivery_forms(value, library.resolve_href))
        elif field.validator is href and isinstance(value, str):
            _put(data, path, library.resolve_href(value))
        elif isinstance(value, Image):
            _put(data, (*path, "url"), library.site.media(value.file))
    for ref in references(entity):
        _put(data, ref.path, _inlined(library, library.entry(EntryKey(ref.kind, ref.id))))
    return data


_REPLACED = (RichText, Image, HREF)
"""What :func:`_inlined` replaces: prose by its forms, links by URLs, pictures' URLs."""


def _put(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    """Replace the value at ``path`` of the plain data."""
    *parents, last = path
    for part in parents:
        data = data[part]
    data[last] = value
