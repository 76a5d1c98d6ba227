"""The ``macros`` writer: support replies made from the same content as the article.

Which content becomes which reply is declared in the profile (see :mod:`.spec`); each reply
is built once in neutral form (:mod:`.reply`) and written as plain text for pasting, as
helpdesk import files (:mod:`.targets`) and as a searchable board, ``index.html``.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from spikecontent.model import ARTICLES
from spikecontent.sdk import (
    Artifact,
    CompiledTemplates,
    HealthText,
    Part,
    PartBytes,
    Wording,
    Writer,
    WriterContext,
    WriterWarning,
)
from spikecontent.writers.macros.build import MacroHead, article_macros, build_heads
from spikecontent.writers.macros.names import Named, short_names
from spikecontent.writers.macros.readback import (
    RULE,
    all_txt_replies,
    board_replies,
    csv_replies,
    index_replies,
)
from spikecontent.writers.macros.reply import Macro
from spikecontent.writers.macros.spec import MacroOptions
from spikecontent.writers.macros.targets import (
    HELPDESKS,
    Reply,
    Target,
    csv_header,
    csv_row,
    index_item,
    json_array_chunks,
)

__all__ = ["MacroOptions", "MacrosWriter", "short_names"]

ALL = "all.txt"
BOARD = "index.html"
CARD = "card.html"
_BOARD_TEMPLATES = ("board.html", CARD)
_CARDS = "\x00spikecontent cards\x00"
"""Where the cards go in the rendered board (no site name or option holds it)."""
TABLE = "macros.csv"
INDEX = "macros.json"


@attrs.frozen(kw_only=True)
class _Built:
    macros: tuple[MacroHead, ...]
    """Every macro's head, in board order."""
    by_id: dict[str, MacroHead]
    health: dict[str, MacroHead]
    """Health-related macros by id and by versioned title (how import files name them)."""
    names: dict[str, str]
    """Each article's short name (see :func:`short_names`), by slug."""
    grouped: bool
    """Whether more than one article has replies: then titles carry the short name."""

    @classmethod
    def of(cls, heads: tuple[MacroHead, ...], articles: dict[str, Named]) -> _Built:
        names = short_names({m.article: articles[m.article] for m in heads})
        grouped = len(names) > 1

        shown = [(m, f"{names[m.article]}: {m.title}" if grouped else m.title) for m in heads]
        counted = collections.Counter(title for _, title in shown)
        # Help Scout and Freshdesk files name a reply only by its title: keyed by it when
        # no other macro shares it.
        health = {
            key: m
            for m, title in shown
            if m.health
            for key in (m.id, f"{title} (v{m.version})", *((title,) if counted[title] == 1 else ()))
        }
        return cls(
            macros=heads,
            by_id={m.id: m for m in heads},
            health=health,
            names=names,
            grouped=grouped,
        )


def _synonyms_json() -> str:
    """The synonym table for the board's script: each word with the term it folds to."""
    import json

    from spikecontent.writers.macros.words import SYNONYMS, term

    table = {word: term(word) for group in SYNONYMS for word in group}
    # Inside <script>: "<" escaped, so no "</script>" can close it.
    return json.dumps(table, sort_keys=True).replace("<", "\\u003c")


