"""A citation's words against its study's record: no channel may drift from the page.

The page prints a citation's summary beside the evidence table, and the leaflet, the
JSON-LD and the support replies print the study's record (its year, design and ``n``). So
what the summary and its key-finding quote say of those three must be what the record
says:

- a sample size written ``n = 44`` (or ``total n = 42``) is the record's ``sample.n`` or
  one of its groups' (unless another ``n`` of the words is: they may name another
  study's; an ``n`` "per group" is not compared);
- when the words date a study ("a 2011 exploratory study"), one of their years is the
  study's (a warning: the words may date only another study they compare with);
- a study the words call pilot, exploratory or preliminary has such a design (a warning:
  "unlike the earlier pilot studies" may be about others).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Final

from spikecontent.lint.citations import STUDY_WORDS
from spikecontent.lint.rules import Level
from spikecontent.lint.texts import Text
from spikecontent.loading.findings import Finding
from spikecontent.model import Article, Library, Study

__all__ = ["PRELIMINARY_WORDS", "study_figure_issues"]

_SAMPLE: Final = re.compile(r"\bn\s*=\s*(\d{1,3}(?:,\d{3})+|\d+)\b", re.IGNORECASE)
_PER_GROUP: Final = re.compile(r"\s*(?:per|in each|each|a|an)\s+(?:group|arm)\b", re.IGNORECASE)
"""After an ``n``: a group's size, which a record of the total cannot confirm."""
# A year as prose dates a study ("a 2011 exploratory study"), not "2000 participants".
_YEAR: Final = re.compile(rf"\b((?:19|20)\d\d)\b(?=(?:\W+\w+){{0,4}}\W+{STUDY_WORDS}\b)", re.I)
PRELIMINARY_WORDS: Final = r"(?:pilot|exploratory|preliminary|feasibility)"
"""The words that call a study preliminary (and that a preliminary study must be called)."""
_PRELIMINARY: Final = re.compile(rf"\b{PRELIMINARY_WORDS}\b", re.I)
_FIX: Final = "make the words and the study's record agree, from the paper (never guess either)"


def study_figure_issues(
    article: Article, library: Library, texts: Iterable[Text]
) -> Iterator[Finding]:
    """Where a citation's summary or key finding says another ``n``, year or design than
    its study's record."""
    if not article.research:
        return
    by_citation: dict[int, list[Text]] = {}
    for text in texts:
        if text.path[:2] == ("research", "citations") and isinstance(text.path[2], int):
            by_citation.setdefault(text.path[2], []).append(text)
    for index, citation in enumerate(article.research.citations):
        study = library.study(citation.study)
        cited = by_citation.get(index, [])
        for text in cited:
            yield from _samples(text, study)
            yield from _preliminary(text, study)
        yield from _years(cited, study)


def _samples(text: Text, study: Study) -> Iterator[Finding]:
    if study.sample.n is None:
        return  # structure.study-n asks for it
    recorded = {study.sample.n, *(group.n for group in study.sample.groups if group.n)}
    words = text.text
    written = [n for n in _SAMPLE.finditer(words) if not _PER_GROUP.match(words, n.end())]
    # Each text is judged alone (the page may print one and not the other). Its words may
    # give another study's n beside this one's ("unlike the earlier trial, n = 300"): only
    # a text that gives no n the record holds disagrees with it.
    if not written or any(_number(found) in recorded for found in written):
        return
    yield _finding(
        text,
        "structure.study-n-agrees",
        Level.ERROR,
        f"says {written[0].group()} where the study {study.id!r} records n = {study.sample.n}",
        written[0].group(),
    )


def _number(found: re.Match[str]) -> int:
    return int(found.group(1).replace(",", ""))


def _years(cited: list[Text], study: Study) -> Iterator[Finding]:
    named = [(text, found) for text in cited for found in _YEAR.finditer(text.text)]
    if not named or any(int(found.group(1)) == study.year for _, found in named):
        return
    text, found = named[0]
    yield _finding(
        text,
        "structure.study-year-agrees",
        # A warning: the words may date another study they compare with, and not this one.
        Level.WARNING,
        f"dates a study {found.group(1)} but never {study.year}, the year the study"
        f" {study.id!r} records",
        found.group(1),
    )


def _preliminary(text: Text, study: Study) -> Iterator[Finding]:
    if study.design.is_preliminary:
        return
    found = _PRELIMINARY.search(text.text)
    if found is not None:
        yield _finding(
            text,
            "structure.study-design-agrees",
            Level.WARNING,
            f"calls the study {study.id!r} {found.group().lower()}, but its record says"
            f" {study.design.label}",
            found.group(),
        )


def _finding(text: Text, rule: str, level: Level, message: str, needle: str) -> Finding:
    return Finding(
        entry=text.entry,
        path=text.path,
        rule=rule,
        level=level,
        message=message,
        fix=_FIX,
        needle=needle,
    )
