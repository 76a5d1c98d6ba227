"""What no one file can see: the same FAQ question asked by two articles.

Within an article a repeated question is an error of the model (``Faq.items``); across
articles it is a warning, at the later copy, naming the first: the export would make two
support macros with one title, which agents cannot tell apart.
"""

from __future__ import annotations

from spikecontent.diagnostics import Diagnostic, Level, format_path
from spikecontent.loading.loader import LoadedContent
from spikecontent.loading.source_map import SourceMap
from spikecontent.model import ARTICLES
from spikecontent.model.article import normalized_question
from spikecontent.model.fields import FieldPath

__all__ = ["DUPLICATE_QUESTION", "duplicate_questions"]

DUPLICATE_QUESTION = "faq.duplicate-question"


def duplicate_questions(loaded: LoadedContent) -> tuple[Diagnostic, ...]:
    """A warning at each FAQ question that an article earlier in file-name order asks
    already (compared without case, spacing and punctuation)."""
    first: dict[str, tuple[str, SourceMap, FieldPath]] = {}
    found: list[Diagnostic] = []
    for article in loaded.library.articles:
        if article.faq is None:
            continue
        source = loaded.source_maps[ARTICLES.key_of(article)]
        for index, entry in enumerate(article.faq.items):
            path: FieldPath = ("faq", "items", index, "question")
            slug, where, at = first.setdefault(
                normalized_question(entry.question), (article.slug, source, path)
            )
            if slug == article.slug:
                continue  # its own (a repeat within one article is the model's error)
            line, col = source.value(path)
            first_line, first_col = where.value(at)
            found.append(
                Diagnostic(
                    file=source.file,
                    line=line,
                    col=col,
                    rule=DUPLICATE_QUESTION,
                    level=Level.WARNING,
                    field=format_path(path),
                    message=(
                        f"article {slug!r} asks this question already "
                        f"({where.file}:{first_line}:{first_col}): their support macros "
                        "would share one title"
                    ),
                    fix="ask a different question here, or answer it in one article only",
                )
            )
    return tuple(found)