class MacrosWriter(Writer[MacroOptions]):
    """Support replies as text, helpdesk imports and a macro board."""

    name = "macros"
    # 10: Zendesk groups; 11: a short name stays with the article first published;
    # 12: the research reply says what each study tested and its sample's note
    version = "12"
    description = "Support macros: plain-text replies, helpdesk imports, a searchable board"
    options = MacroOptions
    templates = "spikecontent.writers.macros.templates"

    def __init__(self, context: WriterContext[MacroOptions]) -> None:
        super().__init__(context)
        self._built: _Built | None = None
        self._made: dict[str, dict[str, Macro]] = {}
        """Whole macros by article and id, for the articles made or read back so far."""
        self._compiled = CompiledTemplates(context.templates)

    def prepare(self) -> None:
        """Build every macro's head once: each artifact of the profile needs them all, and
        building them per artifact would make an export quadratic in the number of macros.
        Whole macros are made (or read back) only for the articles rendered."""
        if self._built is None:
            slugs = tuple(a.slug for a in self.context.articles)
            heads = build_heads(slugs, self._article, self.context.remember)
            library = self.context.library
            named = {
                slug: Named(title=article.title, published=article.published)
                for slug in slugs
                for article in (library.article(slug),)
            }
            self._built = _Built.of(heads, named)

    def _article(self, slug: str) -> tuple[tuple[str, Macro], ...]:
        context = self.context
        made = article_macros(
            context.library, slug, options=context.options, remember=context.remember
        )
        self._made[slug] = {macro.id: macro for _, macro in made}
        return made

    def _macro(self, ident: str) -> Macro:
        """The whole macro ``ident``."""
        slug = self.built.by_id[ident].article
        if slug not in self._made:
            self._article(slug)
        return self._made[slug][ident]

    def _shown(self, key: str) -> Macro:
        """The macro a part key names (:meth:`_key`), with its article's short name: as
        the group of its title when the profile has several articles' replies."""
        ident, grouped, name = key.split(" ", 2)
        return self._macro(ident).named(name, group=name if grouped == "+" else None)

    def _key(self, macro: MacroHead) -> str:
        """A part's key: the macro id, whether titles are grouped, the article's short
        name. A part is rendered again when any of them changes (a second article turns
        grouping on for every reply)."""
        built = self.built
        return f"{macro.id} {'+' if built.grouped else '-'} {built.names[macro.article]}"

    @property
    def built(self) -> _Built:
        """The profile's macros (prepared on first use, for callers that skip prepare)."""
        self.prepare()
        assert self._built is not None
        return self._built

    def plan(self) -> Iterator[Artifact]:
        """``<id>.txt`` per macro, then ``all.txt``, the import files, CSV, JSON and the
        board: each of those holds every macro, one part per macro."""
        context, macros = self.context, self.built.macros
        everything = tuple(ARTICLES.key(a.slug) for a in context.articles)
        # One entries tuple per article, shared by its replies and their parts.
        entries = {slug: (ARTICLES.key(slug),) for slug in self.built.names}
        parts = tuple(Part(key=self._key(m), entries=entries[m.article]) for m in macros)
        for macro in macros:
            yield Artifact(path=f"{macro.id}.txt", entries=entries[macro.article], subject=macro.id)
        for path in self._file_paths():
            templates = _FILES[path].templates
            yield Artifact(path=path, entries=everything, templates=templates, parts=parts)

    def _file_paths(self) -> Iterator[str]:
        """The files of every macro this profile writes, in order: ``all.txt``, the
        import files of its targets (those it has what they need for), the CSV, the JSON
        and the board."""
        options = self.context.options
        yield ALL
        for name in options.targets:
            if HELPDESKS[name].needs(options) is None:
                yield HELPDESKS[name].file
        yield from (TABLE, INDEX, BOARD)

    def render(self, artifact: Artifact) -> bytes:
        """One reply, as agents paste it."""
        return self._macro(artifact.subject).text.encode()

    def render_part(self, artifact: Artifact, part: Part) -> bytes:
        """One macro in a file of them all."""
        return _FILES[artifact.path].part(self, self._shown(part.key))

    def join(self, artifact: Artifact, parts: Sequence[PartBytes]) -> bytes:
        """A file of every macro from its parts."""
        return b"".join(self.join_chunks(artifact, parts))

    def join_chunks(self, artifact: Artifact, parts: Sequence[PartBytes]) -> list[PartBytes]:
        """A file of every macro from its parts, as chunks with the parts among them as
        they are: the export writes them in turn, never holding the file whole (22 MB,
        the largest import file at 1,000 articles)."""
        return _FILES[artifact.path].chunks(self, artifact, parts)

    def health_texts(self, artifact: Artifact, data: bytes) -> Iterator[HealthText]:
        """Every health-related reply in the reply or the part, as agents would send it."""
        health = self.built.health
        found = (
            _FILES[artifact.path].replies(data)
            if artifact.parts is not None
            else iter([(artifact.subject, data.decode())])
        )
        for key, text in found:
            if key in health:
                yield HealthText(part=key, article=health[key].article, text=text, brief=True)

    def wording(self) -> Iterator[Wording]:
        """The greeting, fallback name, closing, read-more line and each macro's title."""
        options = self.context.options
        for name in ("greeting", "fallback_name", "closing", "read_more"):
            yield Wording(path=(name,), text=getattr(options, name))
        for index, spec in enumerate(options.macros):
            if spec.title is not None:
                yield Wording(path=("macros", index, "title"), text=spec.title)

    def warnings(self) -> Iterator[WriterWarning]:
        """Replies longer than the profile's ``max_words`` (as pasted, with everything
        added to the answer), naming the content fields to shorten; import files that
        cannot be written without an account-specific value."""
        context = self.context
        for name in context.options.targets:
            reason = HELPDESKS[name].needs(context.options)
            if reason is not None:
                yield WriterWarning(path=HELPDESKS[name].file, message=reason)
        limit = context.options.max_words
        for macro in self.built.macros:
            if macro.words > limit:
                fields = sorted(macro.shares, key=lambda share: -share[1])
                named = ", ".join(f"{field} ({words} words)" for field, words in fields)
                yield WriterWarning(
                    path=f"{macro.id}.txt",
                    message=(
                        f"the reply is {macro.words} words as pasted, more than {limit};"
                        f" shorten what it is made from: {named}; or raise max_words"
                    ),
                )

    def _card(self) -> Any:
        """The board's ``card`` macro."""
        return self._compiled.get(CARD).module.card  # type: ignore[attr-defined]

    def _card_bytes(self, macro: Macro) -> bytes:
        return str(self._card()(macro, self.context.options.max_words)).encode()

    def _board(self, artifact: Artifact, cards: Sequence[PartBytes]) -> list[PartBytes]:
        import markupsafe  # with Jinja2, which only rendering needs

        context = self.context
        # The cards go in as bytes where the page says {{ cards }}: through Jinja they
        # would be decoded, copied and encoded again, several times a 26 MB board.
        page = self._compiled.get("board.html").render(
            lang=context.library.site.language,
            site_name=context.library.site.name,
            cards=markupsafe.Markup(_CARDS),
            count=len(cards),
            fallback_name=context.options.fallback_name,
            synonyms=markupsafe.Markup(_synonyms_json()),
        )
        before, found, after = page.partition(_CARDS)
        if not found:
            raise ValueError("board.html must show {{ cards }} once")
        return [before.encode(), *self._grouped(artifact, cards), after.encode()]

    def _grouped(self, artifact: Artifact, cards: Sequence[PartBytes]) -> Iterator[PartBytes]:
        """The cards under a heading per article (the cards' titles are ``h3``)."""
        if artifact.parts is None:
            yield from cards
            return
        import markupsafe

        last = None
        for part, card in zip(artifact.parts, cards, strict=True):
            name = part.key.split(" ", 2)[2]
            if name != last:
                heading = markupsafe.escape(name)
                yield f'\n  <h2 class="group" data-group="{heading}">{heading}</h2>'.encode()
                last = name
            yield card


