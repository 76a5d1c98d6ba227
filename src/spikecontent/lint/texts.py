"""The texts a linter reads: each prose or text field of the content, with its scope.

Prose is read as the words a reader sees (no Markdown, no link targets): paragraphs
separated by blank lines, list items one per line, so that sentence and clause ends are
where the reader finds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.lint.rules import Scope
from spikecontent.model import (
    ARTICLES,
    CAUTIONS,
    COLLECTIONS,
    DISCLAIMERS,
    OFFERS,
    PEOPLE,
    PRODUCTS,
    SITE_KEY,
    STUDIES,
    Article,
    EntryKey,
    Library,
)
from spikecontent.model.fields import FieldPath
from spikecontent.richtext import Paragraph, RichText, inline_text

__all__ = [
    "FIELD_SCOPES",
    "IDENTIFIER",
    "RECORD",
    "NotClaims",
    "Text",
    "UnscopedField",
    "article_texts",
    "content_texts",
    "entity_texts",
    "field_entry",
    "field_scope",
    "is_question",
    "prose_text",
]


@attrs.frozen(kw_only=True)
class Text:
    """One field's text, where it lives, and which rules read it."""

    entry: EntryKey
    """The content entry it belongs to, or the export profile whose options hold it
    (``EntryKey("exporters", <profile>)``)."""
    path: FieldPath
    scope: Scope
    text: str


def prose_text(prose: RichText) -> str:
    """The words of prose: paragraphs split by blank lines, list items by line ends."""
    blocks = []
    for block in prose.blocks:
        if isinstance(block, Paragraph):
            blocks.append(inline_text(block.children))
        else:
            items = (
                " ".join(inline_text(p.children) for p in item.blocks if isinstance(p, Paragraph))
                for item in block.items
            )
            blocks.append("\n".join(items))
    return "\n\n".join(blocks)


@attrs.frozen
class NotClaims:
    """Why a text field is read by no rule: it holds no words a reader takes as the
    publisher's claim. Every other field that reaches a channel has a scope."""

    why: str


IDENTIFIER: Final = NotClaims("an id, reference, address, code, date or picture file")
RECORD: Final = NotClaims(
    "a study's record as published (title, authors, venue, DOI): quoted from the paper, "
    "not the publisher's words; it is checked against the registries instead"
)


