"""The texts a linter reads: each prose or text field of the content, with its scope.

Prose is read as the words a reader sees (no Markdown, no link targets): paragraphs
separated by blank lines, list items one per line, so that sentence and clause ends are
where the reader finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from spikecontent.lint.rules import Scope
from spikecontent.loading.source_map import SourceMap, SourceSyntaxError
from spikecontent.loading.toml_source import read_toml
from spikecontent.model import Article, Library, Study
from spikecontent.model.fields import FieldPath
from spikecontent.model.walk import walk
from spikecontent.richtext import Paragraph, RichText, inline_text

__all__ = ["Text", "content_texts", "macro_profile_texts", "prose_text"]


@attrs.frozen(kw_only=True)
class Text:
    """One field's text, where it lives, and which rules read it."""

    entry: str
    """The content entry it belongs to, e.g. ``articles/<slug>``."""
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


# The first path element of an article field, or the first two, name its scope.
_ARTICLE_SCOPES: dict[tuple[str, ...], Scope] = {
    ("title",): Scope.TITLE,
    ("description",): Scope.TITLE,
    ("intro",): Scope.PROSE,
    ("sections",): Scope.PROSE,
    ("user_reports",): Scope.PROSE,
    ("sleep",): Scope.PROSE,
    ("honesty_note",): Scope.PROSE,
    ("byline",): Scope.PROSE,
    ("research",): Scope.RESEARCH,
    ("evidence_table",): Scope.EVIDENCE,
    ("evidence_table", "not_established"): Scope.NOT_ESTABLISHED,
    ("faq",): Scope.FAQ,
    ("tips",): Scope.TIPS,
    ("cautions",): Scope.CAUTIONS,
    ("revisions",): Scope.FEED,
}
# Fields that hold ids, references or codes, not words.
_NOT_WORDS = frozenset({"id", "slug", "study", "person", "role", "reviewed_by"})
_STUDY_FIELDS = frozenset({"finding", "limitations", "result"})


def article_texts(article: Article) -> Iterator[Text]:
    """Every text field of an article with its scope."""
    key = f"articles/{article.slug}"
    for path, value in walk(article):
        if not isinstance(value, str | RichText):
            continue
        if isinstance(value, str) and (path[-1] in _NOT_WORDS or _in_id_list(path)):
            continue
        scope = _ARTICLE_SCOPES.get(tuple(str(p) for p in path[:2])) or _ARTICLE_SCOPES.get(
            (str(path[0]),)
        )
        if scope is None:
            continue
        text = prose_text(value) if isinstance(value, RichText) else value
        yield Text(entry=key, path=path, scope=scope, text=text)


def _in_id_list(path: FieldPath) -> bool:
    # cautions.items holds caution ids; their words live in the caution entities.
    return len(path) >= 2 and path[-2] == "items" and path[0] == "cautions"


def study_texts(study: Study) -> Iterator[Text]:
    """A study's finding, outcome results and limitations."""
    key = f"studies/{study.id}"
    for path, value in walk(study):
        names = [p for p in path if isinstance(p, str)]
        if isinstance(value, str) and names and names[-1] in _STUDY_FIELDS:
            yield Text(entry=key, path=path, scope=Scope.STUDIES, text=value)


def content_texts(library: Library) -> Iterator[Text]:
    """Every text the linter reads: articles, studies, cautions and disclaimers."""
    for article in library.articles:
        yield from article_texts(article)
    for study in library.studies:
        yield from study_texts(study)
    for caution in library.cautions:
        for name in ("applies_to", "advice"):
            yield Text(
                entry=f"cautions/{caution.id}",
                path=(name,),
                scope=Scope.CAUTIONS,
                text=getattr(caution, name),
            )
    for disclaimer in library.disclaimers:
        yield Text(
            entry=f"disclaimers/{disclaimer.id}",
            path=("text",),
            scope=Scope.DISCLAIMER,
            text=disclaimer.text,
        )


_MACRO_WORDING = frozenset({"greeting", "fallback_name", "closing", "read_more", "title"})


def macro_profile_texts(exporters: Path) -> tuple[list[Text], dict[str, SourceMap]]:
    """The wording of every macros profile in ``exporters`` (greeting, closing, read-more
    line, macro titles), with the source map of each profile file by entry key."""
    texts: list[Text] = []
    sources: dict[str, SourceMap] = {}
    for path in sorted(exporters.glob("*.toml")) if exporters.is_dir() else ():
        try:
            document = read_toml(path, str(path))
        except SourceSyntaxError:
            continue  # the export's profile check reports it
        data = document.data
        if not isinstance(data, dict) or data.get("writer") != "macros":
            continue
        key = f"exporters/{path.stem}"
        sources[key] = document.source
        for field_path, value in _strings(data.get("options"), ("options",)):
            if field_path[-1] in _MACRO_WORDING:
                texts.append(Text(entry=key, path=field_path, scope=Scope.MACROS, text=value))
    return texts, sources


def _strings(data: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