@attrs.frozen(kw_only=True)
class _File:
    """A file that holds every macro, one part per macro: how a macro becomes its part,
    how the parts become the file (as chunks, the parts among them as they are), and how
    a part's replies are read back."""

    part: Callable[[MacrosWriter, Macro], bytes]
    chunks: Callable[[MacrosWriter, Artifact, Sequence[PartBytes]], list[PartBytes]]
    replies: Callable[[bytes], Iterator[Reply]]
    templates: tuple[str, ...] = ()


def _separated(parts: Sequence[PartBytes], separator: bytes) -> list[PartBytes]:
    """``separator.join(parts)`` as chunks."""
    chunks: list[PartBytes] = []
    for part in parts:
        chunks += (separator, part)
    return chunks[1:]


def _import_file(target: Target) -> _File:
    """A helpdesk's import file, as its :class:`~.targets.Target` shapes it."""
    return _File(
        part=lambda writer, macro: target.part(macro, writer.context.options),
        chunks=lambda _writer, _artifact, parts: target.join_chunks(parts),
        replies=target.part_replies,
    )


_FILES: dict[str, _File] = {
    ALL: _File(
        part=lambda _writer, m: f"{RULE}\n{m.versioned_title}\n{RULE}\n\n{m.text}".encode(),
        chunks=lambda _writer, _artifact, parts: _separated(parts, b"\n"),
        replies=all_txt_replies,
    ),
    **{target.file: _import_file(target) for target in HELPDESKS.values()},
    TABLE: _File(
        part=lambda _writer, macro: csv_row(macro),
        chunks=lambda _writer, _artifact, parts: [csv_header(), *parts],
        replies=csv_replies,
    ),
    INDEX: _File(
        part=lambda _writer, macro: index_item(macro),
        chunks=lambda _writer, _artifact, parts: json_array_chunks(parts),
        replies=index_replies,
    ),
    BOARD: _File(
        part=MacrosWriter._card_bytes,
        chunks=MacrosWriter._board,
        replies=board_replies,
        templates=_BOARD_TEMPLATES,
    ),
}
"""Each file of every macro by its path (its name in the output folder)."""
