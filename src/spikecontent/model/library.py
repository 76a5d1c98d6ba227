"""The library: every entity of a content folder, checked to be complete and consistent."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.links import ARTICLE_SCHEME, PAGE_SCHEME
from spikecontent.model.article import Article, Citation, Credit, Status
from spikecontent.model.collections import (
    ARTICLES,
    CAUTIONS,
    COLLECTIONS,
    DISCLAIMERS,
    OFFERS,
    PAGES,
    PEOPLE,
    PRODUCTS,
    SITE_KEY,
    STUDIES,
    Collection,
    EntryKey,
    collection,
)
from spikecontent.model.commerce import Offer, Product
from spikecontent.model.evidence import Study
from spikecontent.model.fields import FieldPath
from spikecontent.model.media import Image
from spikecontent.model.outgoing import outgoing
from spikecontent.model.safety import Caution, Disclaimer
from spikecontent.model.site import Page, Person, Role, Site
from spikecontent.richtext.tree import RichText

__all__ = [
    "Library",
    "LibraryError",
    "Problem",
    "ResolvedArticle",
    "ResolvedCitation",
    "ResolvedCredit",
    "dangling_references",
]

E = TypeVar("E")


@attrs.frozen(kw_only=True)
class Problem:
    """A consistency problem found in entity ``index`` of ``collection`` at field ``path``.

    The model knows no files, so this names the entity by position (two entities may share
    a duplicate id); the loader turns it into a :class:`~spikecontent.diagnostics.Diagnostic`.

    ``collection`` is a collection name (see
    :data:`~spikecontent.model.collections.COLLECTIONS`), or ``"site"`` (index 0) for
    site.yaml.
    """

    collection: str
    index: int
    path: FieldPath
    message: str
    fix: str
    written: str | None = None
    """The offending text as written in the content (e.g. ``page:foo``), when there is one."""
    first_at: tuple[str, int, FieldPath] | None = None
    """For a duplicate id: ``(collection, index, path)`` of the entry that has it first."""


class LibraryError(SpikecontentError, ValueError):
    """Raised when entities given to :class:`Library` are inconsistent."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@attrs.frozen(kw_only=True)
class ResolvedCredit:
    """A credit with its person."""

    person: Person
    role: Role


@attrs.frozen(kw_only=True)
class ResolvedCitation:
    """A citation with its study."""

    study: Study
    summary: RichText
    key_finding: str


@attrs.frozen(kw_only=True)
class ResolvedArticle:
    """An article with every entity it references in hand: what writers render from."""

    article: Article
    site: Site
    url: str
    """Absolute canonical URL."""
    credits: tuple[ResolvedCredit, ...]
    citations: tuple[ResolvedCitation, ...]
    cautions: tuple[Caution, ...]
    disclaimer: Disclaimer | None
    offer: Offer | None
    product: Product | None
    pages: tuple[Page, ...]
    """Site pages the prose links to, first use first."""

    def used_entries(self) -> Iterator[EntryKey]:
        """The entries the article shows besides itself: its studies, cautions, people,
        disclaimer, offer and product (the site pages it links to are pages of their own)."""
        yield from (STUDIES.key_of(c.study) for c in self.citations)
        yield from (CAUTIONS.key_of(c) for c in self.cautions)
        yield from (PEOPLE.key_of(c.person) for c in self.credits)
        if self.disclaimer:
            yield DISCLAIMERS.key_of(self.disclaimer)
        if self.offer:
            yield OFFERS.key_of(self.offer)
        if self.product:
            yield PRODUCTS.key_of(self.product)


def _freeze_entities(entities: Mapping[Collection[Any], Iterable[Any]]) -> Mapping[str, Any]:
    by_name: dict[str, tuple[Any, ...]] = {kind.name: () for kind in COLLECTIONS}
    for kind, members in entities.items():
        name = kind.name
        if kind not in COLLECTIONS:
            known = ", ".join(by_name)
            raise ValueError(f"no entity kind {name!r} (the kinds are {known})")
        by_name[name] = tuple(members)
    return MappingProxyType(by_name)