# Every text field of every entity kind, by its field names (list indexes left out): the
# scope whose rules read it, or why no rule does (:class:`NotClaims`). The longest matching
# prefix decides. A field missing here is a test failure (tests/test_lint_coverage.py), so
# a new field cannot go unlinted by accident. Some scopes read a narrower rule set where
# the text has its own job: the not-established column lists claims to deny them.
FIELD_SCOPES: Final[Mapping[str, Mapping[tuple[str, ...], Scope | NotClaims]]] = {
    SITE_KEY.kind: {
        # The site's and its pages' names are shown on every page, feed and leaflet.
        ("name",): Scope.NAME,
        ("base_url",): IDENTIFIER,
        ("language",): IDENTIFIER,
        ("logo",): IDENTIFIER,
        ("media_url",): IDENTIFIER,
        ("icon",): IDENTIFIER,  # a picture file and its digest
        ("timezone",): IDENTIFIER,
        ("pages",): IDENTIFIER,
        ("pages", "title"): Scope.NAME,
    },
    ARTICLES.name: {
        ("slug",): IDENTIFIER,
        ("path",): IDENTIFIER,
        ("image", "file"): IDENTIFIER,
        ("image", "digest"): IDENTIFIER,
        # What a picture is said to show is read like the prose around it.
        ("image", "alt"): Scope.PROSE,
        ("categories",): Scope.NAME,
        ("offer",): IDENTIFIER,
        ("disclaimer",): IDENTIFIER,
        ("credits",): IDENTIFIER,
        ("title",): Scope.TITLE,
        ("description",): Scope.TITLE,
        ("intro",): Scope.PROSE,
        ("sections",): Scope.PROSE,
        ("user_reports",): Scope.PROSE,
        ("sleep",): Scope.PROSE,
        ("honesty_note",): Scope.PROSE,
        ("byline",): Scope.PROSE,
        ("research",): Scope.RESEARCH,
        ("research", "citations", "study"): IDENTIFIER,
        ("evidence_table",): Scope.EVIDENCE,
        ("evidence_table", "not_established"): Scope.NOT_ESTABLISHED,
        ("faq",): Scope.FAQ,
        ("faq", "items", "id"): IDENTIFIER,
        ("tips",): Scope.TIPS,
        ("cautions",): Scope.CAUTIONS,
        ("cautions", "items"): IDENTIFIER,  # caution ids; their words are the cautions' own
        ("revisions",): Scope.FEED,
        ("revisions", "reviewed_by"): IDENTIFIER,
    },
    STUDIES.name: {
        # What the study found and what limits it: where overstatement creeps in.
        ("finding",): Scope.STUDIES,
        ("limitations",): Scope.STUDIES,
        ("outcomes", "result"): Scope.STUDIES,
        # The trial as run names conditions by design ("adults with chronic neck pain"):
        # read in the studies' scope, where a claim's status (reported) decides.
        ("population",): Scope.STUDIES,
        ("intervention",): Scope.STUDIES,
        ("comparator",): Scope.STUDIES,
        ("duration",): Scope.STUDIES,
        ("outcomes", "measure"): Scope.STUDIES,
        ("sample",): Scope.STUDIES,
        ("id",): IDENTIFIER,
        ("title",): RECORD,
        ("authors",): RECORD,
        ("venue",): RECORD,
        ("doi",): RECORD,
        ("url",): IDENTIFIER,
        ("verified",): IDENTIFIER,
    },
    # Cautions and the disclaimer name conditions on purpose; read by every rule, where a
    # caution's status ("do not use if ...") and a denial ("not intended to ... cure")
    # leave them clean, and a claim slipped into them is caught.
    CAUTIONS.name: {
        ("id",): IDENTIFIER,
        ("applies_to",): Scope.CAUTIONS,
        ("advice",): Scope.CAUTIONS,
    },
    DISCLAIMERS.name: {
        ("id",): IDENTIFIER,
        ("label",): Scope.NAME,
        ("text",): Scope.DISCLAIMER,
        ("short_text",): Scope.DISCLAIMER,
    },
    PEOPLE.name: {("id",): IDENTIFIER, ("name",): Scope.NAME, ("url",): IDENTIFIER},
    PRODUCTS.name: {
        ("id",): IDENTIFIER,
        ("name",): Scope.NAME,
        ("url",): IDENTIFIER,
        ("reviews_url",): IDENTIFIER,
        ("brand",): Scope.NAME,
        ("sku",): IDENTIFIER,
        ("gtin",): IDENTIFIER,
        ("image", "file"): IDENTIFIER,
        ("image", "digest"): IDENTIFIER,
        # Where a product's own words could make a claim: read like article prose.
        ("description",): Scope.PROSE,
        ("image", "alt"): Scope.PROSE,
    },
    OFFERS.name: {
        ("id",): IDENTIFIER,
        ("product",): IDENTIFIER,
        ("currency",): IDENTIFIER,
        ("url",): IDENTIFIER,
        ("shipping", "countries"): IDENTIFIER,
        ("return_countries",): IDENTIFIER,
    },
}


class UnscopedField(SpikecontentError, LookupError):
    """A text field that :data:`FIELD_SCOPES` does not list."""


def field_scope(kind: str, names: tuple[str, ...]) -> Scope | None:
    """The scope of the text field at ``names`` of an entity of ``kind`` (None: no rule
    reads it, see :func:`field_entry`); :class:`UnscopedField` when the table does not
    list it."""
    entry = field_entry(kind, names)
    return entry if isinstance(entry, Scope) else None


def field_entry(kind: str, names: tuple[str, ...]) -> Scope | NotClaims:
    """The table's entry for the text field at ``names``: its scope, or why no rule
    reads it; :class:`UnscopedField` when the table does not list it."""
    table = FIELD_SCOPES[kind]
    for length in range(len(names), 0, -1):
        if names[:length] in table:
            return table[names[:length]]
    raise UnscopedField(f"{kind}: {'.'.join(names)}")


