"""Checks on the model that no word list can make: the evidence is cited honestly.

- every article has cautions and a disclaimer; a published one says when it was first
  published; its lead picture is as large as Google asks;
- every cited study gives its design, sample size and limitations;
- a pilot or exploratory study is called so wherever the article cites it: in the sentence
  that cites it, or in its key-finding quote;
- a citation's words say the ``n``, year and design its study's record says
  (:mod:`.study_figures`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from spikecontent.lint.citations import SENTENCE, study_mentions
from spikecontent.lint.cross_checks import cross_check_issues
from spikecontent.lint.rules import Level, Scope
from spikecontent.lint.study_figures import PRELIMINARY_WORDS, study_figure_issues
from spikecontent.lint.texts import Text
from spikecontent.loading.findings import Finding
from spikecontent.model import (
    ARTICLES,
    CAUTIONS,
    STUDIES,
    Article,
    EntryKey,
    Library,
    Status,
    Study,
)

__all__ = ["article_inputs", "article_issues", "library_issues"]


# What helpdesks, Liquid and espanso read as template code: in content it would run there.
TEMPLATE_MARKUP = re.compile(r"\{\{|\}\}|\{%|%\}|\[\[|\]\]")


def article_inputs(article: Article) -> tuple[EntryKey, ...]:
    """The entries besides ``article`` that :func:`article_issues` reads: the studies it
    cites and the cautions it lists (keep the two in step: lint's findings cache trusts
    this list)."""
    cautions = article.cautions.items if article.cautions else ()
    return (
        *(STUDIES.key(study) for study in article.study_ids),
        *(CAUTIONS.key(caution) for caution in cautions),
    )


def article_issues(library: Library, article: Article, texts: list[Text]) -> Iterator[Finding]:
    """The findings that belong to one article, from it, its ``texts`` and the entries
    :func:`article_inputs` names (nothing else in the library changes them)."""
    yield from _template_markup(texts)
    yield from _required_parts(article)
    yield from _publication_date(article)
    yield from _lead_picture_size(article)
    yield from _preliminary_labels(article, library, texts)
    yield from study_figure_issues(article, library, texts)
    yield from cross_check_issues(library, article, texts)


def library_issues(library: Library, texts: Iterable[Text]) -> Iterator[Finding]:
    """The findings that are no one article's: in the ``texts`` of entries other than
    articles, and on each cited study (one finding however many articles cite it)."""
    yield from _template_markup(texts)
    citing: dict[str, list[str]] = {}
    for article in library.articles:
        for study in article.study_ids:
            citing.setdefault(study, []).append(article.slug)
    for study_id, slugs in citing.items():
        yield from _cited_study(library.study(study_id), slugs)


def _template_markup(texts: Iterable[Text]) -> Iterator[Finding]:
    for text in texts:
        if text.scope is Scope.FEED:
            continue  # revision summaries become feed entries, never replies
        found = _template_code(text.text)
        if found is not None:
            yield Finding(
                entry=text.entry,
                path=text.path,
                rule="structure.template-markup",
                level=Level.ERROR,
                message=f"{found!r} is template code to helpdesks and text expanders",
                fix="write it differently (a helpdesk would run it in every reply)",
                needle=found,
            )


@functools.lru_cache(maxsize=4096)
def _template_code(text: str) -> str | None:
    """The first template code in ``text``; kept for the text, which articles share."""
    found = TEMPLATE_MARKUP.search(text)
    return found.group() if found else None


_REQUIRED = (
    (
        "cautions",
        "structure.cautions",
        "add a 'cautions' section listing who should avoid the product",
    ),
    ("disclaimer", "structure.disclaimer", "add 'disclaimer: <id>' naming a file in disclaimers/"),
)


def _required_parts(article: Article) -> Iterator[Finding]:
    for field, rule, suggestion in _REQUIRED:
        if not getattr(article, field):
            yield Finding(
                entry=ARTICLES.key_of(article),
                path=(field,),
                rule=rule,
                level=Level.ERROR,
                message=f"the article has no {field}",
                fix=suggestion,
            )


def _publication_date(article: Article) -> Iterator[Finding]:
    if article.status is Status.PUBLISHED and article.published is None:
        yield Finding(
            entry=ARTICLES.key_of(article),
            path=("status",),
            rule="structure.published-date",
            level=Level.WARNING,
            message="published without its first-publication date: search engines and "
            "feeds get none (JSON-LD datePublished)",
            fix="add 'published: YYYY-MM-DD', the day it first went live; "
            "never guess it (waive this with lint_allow when nobody knows)",
        )


ARTICLE_IMAGES_PAGE = "https://developers.google.com/search/docs/appearance/structured-data/article"
"""Google's Article structured data page: its images "must be at least 50K pixels when
multiplying width and height"."""
DISCOVER_PAGE = "https://developers.google.com/search/docs/appearance/google-discover"
"""Google's Discover page: "large images that are at least 1200 px wide" for the large
previews (with ``max-image-preview:large``)."""
MIN_IMAGE_PIXELS = 50_000
MIN_LARGE_PREVIEW_WIDTH = 1200


