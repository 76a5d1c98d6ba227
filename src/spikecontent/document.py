"""The resolved article document: one self-contained, JSON-ready mapping per article.

Shared entities are inlined where the article references them, so a consumer needs
nothing else to show the article. ``spikecontent show --json`` prints it; the headless
delivery channels serve it.
"""

from __future__ import annotations

from typing import Any

from spikecontent.loading.converter import unstructure
from spikecontent.model import Article, EntryKey, Library
from spikecontent.model.walk import references

__all__ = ["article_document", "entity_document"]


def article_document(library: Library, article: Article | str) -> dict[str, Any]:
    """The article as plain data with every referenced entity inlined in place of its id.

    Prose stays Markdown as written; ``url`` is the absolute canonical URL and ``pages``
    lists the site pages the prose links to, with absolute URLs.
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
    return document


def entity_document(library: Library, entity: Any) -> dict[str, Any]:
    """Any entity (a study, a caution) as plain data, with the entities it references
    inlined in place of their ids."""
    return _inlined(library, entity)


def _inlined(library: Library, entity: Any) -> dict[str, Any]:
    # Referenced entities may reference others in turn (an offer names its product).
    data: dict[str, Any] = unstructure(entity)
    for ref in references(entity):
        *parents, last = ref.path
        container: Any = data
        for part in parents:
            container = container[part]
        container[last] = _inlined(library, library.entry(EntryKey(ref.kind, ref.id)))
    return data
