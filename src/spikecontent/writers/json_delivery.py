"""The ``json`` writer: headless delivery of each article as one self-contained document.

``articles/<slug>.json`` holds the article with its studies, cautions, disclaimer, offer
and people resolved in place (see :func:`spikecontent.article_document`); ``index.json``
lists the exported articles for a front end to page through. ``studies.json`` and
``studies/<id>.json`` deliver the studies the exported articles cite, and
``cautions.json`` their cautions, for pages that show them on their own. Prose stays Markdown as
written, so consumers render it with their own styles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import attrs

from spikecontent.document import article_document, entity_document
from spikecontent.model import ARTICLES, Article, Library
from spikecontent.model.fields import FieldError
from spikecontent.sdk import Artifact, Writer, WriterContext
from spikecontent.writers.json_output import json_document

__all__ = ["JsonOptions", "JsonWriter", "article_summary", "cited"]


def _indent(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if not 0 <= value <= 8:
        raise FieldError(attribute.name, f"must be 0 to 8, got {value}", "use 2, or 0 for compact")


@attrs.frozen(kw_only=True)
class JsonOptions:
    """Options of the ``json`` writer."""

    indent: int = attrs.field(default=2, validator=_indent)
    """Spaces per level; 0 writes compact JSON on one line."""
    entities: bool = True
    """Also deliver the cited studies and the cautions on their own (``studies.json``,
    ``studies/<id>.json``, ``cautions.json``)."""


class JsonWriter(Writer[JsonOptions]):
    """One JSON document per article, plus an index."""

    name = "json"
    version = "3"
    description = (
        "Headless delivery: a resolved JSON document per article, index.json, studies, cautions"
    )
    options = JsonOptions

    def plan(self) -> Iterator[Artifact]:
        """``articles/<slug>.json`` for each article, then ``index.json``."""
        context = self.context
        for article in context.articles:
            yield Artifact.of_article(article, f"articles/{article.slug}.json")
        everything = tuple(ARTICLES.key(article.slug) for article in context.articles)
        yield Artifact(path="index.json", entries=everything)
        if not context.options.entities:
            return
        yield Artifact(path=STUDIES, entries=everything)
        for study in _cited(context, "studies"):
            yield Artifact(
                path=f"studies/{study}.json", entries=everything, subject=f"{_STUDY}{study}"
            )
        yield Artifact(path=CAUTIONS, entries=everything)

    def render(self, artifact: Artifact) -> bytes:
        """The article's document, a study's, or one of the lists."""
        context = self.context
        library = context.library
        data: Any
        if artifact.subject.startswith(_STUDY):
            study = library.study(artifact.subject.removeprefix(_STUDY))
            data = entity_document(library, study)
        elif artifact.subject:
            data = article_document(library, artifact.subject)
        elif artifact.path == STUDIES:
            data = [entity_document(library, library.study(i)) for i in _cited(context, "studies")]
        elif artifact.path == CAUTIONS:
            data = [
                entity_document(library, library.caution(i)) for i in _cited(context, "cautions")
            ]
        else:
            data = _index(context)
        return _dumps(data, context.options.indent)


STUDIES = "studies.json"
CAUTIONS = "cautions.json"
_STUDY = "study:"


def _cited(context: WriterContext[JsonOptions], kind: str) -> list[str]:
    return cited(context.articles, kind)


def cited(articles: Iterable[Article], kind: str) -> list[str]:
    """Ids of the studies or cautions ``articles`` use, first use first."""
    ids: dict[str, None] = {}
    for article in articles:
        used = (
            article.study_ids
            if kind == "studies"
            else (article.cautions.items if article.cautions else ())
        )
        ids.update(dict.fromkeys(used))
    return list(ids)


def _index(context: WriterContext[JsonOptions]) -> dict[str, Any]:
    library = context.library
    site = library.site
    return {
        "site": {"name": site.name, "url": site.base_url, "language": site.language},
        "articles": [article_summary(library, article) for article in context.articles],
    }


def article_summary(library: Library, article: Article) -> dict[str, Any]:
    """The article as ``index.json`` lists it (and the delivery API's list)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "description": article.description,
        "status": article.status.value,
        "url": library.resolve_href(article.canonical_path),
        "published": article.published.isoformat() if article.published else None,
        "modified": article.modified.isoformat(),
        "last_reviewed": (article.last_reviewed.isoformat() if article.last_reviewed else None),
        "api": f"/articles/{article.slug}",
        "file": f"articles/{article.slug}.json",
    }


def _dumps(data: Any, indent: int) -> bytes:
    return (json_document(data, indent) + "\n").encode("utf-8")
