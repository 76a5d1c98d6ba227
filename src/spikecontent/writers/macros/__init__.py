"""The ``macros`` writer: support replies made from the same content as the article.

Which content becomes which reply is declared in the profile (see :mod:`.spec`); each reply
is built once in neutral form (:mod:`.reply`) and written as plain text for pasting, as
helpdesk import files (:mod:`.targets`) and as a searchable board, ``index.html``.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from spikecontent.pipeline.writer import Artifact, HealthText, Writer, WriterContext, entry
from spikecontent.writers.macros.build import build_macros
from spikecontent.writers.macros.readback import RULE, replies
from spikecontent.writers.macros.reply import Macro
from spikecontent.writers.macros.spec import MacroOptions
from spikecontent.writers.macros.targets import FILES, HELPDESKS, csv_table, json_index
from spikecontent.writers.templating import environment

__all__ = ["MacroOptions", "MacrosWriter"]

ALL = "all.txt"
BOARD = "index.html"
TABLE = "macros.csv"
INDEX = "macros.json"


@attrs.frozen(kw_only=True)
class _Built:
    context: WriterContext
    macros: tuple[Macro, ...]
    """Every macro, in board order."""
    by_id: dict[str, Macro]
    health: dict[str, Macro]
    """Health-related macros by id and by versioned title (how import files name them)."""


_LAST: list[_Built] = []
"""The macros of the last context seen: every artifact of a profile needs them all, and
building them per artifact would make an export quadratic in the number of macros."""


def _built(context: WriterContext) -> _Built:
    if not _LAST or _LAST[0].context is not context:
        articles = tuple(a.slug for a in context.articles)
        macros = build_macros(context.library, articles, context.options)
        health = {k: m for m in macros if m.health for k in (m.id, m.versioned_title)}
        _LAST[:] = [
            _Built(
                context=context,
                macros=macros,
                by_id={m.id: m for m in macros},
                health=health,
            )
        ]
    return _LAST[0]


def _macros(context: WriterContext) -> tuple[Macro, ...]:
    return _built(context).macros


class MacrosWriter(Writer):
    """Support replies as text, helpdesk imports and a macro board."""

    name = "macros"
    version = "1"
    description = "Support macros: plain-text replies, helpdesk imports, a searchable board"
    options = MacroOptions
    templates = "spikecontent.writers.macros.templates"

    def plan(self, context: WriterContext) -> Iterator[Artifact]:
        """``<id>.txt`` per macro, then ``all.txt``, the import files, CSV, JSON and the
        board."""
        everything = tuple(entry("articles", a.slug) for a in context.articles)
        for macro in _macros(context):
            yield Artifact(
                path=f"{macro.id}.txt",
                sources=(entry("articles", macro.article),),
                subject=macro.id,
            )
        yield Artifact(path=ALL, sources=everything)
        for name in context.options.targets:
            yield Artifact(path=HELPDESKS[name].file, sources=everything)
        yield Artifact(path=TABLE, sources=everything)
        yield Artifact(path=INDEX, sources=everything)
        yield Artifact(path=BOARD, sources=everything, templates=("board.html",))

    def render(self, artifact: Artifact, context: WriterContext) -> bytes:
        """One reply, or a file of them all."""
        macros = _macros(context)
        options: MacroOptions = context.options
        if artifact.subject:
            return _built(context).by_id[artifact.subject].text.encode()
        if artifact.path == ALL:
            return all_text(macros).encode()
        if artifact.path == TABLE:
            return csv_table(macros)
        if artifact.path == INDEX:
            return json_index(macros)
        if artifact.path == BOARD:
            return self._board(macros, context).encode()
        return FILES[artifact.path].render(macros, options)

    def health_texts(
        self, artifact: Artifact, data: bytes, context: WriterContext
    ) -> Iterator[HealthText]:
        """Every health-related reply in the file, as agents would send it."""
        health = _built(context).health
        found = (
            [(artifact.subject, data.decode())]
            if artifact.subject
            else replies(artifact.path, data)
        )
        for key, text in found:
            if key in health:
                yield HealthText(part=key, article=health[key].article, text=text)

    def warnings(self, context: WriterContext) -> Iterator[str]:
        """Answers longer than the profile's ``max_words``."""
        limit = context.options.max_words
        for macro in _macros(context):
            if macro.answer_words > limit:
                yield (
                    f"{macro.id}.txt: the answer is {macro.answer_words} words, more than"
                    f" {limit}; shorten the content it is made from or raise max_words"
                )

    @staticmethod
    def _board(macros: tuple[Macro, ...], context: WriterContext) -> str:
        return (
            environment(context.templates)
            .get_template("board.html")
            .render(
                lang=context.library.site.language,
                site_name=context.library.site.name,
                macros=macros,
                max_words=context.options.max_words,
            )
        )


def all_text(macros: tuple[Macro, ...]) -> str:
    """Every reply under its versioned title, for quick copying from one file."""
    return "\n".join(f"{RULE}\n{m.versioned_title}\n{RULE}\n\n{m.text}" for m in macros)
