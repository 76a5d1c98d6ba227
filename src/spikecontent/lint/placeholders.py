"""Placeholders left in content: a warning while nothing published uses the entry, an
error once something does, so a skeleton from ``spikecontent new`` validates as it is and
no ``TODO`` ever reaches a reader.

A placeholder is the word ``TODO`` in any text value, or a ``# TODO`` comment in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from spikecontent.diagnostics import Diagnostic, Level, format_path
from spikecontent.loading.loader import LoadedContent
from spikecontent.loading.source_map import SourceMap
from spikecontent.model import (
    ARTICLES,
    SITE_KEY,
    EntryKey,
    Library,
)
from spikecontent.model.walk import walk
from spikecontent.richtext import RichText
from spikecontent.store.memo import per_object

__all__ = ["RULE", "placeholder_findings", "published_entries"]

RULE: Final = "structure.placeholder"
_VALUE: Final = re.compile(r"\bTODO\b")
_COMMENT: Final = re.compile(r"#\s*TODO\b")


def published_entries(library: Library) -> set[EntryKey]:
    """The site, every published article and every entity one of them uses."""
    keys = {SITE_KEY}
    for article in library.published_articles():
        keys.add(ARTICLES.key_of(article))
        keys.update(library.resolve(article).used_entries())
    return keys


def placeholder_findings(loaded: LoadedContent) -> Iterator[Diagnostic]:
    """One finding per line that holds a placeholder, in every entry's file."""
    published: set[EntryKey] | None = None  # resolving every article is not free
    for key, source in loaded.source_maps.items():
        if not _may_hold_placeholder(source):
            continue
        if published is None:
            published = published_entries(loaded.library)
        level = Level.ERROR if key in published else Level.WARNING
        fix = (
            "fill it in from the source, or leave an optional field out when the source"
            " does not say; this entry is published"
            if level is Level.ERROR
            else "fill it in before the article is published"
            if key.kind == ARTICLES.name
            else "fill it in before an article that uses this entry is published"
        )
        seen: set[int] = set()
        for path, value in walk(loaded.library.entry(key)):
            text = value.source if isinstance(value, RichText) else value
            if not isinstance(text, str) or not _VALUE.search(text):
                continue
            line, col = source.find(path, "TODO")
            if line in seen:
                continue
            seen.add(line)
            yield Diagnostic(
                file=source.file,
                line=line,
                col=col,
                rule=RULE,
                level=level,
                field=format_path(path),
                message="a placeholder is left in",
                fix=fix,
                excerpt="TODO",
            )
        for number, text in enumerate(source.lines, start=1):
            found = _COMMENT.search(text)
            if found and number not in seen:
                seen.add(number)
                note = text[found.end() :].strip(" :")
                yield Diagnostic(
                    file=source.file,
                    line=number,
                    col=found.start() + 1,
                    rule=RULE,
                    level=level,
                    message=f"a placeholder is left in{f': {note}' if note else ''}",
                    fix=fix,
                )


# Once per file while it is unchanged: the lines of 1,000 files are 150,000 to look at.
@per_object
def _may_hold_placeholder(source: SourceMap) -> bool:
    """Whether a file could hold a placeholder: its text says TODO, or it has escapes
    through which a value could spell it (the walk over its entity is then needed)."""
    return any("TODO" in line or "\\" in line for line in source.lines)
