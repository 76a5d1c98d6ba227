"""The delivered entries as documents: built from the model with the json writer's
functions, each with its entry metadata (``sys``), references inlined to a chosen depth.

An article's document is :func:`~spikecontent.article_document`, a study's or a
caution's :func:`~spikecontent.document.entity_document`, exactly what the json writer
exports; the delivery adds ``sys`` (Contentful's ``sys``, Sanity's ``_id``/``_rev``):
the entry's id and type, its revision (the history's digest of the entry and everything
it references, so it changes exactly when the document's content does), and its first
publication and last modification. ``include`` chooses how deep references are inlined
(Contentful's ``include``): below that depth a reference is a link,
``{"sys": {"type": "Link", "link_type": "Study", "id": "hohmann-2012"}}``.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from spikecontent.document import article_document, entity_document
from spikecontent.model import ARTICLES, EntryKey, Library, collection
from spikecontent.model.walk import references
from spikecontent.pipeline.history import ENTRY_TYPES, Entry

__all__ = ["MAX_INCLUDE", "document_of", "entry_sys", "link", "with_depth"]

MAX_INCLUDE: Final = 10
"""The deepest ``include``: more than any chain of references goes (the default)."""


def document_of(library: Library, entry: Entry) -> dict[str, Any]:
    """The entry's document, every reference inlined, without ``sys``."""
    kind, ident = entry
    if kind == "Article":
        return article_document(library, ident)
    return entity_document(library, library.entry(_key(entry)))


def entry_sys(library: Library, entry: Entry, revision: str) -> dict[str, Any]:
    """The entry's metadata: id, type, revision, created (first publication) and updated
    (last modification; an article's dates, none for a study or caution)."""
    kind, ident = entry
    created = updated = None
    if kind == "Article":
        article = library.article(ident)
        created = article.published.isoformat() if article.published else None
        updated = article.modified.isoformat()
    return {"id": ident, "type": kind, "revision": revision, "created": created, "updated": updated}


def link(kind: str, ident: str) -> dict[str, Any]:
    """A reference not inlined: the entry's type and id."""
    name = ENTRY_TYPES.get(kind) or collection(kind).cls.__name__
    return {"sys": {"type": "Link", "link_type": name, "id": ident}}


def with_depth(library: Library, entry: Entry, document: dict[str, Any], include: int) -> Any:
    """``document`` with references below ``include`` levels as links (a copy; the
    document itself when every level is inlined)."""
    if include >= MAX_INCLUDE:
        return document
    limited = copy.deepcopy(document)
    _limit(library, library.entry(_key(entry)), limited, include)
    return limited


def _limit(library: Library, entity: Any, data: Any, depth: int) -> None:
    for ref in references(entity):
        *parents, last = ref.path
        holder = data
        for part in parents:
            holder = holder[part]
        if depth == 0:
            holder[last] = link(ref.kind, ref.id)
        else:
            inner = library.entry(EntryKey(ref.kind, ref.id))
            _limit(library, inner, holder[last], depth - 1)


def _key(entry: Entry) -> EntryKey:
    kind, ident = entry
    name = next(name for name, shown in ENTRY_TYPES.items() if shown == kind)
    return ARTICLES.key(ident) if kind == "Article" else EntryKey(name, ident)
