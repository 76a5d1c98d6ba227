"""The resolved article document: one self-contained, JSON-ready mapping per article.

Shared entities are inlined where the article references them, so a consumer needs
nothing else to show the article. ``spikecontent show --json`` prints it; the headless
delivery channels serve it.
"""

from __future__ import annotations

from typing import Any

from spikecontent.loading.converter import unstructure
from spikecontent.model import Article, Library
from spikecontent.model.walk import references

__all__ = ["article_document"]


def article_document(library: Library, article: Article | str) -> dict[str, Any]:
    """The article as plain data with every referenced entity inlined in place of its id.

    Prose stays Markdown as written; ``url`` is the absolute canonical URL and ``pages``
    lists the site pages the prose links to, with absolute URLs.
    """
    if isinstance(article, str):
        article = library.article(article)
    document: dict[str, Any] = unstructure(article)
    for ref in references(article):
        entity = unstructure(library.get(ref.kind, ref.id))
        *parents, last = ref.path
        container: Any = document
        for part in parents:
            container = container[part]
        container[last] = entity
    document["url"] = library.resolve_href(article.canonical_path)
    document["pages"] = [
        {
            "id": page,
            "title": library.get("pages", page).title,
            "url": library.resolve_href(f"page:{page}"),
        }
        for page in article.linked_pages()
    ]
    return document