def _lead_picture_size(article: Article) -> Iterator[Finding]:
    """A lead picture smaller than Google's guidance, with the page that gives it."""
    image = article.image
    if image is None or image.width is None or image.height is None:
        return
    size = f"{image.file!r} is {image.width:,} x {image.height:,} pixels"
    if image.width * image.height < MIN_IMAGE_PIXELS:
        message = (
            f"{size}: Google asks for Article images of at least {MIN_IMAGE_PIXELS:,} pixels"
            f" (width x height; {ARTICLE_IMAGES_PAGE}) and at least"
            f" {MIN_LARGE_PREVIEW_WIDTH:,} px wide for large previews ({DISCOVER_PAGE})"
        )
    elif image.width < MIN_LARGE_PREVIEW_WIDTH:
        message = (
            f"{size}: Google asks for at least {MIN_LARGE_PREVIEW_WIDTH:,} px wide for large"
            f" previews in Discover and search ({DISCOVER_PAGE})"
        )
    else:
        return
    yield Finding(
        entry=ARTICLES.key_of(article),
        path=("image", "file"),
        rule="structure.lead-picture-size",
        level=Level.WARNING,
        message=message,
        fix=(
            f"use a picture at least {MIN_LARGE_PREVIEW_WIDTH:,} pixels wide (the media"
            " writer publishes smaller copies for phones itself)"
        ),
    )


_STUDY_PARTS = (
    (
        "sample",
        "structure.study-n",
        Level.WARNING,
        "without its sample size (n)",
        "add sample.n from the paper; never estimate it",
    ),
    (
        # The model requires limitations; kept for model changes.
        "limitations",
        "structure.study-limitations",
        Level.ERROR,
        "without its limitations",
        "list the limitations the authors or reviewers state",
    ),
)
"""What a cited study must give: its field, the rule, the level, what is missing, the fix."""


def _cited_study(study: Study, slugs: list[str]) -> Iterator[Finding]:
    """One finding per study and missing part, however many articles cite it."""
    more = f" and {len(slugs) - 1} more" if len(slugs) > 1 else ""
    cited_by = f"cited by {slugs[0]!r}{more}"
    missing = {"sample": study.sample.n is None, "limitations": not study.limitations}
    for field, rule, level, what, fix in _STUDY_PARTS:
        if missing[field]:
            yield Finding(
                entry=STUDIES.key(study.id),
                path=(field,),
                rule=rule,
                level=level,
                message=f"{cited_by} {what}",
                fix=fix,
            )


def _label(study: Study) -> str:
    return "pilot" if study.design.is_pilot else PRELIMINARY_WORDS


def _preliminary_labels(
    article: Article, library: Library, article_texts: list[Text]
) -> Iterator[Finding]:
    if not article.research:
        return
    texts = [t for t in article_texts if t.scope is not Scope.NOT_ESTABLISHED]
    for citation in article.research.citations:
        study = library.study(citation.study)
        if not study.design.is_preliminary:
            continue
        label = re.compile(rf"\b{_label(study)}\b", re.IGNORECASE)
        if label.search(citation.key_finding):
            continue
        mentions = study_mentions(study)
        for text in texts:
            for sentence in SENTENCE.findall(text.text):
                if mentions.search(sentence) and not label.search(sentence):
                    yield _unlabelled(text, sentence, study)


def _unlabelled(text: Text, sentence: str, study: Study) -> Finding:
    word = "pilot" if study.design.is_pilot else study.design.label.split()[0]
    return Finding(
        entry=text.entry,
        path=text.path,
        rule="structure.preliminary-label",
        level=Level.ERROR,
        message=f"cites the {study.design.label} {study.id!r} without saying it is {word}",
        fix=f"say '{word}' in this sentence or in the citation's key_finding",
        needle=sentence.strip()[:40],
    )
