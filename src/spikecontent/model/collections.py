"""The entity kinds of the content model, in one table.

Each row names a kind once: its collection name (the key the
:class:`~spikecontent.model.Library` holds it under, the folder in ``content/`` and the kind
a reference field declares), its singular for messages, its class and its id field. The
library, the loader, the converter, the export pipeline and the linter iterate
:data:`COLLECTIONS`; adding an entity kind is its model class, one row here, and (for its
text fields) lint scopes.
"""

from __future__ import annotations

from typing import Any, Final, Generic, NamedTuple, TypeVar

import attrs

from spikecontent.model.article import Article
from spikecontent.model.commerce import Offer, Product
from spikecontent.model.evidence import Study
from spikecontent.model.safety import Caution, Disclaimer
from spikecontent.model.site import Page, Person

__all__ = [
    "ARTICLES",
    "CAUTIONS",
    "COLLECTIONS",
    "DISCLAIMERS",
    "OFFERS",
    "PAGES",
    "PEOPLE",
    "PRODUCTS",
    "SITE_KEY",
    "STUDIES",
    "Collection",
    "EntryKey",
    "collection",
]

E = TypeVar("E")


# Keys are hashed millions of times in an export (sets, closures, digests by entries): as a
# tuple of two strings, Python hashes and compares them without calling back into Python.
class EntryKey(NamedTuple):
    """One content entry: ``EntryKey("studies", "hohmann-2012")``, written
    ``studies/hohmann-2012``; the site is :data:`SITE_KEY`, written ``site``."""

    kind: str
    """A collection name (see :data:`COLLECTIONS`), ``"pages"``, or ``"site"``."""
    id: str = ""

    def __str__(self) -> str:
        return f"{self.kind}/{self.id}" if self.id else self.kind

    @classmethod
    def parse(cls, text: str) -> EntryKey:
        """The key written as ``text`` (the inverse of ``str()``)."""
        kind, _, ident = text.partition("/")
        return cls(kind, ident)


SITE_KEY: Final = EntryKey("site")
"""The key of ``site.yaml``; every exported artifact depends on it."""


@attrs.frozen(kw_only=True)
class Collection(Generic[E]):
    """One entity kind."""

    name: str
    """Plural: the ``Library`` field, the ``content/`` folder, the reference kind."""
    singular: str
    cls: type[E]
    id_field: str = "id"
    in_folder: bool = True
    """Whether each entity has its own file in ``content/<name>/`` (pages live in site.yaml)."""

    def id_of(self, entity: E) -> str:
        """The entity's id (an article's slug)."""
        ident: str = getattr(entity, self.id_field)
        return ident

    def key(self, ident: str) -> EntryKey:
        """The entry key of the entity with id ``ident``."""
        return EntryKey(self.name, ident)

    def key_of(self, entity: E) -> EntryKey:
        """The entry key of ``entity``."""
        return EntryKey(self.name, self.id_of(entity))


PEOPLE: Final = Collection(name="people", singular="person", cls=Person)
STUDIES: Final = Collection(name="studies", singular="study", cls=Study)
CAUTIONS: Final = Collection(name="cautions", singular="caution", cls=Caution)
DISCLAIMERS: Final = Collection(name="disclaimers", singular="disclaimer", cls=Disclaimer)
PRODUCTS: Final = Collection(name="products", singular="product", cls=Product)
OFFERS: Final = Collection(name="offers", singular="offer", cls=Offer)
ARTICLES: Final = Collection(name="articles", singular="article", cls=Article, id_field="slug")
PAGES: Final = Collection(name="pages", singular="page", cls=Page, in_folder=False)

COLLECTIONS: Final[tuple[Collection[Any], ...]] = (
    PEOPLE,
    STUDIES,
    CAUTIONS,
    DISCLAIMERS,
    PRODUCTS,
    OFFERS,
    ARTICLES,
)
"""The kinds with a folder of their own in ``content/``, in loading order."""

_BY_NAME: Final = {c.name: c for c in (*COLLECTIONS, PAGES)}


def collection(name: str) -> Collection[Any]:
    """The kind called ``name`` (a collection name or ``"pages"``); ``KeyError`` if none."""
    return _BY_NAME[name]