def _freeze_media(media: Mapping[str, bytes]) -> Mapping[str, bytes]:
    return MappingProxyType(dict(media))


@attrs.frozen(kw_only=True)
class Library:
    """Every entity of a content folder, with all references checked.

    Construction fails with :class:`LibraryError` on a duplicate id or a reference to
    something that does not exist, so a ``Library`` in hand is always consistent. Use
    :func:`spikecontent.load` to build one from files; by hand,
    ``Library(site=site, entities={STUDIES: (study, ...), ARTICLES: (...)})``.

    Entities are held by kind, one tuple per row of
    :data:`~spikecontent.model.collections.COLLECTIONS`, so a new kind needs no change
    here: ``library.all(KIND)`` and ``library.get(KIND, id)`` are typed by the row. The
    named getters (``study()``, ``articles``, ...) are shortcuts for the kinds writers
    read most.
    """

    site: Site
    entities: Mapping[str, tuple[Any, ...]] = attrs.field(factory=dict, converter=_freeze_entities)
    """Entities by collection name, in file-name order; every kind is present."""
    media: Mapping[str, bytes] = attrs.field(
        factory=dict, converter=_freeze_media, eq=False, repr=False
    )
    """The bytes of every picture the entities show, by its content path (``Image.file``);
    the loader reads them, channels that embed pictures take them from here."""
    _index: Mapping[str, Mapping[str, Any]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        index = {PAGES.name: self._build_index("site", self.site.pages, "id", problems, ("pages",))}
        for kind in COLLECTIONS:
            index[kind.name] = self._build_index(
                kind.name, self.entities[kind.name], kind.id_field, problems, ()
            )
        object.__setattr__(self, "_index", MappingProxyType(index))
        problems.extend(self._reference_problems())
        if problems:
            raise LibraryError(tuple(problems))

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only proxies cannot be pickled; they travel as plain dicts. A library is
        # checked when built, so an unpickled one (in an export worker) is not re-checked.
        index = {name: dict(entries) for name, entries in self._index.items()}
        return (_unpickle, (self.site, dict(self.entities), index, dict(self.media)))

    @staticmethod
    def _build_index(
        holder: str,
        entities: tuple[Any, ...],
        key: str,
        problems: list[Problem],
        prefix: FieldPath,
    ) -> Mapping[str, Any]:
        # Entities listed inside one file (site pages) share index 0 and differ by path;
        # entities in their own files differ by index.
        def location(position: int) -> tuple[str, int, FieldPath]:
            if prefix:
                return (holder, 0, (*prefix, position, key))
            return (holder, position, (key,))

        first: dict[str, int] = {}
        for position, entity in enumerate(entities):
            ident = getattr(entity, key)
            if first.setdefault(ident, position) != position:
                where, index, path = location(position)
                problems.append(
                    Problem(
                        collection=where,
                        index=index,
                        path=path,
                        message=f"duplicate {key} {ident!r}",
                        fix=f"give each entry its own {key}; rename or remove this one",
                        first_at=location(first[ident]),
                    )
                )
        return MappingProxyType({ident: entities[pos] for ident, pos in first.items()})

    def _reference_problems(self) -> Iterator[Problem]:
        for kind_name, position, entity in self._entities():
            yield from dangling_references(kind_name, position, entity, self._index)
            for path, value, _kind, _in_prose in outgoing(entity):
                if isinstance(value, Image):
                    yield from self._image_problems(kind_name, position, path, value)

    def _image_problems(
        self, kind_name: str, position: int, path: FieldPath, image: Image
    ) -> Iterator[Problem]:
        if image.digest is None or image.file not in self.media:
            yield Problem(
                collection=kind_name,
                index=position,
                path=(*path, "file"),
                message=f"the picture {image.file!r} was not read",
                fix="load content with spikecontent.load, which reads and measures pictures",
                written=image.file,
            )
        elif self.site.media_url is None:
            yield Problem(
                collection=kind_name,
                index=position,
                path=(*path, "file"),
                message="the site does not say where its pictures are published",
                fix="add media_url to site.yaml: the https:// URL the content folder's "
                "pictures are served from, ending in '/'",
            )

    def _entities(self) -> Iterator[tuple[str, int, Any]]:
        yield SITE_KEY.kind, 0, self.site
        for kind in COLLECTIONS:
            for position, entity in enumerate(self.entities[kind.name]):
                yield kind.name, position, entity

    def all(self, kind: Collection[E]) -> tuple[E, ...]:
        """Every entity of ``kind``, in file-name order."""
        members: tuple[E, ...] = self.entities[kind.name]
        return members

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every article, drafts included (see :meth:`published_articles`)."""
        return self.all(ARTICLES)

    @property
    def studies(self) -> tuple[Study, ...]:
        """Every study."""
        return self.all(STUDIES)

    @property
    def cautions(self) -> tuple[Caution, ...]:
        """Every caution."""
        return self.all(CAUTIONS)

    def get(self, kind: Collection[E], ident: str) -> E:
        """The entity of ``kind`` with id ``ident``; ``KeyError`` when there is none."""
        entity: E = self._index[kind.name][ident]
        return entity

    def entry(self, key: EntryKey) -> object:
        """The site or the entity that ``key`` names; ``KeyError`` when there is none."""
        if key == SITE_KEY:
            return self.site
        return self._index[key.kind][key.id]

    def ids(self, kind: Collection[Any]) -> tuple[str, ...]:
        """Ids of ``kind``, in file-name order."""
        return tuple(self._index[kind.name])

    def article(self, slug: str) -> Article:
        """The article with ``slug``; ``KeyError`` when there is none."""
        return self.get(ARTICLES, slug)

    def study(self, ident: str) -> Study:
        """The study with id ``ident``; ``KeyError`` when there is none."""
        return self.get(STUDIES, ident)

    def person(self, ident: str) -> Person:
        """The person with id ``ident``; ``KeyError`` when there is none."""
        return self.get(PEOPLE, ident)

    def caution(self, ident: str) -> Caution:
        """The caution with id ``ident``; ``KeyError`` when there is none."""
        return self.get(CAUTIONS, ident)

    def disclaimer(self, ident: str) -> Disclaimer:
        """The disclaimer with id ``ident``; ``KeyError`` when there is none."""
        return self.get(DISCLAIMERS, ident)

    def product(self, ident: str) -> Product:
        """The product with id ``ident``; ``KeyError`` when there is none."""
        return self.get(PRODUCTS, ident)

    def offer(self, ident: str) -> Offer:
        """The offer with id ``ident``; ``KeyError`` when there is none."""
        return self.get(OFFERS, ident)

    def page(self, ident: str) -> Page:
        """The site page with id ``ident``; ``KeyError`` when there is none."""
        return self.get(PAGES, ident)

    def published_articles(self, *, include_drafts: bool = False) -> tuple[Article, ...]:
        """Articles to publish: published ones, plus drafts and those in review if asked."""
        return tuple(a for a in self.articles if include_drafts or a.status is Status.PUBLISHED)

    def resolve_href(self, href: str) -> str:
        """Absolute URL of a link target: ``page:<id>``, ``article:<slug>``, a site path,
        or an absolute URL."""
        if href.startswith(PAGE_SCHEME):
            href = self.page(href.removeprefix(PAGE_SCHEME)).path
        elif href.startswith(ARTICLE_SCHEME):
            href = self.article(href.removeprefix(ARTICLE_SCHEME)).canonical_path
        if href.startswith("/"):
            return self.site.base_url + href.removeprefix("/")
        return href

    def resolve(self, article: Article | str) -> ResolvedArticle:
        """The article with every entity it references."""
        if isinstance(article, str):
            article = self.article(article)
        offer: Offer | None = self.offer(article.offer) if article.offer else None
        return ResolvedArticle(
            article=article,
            site=self.site,
            url=self.resolve_href(article.canonical_path),
            credits=tuple(self._credit(c) for c in article.credits),
            citations=tuple(self._citation(c) for c in article.research.citations)
            if article.research
            else (),
            cautions=tuple(self.caution(c) for c in article.cautions.items)
            if article.cautions
            else (),
            disclaimer=self.disclaimer(article.disclaimer) if article.disclaimer else None,
            offer=offer,
            product=self.product(offer.product) if offer else None,
            pages=tuple(self.page(p) for p in article.linked_pages()),
        )

    def _credit(self, credit: Credit) -> ResolvedCredit:
        return ResolvedCredit(person=self.person(credit.person), role=credit.role)

    def _citation(self, citation: Citation) -> ResolvedCitation:
        return ResolvedCitation(
            study=self.study(citation.study),
            summary=citation.summary,
            key_finding=citation.key_finding,
        )


_LINK_KINDS: Final[dict[str, Collection[Any]]] = {PAGE_SCHEME: PAGES, ARTICLE_SCHEME: ARTICLES}
"""The link schemes that name an entry of the content, and the kind each names."""


def _unpickle(
    site: Site,
    entities: dict[str, tuple[Any, ...]],
    index: dict[str, dict[str, Any]],
    media: dict[str, bytes],
) -> Library:
    library = object.__new__(Library)
    object.__setattr__(library, "site", site)
    object.__setattr__(library, "media", MappingProxyType(media))
    object.__setattr__(library, "entities", MappingProxyType(entities))
    proxies = {name: MappingProxyType(entries) for name, entries in index.items()}
    object.__setattr__(library, "_index", MappingProxyType(proxies))
    return library


def dangling_references(
    holder: str, position: int, entity: Any, index: Mapping[str, Mapping[str, Any]]
) -> Iterator[Problem]:
    """What ``entity`` (at ``position`` in the collection ``holder``) names that ``index``
    (the entries by id, per collection name, pages under ``pages``) does not hold: its
    declared references and its ``page:``/``article:`` links; and, for a published
    article, links to articles readers cannot open. Pictures are not looked at.

    The library runs it on every entity; the loader also on the fields that did load of
    an entity whose file has an error, so its broken links are said in the same run."""
    for path, value, kind, _in_prose in outgoing(entity):
        if isinstance(value, Image):
            continue
        if kind is not None:
            if value not in index[kind]:
                yield _dangling(holder, position, path, kind, value, value, index)
            continue
        for scheme, link_kind in _LINK_KINDS.items():
            if value.startswith(scheme):
                ident = value.removeprefix(scheme)
                if ident not in index[link_kind.name]:
                    yield _dangling(holder, position, path, link_kind.name, ident, value, index)
    if isinstance(entity, Article) and getattr(entity, "status", None) is Status.PUBLISHED:
        yield from _draft_links(position, entity, index)


def _draft_links(
    position: int, article: Article, index: Mapping[str, Mapping[str, Any]]
) -> Iterator[Problem]:
    # A published page must not link to one readers cannot open.
    for slug in article.linked_articles():
        target = index[ARTICLES.name].get(slug)
        if target is not None and target.status is not Status.PUBLISHED:
            yield Problem(
                collection=ARTICLES.name,
                index=position,
                path=("slug",),
                message=(
                    f"links to article {slug!r}, which is {target.status.value}: readers"
                    " of this published article would find nothing there"
                ),
                fix=f"publish {slug!r} first, or remove the link",
                written=f"{ARTICLE_SCHEME}{slug}",
            )


def _dangling(
    holder: str,
    position: int,
    path: FieldPath,
    kind: str,
    ident: str,
    written: str,
    index: Mapping[str, Mapping[str, Any]],
) -> Problem:
    where = "site.yaml pages" if kind == "pages" else f"content/{kind}/"
    close = difflib.get_close_matches(ident, list(index[kind]), n=1)
    fix = f"did you mean {close[0]!r}?" if close else f"add it to {where} or correct the id"
    return Problem(
        collection=holder,
        index=position,
        path=path,
        message=f"no {collection(kind).singular} with id {ident!r}",
        fix=fix,
        written=written,
    )