def entity_texts(key: EntryKey, entity: object) -> Iterator[Text]:
    """Every linted text field of ``entity`` (the site or an entity of ``key.kind``), in
    the order :func:`~spikecontent.model.walk.walk` visits them."""
    found: list[Text] = []
    _collect_texts(key, entity, (), (), found)
    return iter(found)


def _collect_texts(
    key: EntryKey, obj: object, path: FieldPath, names: tuple[str, ...], found: list[Text]
) -> None:
    # walk()'s depth-first order, with each field's scope looked up once per class and
    # field names (every article repeats the same few hundred) instead of once per value,
    # and no path built for a value that is neither a text nor holds one: building every
    # value's path and names was most of the cost of reading 61,000 texts.
    for name, scope, here_names in _fields_with_scopes(key.kind, type(obj), names):
        value = getattr(obj, name)
        if isinstance(value, tuple):
            here = (*path, name)
            for index, item in enumerate(value):
                _visit(key, item, (*here, index), scope, here_names, found)
        elif (scope is not None and isinstance(value, str | RichText)) or _has_fields(value):
            _visit(key, value, (*path, name), scope, here_names, found)


def _visit(
    key: EntryKey,
    value: object,
    path: FieldPath,
    scope: Scope | None,
    names: tuple[str, ...],
    found: list[Text],
) -> None:
    if isinstance(value, str | RichText):
        if scope is not None:
            text = prose_text(value) if isinstance(value, RichText) else value
            found.append(Text(entry=key, path=path, scope=scope, text=text))
        if isinstance(value, str):
            return  # a string has no fields (prose may: walk() does not enter it either)
    _collect_texts(key, value, path, names, found)


_FieldScopes = tuple[tuple[str, Scope | None, tuple[str, ...]], ...]
_FIELD_SCOPES: dict[tuple[str, type, tuple[str, ...]], _FieldScopes] = {}
_HAS_FIELDS: dict[type, bool] = {}


def _has_fields(value: object) -> bool:
    """Whether walk() enters ``value``: an attrs class other than prose."""
    return _enters(type(value))


def _enters(cls: type) -> bool:
    entered = _HAS_FIELDS.get(cls)
    if entered is None:
        entered = _HAS_FIELDS[cls] = cls is not RichText and attrs.has(cls)
    return entered


def _fields_with_scopes(kind: str, cls: type, names: tuple[str, ...]) -> _FieldScopes:
    """Each field of ``cls`` walk() enters (none for prose and values that are no attrs
    class), its text's scope under ``names`` and its names."""
    key = (kind, cls, names)
    found = _FIELD_SCOPES.get(key)
    if found is None:
        fields = attrs.fields(cls) if _enters(cls) else ()
        found = tuple(
            (field.name, _known_scope(kind, (*names, field.name)), (*names, field.name))
            for field in fields
        )
        _FIELD_SCOPES[key] = found
    return found


def _known_scope(kind: str, names: tuple[str, ...]) -> Scope | None:
    # The coverage test names an unscoped field; at run time it is not a claim we know.
    try:
        return field_scope(kind, names)
    except UnscopedField:
        return None


def is_question(text: Text) -> bool:
    """Whether ``text`` is an FAQ question: the customer's words, which lint reports at
    most as a warning (its answer is linted in full)."""
    path = text.path
    return (
        text.entry.kind == ARTICLES.name
        and len(path) == 4
        and path[:2] == ("faq", "items")
        and path[3] == "question"
    )


def article_texts(article: Article) -> Iterator[Text]:
    """Every linted text field of an article, with its scope."""
    return entity_texts(ARTICLES.key_of(article), article)


def content_texts(library: Library, *, articles: bool = True) -> Iterator[Text]:
    """Every text the linter reads, entity kind by entity kind (without the articles'
    own when not ``articles``)."""
    yield from entity_texts(SITE_KEY, library.site)
    for kind in COLLECTIONS:
        if kind is ARTICLES and not articles:
            continue
        for entity in library.all(kind):
            yield from entity_texts(kind.key_of(entity), entity)
