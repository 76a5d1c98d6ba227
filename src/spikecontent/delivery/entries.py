"""The delivered entries as documents: built from the model with the json writer's
functions, each with its entry metadata (``sys``), references inlined to a chosen depth;
:class:`Entries` holds them for one snapshot, with the lists, the catalog and the sync
answer (a page of :mod:`.sync`).

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
from collections.abc import Sequence
from typing import Any, Final

from spikecontent.delivery.queries import Catalog, project
from spikecontent.delivery.sync import Page
from spikecontent.document import article_document, entity_document
from spikecontent.model import ARTICLES, Article, EntryKey, Library, collection
from spikecontent.model.walk import references
from spikecontent.pipeline.history import ENTRY_TYPES, Entry, delivered_entries
from spikecontent.writers.json_delivery import article_summary, cited

__all__ = ["MAX_INCLUDE", "Entries", "document_of", "entry_sys", "link", "with_depth"]

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


class Entries:
    """The delivered entries of one snapshot as plain data: each entry's revision and
    document, the article summaries and the studies' and cautions' lists with their
    ``sys``, and the catalog that answers queries and search over them."""

    def __init__(self, library: Library, articles: Sequence[Article], version: str) -> None:
        """``articles``: those delivered (the json writer's profile's); ``version``: the
        snapshot's, which list items carry."""
        self.library = library
        self.version = version
        self.revisions = delivered_entries(library, articles)
        self._documents = {entry: document_of(library, entry) for entry in self.revisions}
        self.summaries = [
            {**article_summary(library, a), "sys": self.sys(("Article", a.slug), listed=True)}
            for a in articles
        ]
        self.lists = {
            kind: [self.with_sys((shown, ident), listed=True) for ident in cited(articles, kind)]
            for kind, shown in (("studies", "Study"), ("cautions", "Caution"))
        }
        # Built with the entries and dropped with them: a query never sees two versions.
        searched = [(s["slug"], self._documents["Article", s["slug"]]) for s in self.summaries]
        self.catalog = Catalog(self.summaries, library, searched)

    def sys(self, entry: Entry, *, listed: bool = False) -> dict[str, Any]:
        """The entry's metadata; in a list, with the snapshot's ``content_version``."""
        found = entry_sys(self.library, entry, self.revisions[entry])
        return {**found, "content_version": self.version} if listed else found

    def with_sys(self, entry: Entry, *, listed: bool = False) -> dict[str, Any]:
        """The entry's whole document, its ``sys`` first."""
        return {"sys": self.sys(entry, listed=listed), **self._documents[entry]}

    def document(
        self, entry: Entry, fields: tuple[str, ...] = (), include: int = MAX_INCLUDE
    ) -> dict[str, Any] | None:
        """The entry's document with its ``sys``, only ``fields``, references ``include``
        levels deep; None for no such entry."""
        whole = self._documents.get(entry)
        if whole is None:
            return None
        limited = with_depth(self.library, entry, whole, include)
        return project({"sys": self.sys(entry), **limited}, fields)

    def changes(self, page: Page) -> dict[str, Any]:
        """The sync answer for ``page``: its entries created and updated (whole documents)
        and deleted, and the token to ask with next (``next_page_token`` while more of the
        sync remain, else ``next_sync_token``)."""
        answer: dict[str, Any] = {
            "created": [self.with_sys(e) for kind, e in page.changes if kind == "created"],
            "updated": [self.with_sys(e) for kind, e in page.changes if kind == "updated"],
            "deleted": [{"id": i, "type": t} for kind, (t, i) in page.changes if kind == "deleted"],
        }
        if page.next_page_token is not None:
            answer["next_page_token"] = page.next_page_token
        else:
            answer["next_sync_token"] = page.next_sync_token
        return answer
