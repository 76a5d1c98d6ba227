"""Queries on the delivery API, answered from data each snapshot computes once.

The list takes filters (``category``, ``cites``, ``updated_since``), an order (``sort``)
and a projection (``fields``); the document takes a projection; ``/search`` ranks
articles by where the words appear: a title counts most, then an FAQ question or the
description, then a heading. Every name a client sends is checked: an unknown field,
sort key or parameter is a 400 that names it and lists the ones there are.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import Library

__all__ = [
    "SORT_KEYS",
    "Catalog",
    "QueryError",
    "check_parameters",
    "not_an_integer",
    "project",
    "split_fields",
]

SORT_KEYS: Final = ("title", "-title", "modified", "-modified", "published", "-published")
_WEIGHTS: Final = {"title": 4.0, "faq": 3.0, "description": 2.0, "heading": 1.5}
_WORD: Final = re.compile(r"[\w'-]+")


class QueryError(SpikecontentError):
    """A query the API cannot answer: the message names the part and what is allowed."""


def check_parameters(given: Iterable[str], allowed: Iterable[str]) -> None:
    """:class:`QueryError` naming the first parameter ``allowed`` does not hold."""
    known = sorted(allowed)
    for name in given:
        if name not in known:
            takes = ", ".join(known) if known else "no query parameters"
            raise QueryError(f"unknown query parameter {name!r}; this endpoint takes {takes}")


def not_an_integer(name: str, text: str) -> str:
    """Why ``text`` is not a value of the integer parameter ``name``, and what to send.

    The OpenAPI document declares ``type: integer``: a JSON Schema type, whose values are
    JSON numbers (JSON Schema 2020-12, validation 6.1.1), so the API reads a parameter's
    text as a JSON number. JSON writes a number in decimal digits with no leading zeros, no
    ``+`` and no spaces (RFC 8259, 6), and a client made from the document sends it that
    way. ``01`` is refused rather than read as 1 so that an answer has one URL, the one
    clients send, not one per spelling for every cache to keep apart; ``1.0`` is an
    integer to JSON Schema and accepted."""
    digits = text.strip().lstrip("+")
    hint = ""
    if digits.isascii() and digits.isdigit():
        hint = f"; send {name}={int(digits)}"
    return (
        f"{name}: {text[:20]!r} is not an integer as JSON writes one (the OpenAPI"
        f" document's type: integer): decimal digits, with no leading zero, sign or"
        f" space{hint}"
    )


def split_fields(text: str | None) -> tuple[str, ...]:
    """``title,description`` as names; empty for no projection."""
    if text is None:
        return ()
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise QueryError("fields: a comma-separated list of field names, e.g. title,url")
    return names


def project(item: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """``item`` with only ``fields`` (all of it for none); :class:`QueryError` naming an
    unknown one."""
    if not fields:
        return dict(item)
    for name in fields:
        if name not in item:
            close = difflib.get_close_matches(name, list(item), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise QueryError(f"fields: no field {name!r}{hint} (fields: {', '.join(item)})")
    return {name: item[name] for name in fields}


@attrs.frozen(kw_only=True)
class _Facts:
    categories: frozenset[str]
    cites: frozenset[str]
    modified: datetime.date
    published: datetime.date | None
    title: str


@attrs.frozen(kw_only=True)
class _Passage:
    slug: str
    field: str
    text: str
    words: frozenset[str]
    weight: float


class Catalog:
    """The articles of one snapshot, ready for filters, orders and search."""

    def __init__(self, summaries: list[dict[str, Any]], library: Library) -> None:
        self.summaries = summaries
        self._facts: dict[str, _Facts] = {}
        self._passages: dict[str, list[_Passage]] = {}
        """Each article's searchable texts, by slug."""
        for summary in summaries:
            article = library.article(summary["slug"])
            self._facts[article.slug] = _Facts(
                categories=frozenset(article.categories),
                cites=frozenset(article.study_ids),
                modified=article.modified,
                published=article.published,
                title=article.title,
            )
            self._add(article.slug, "title", article.title, "title")
            self._add(article.slug, "description", article.description, "description")
            for index, entry in enumerate(article.faq_entries):
                self._add(article.slug, f"faq.items[{index}].question", entry.question, "faq")
            for field, heading in _headings(article):
                self._add(article.slug, field, heading, "heading")

    def _add(self, slug: str, field: str, text: str, kind: str) -> None:
        words = frozenset(_words(text))
        self._passages.setdefault(slug, []).append(
            _Passage(slug=slug, field=field, text=text, words=words, weight=_WEIGHTS[kind])
        )

    def select(
        self,
        *,
        category: str | None = None,
        cites: str | None = None,
        updated_since: datetime.date | None = None,
        sort: str | None = None,
    ) -> list[dict[str, Any]]:
        """The summaries that pass the filters, in ``sort`` order (the index's otherwise)."""
        chosen = [
            summary
            for summary in self.summaries
            if _keep(self._facts[summary["slug"]], category, cites, updated_since)
        ]
        if sort is None:
            return chosen
        if sort not in SORT_KEYS:
            raise QueryError(f"sort: {sort!r} is not an order; use one of {', '.join(SORT_KEYS)}")
        key = sort.removeprefix("-")

        def value(summary: dict[str, Any]) -> tuple[bool, Any]:
            found = getattr(self._facts[summary["slug"]], key)
            if isinstance(found, str):
                found = found.casefold()
            return (found is None, found)  # articles with no date last, either way

        ordered = sorted(chosen, key=value, reverse=sort.startswith("-"))
        if sort.startswith("-"):  # undated ones still last
            ordered.sort(key=lambda s: getattr(self._facts[s["slug"]], key) is None)
        return ordered

    def search(self, query: str) -> list[dict[str, Any]]:
        """Articles where the words of ``query`` appear, best first, with the field that
        matched best; every word must appear in the article. No word: no article."""
        wanted = list(dict.fromkeys(_words(query)))
        if not wanted:
            return []  # nothing to look for (only spaces or punctuation)
        hits = []
        for summary in self.summaries:
            passages = self._passages.get(summary["slug"], [])
            present = {w for p in passages for w in p.words}
            if not all(any(_matches(w, word) for w in present) for word in wanted):
                continue
            scored = [(_score(p, wanted), p) for p in passages]
            score = sum(s for s, _ in scored)
            best = max(scored, key=lambda pair: pair[0])[1]
            hits.append(
                {
                    "slug": summary["slug"],
                    "title": summary["title"],
                    "api": summary["api"],
                    "url": summary["url"],
                    "score": round(score, 3),
                    "matched": {"field": best.field, "text": best.text},
                }
            )
        return sorted(hits, key=lambda hit: (-hit["score"], hit["slug"]))


def _keep(
    facts: _Facts,
    category: str | None,
    cites: str | None,
    updated_since: datetime.date | None,
) -> bool:
    if category is not None and category not in facts.categories:
        return False
    if cites is not None and cites not in facts.cites:
        return False
    return updated_since is None or facts.modified >= updated_since


def _headings(article: Any) -> Iterable[tuple[str, str]]:
    for index, section in enumerate(article.sections):
        yield f"sections[{index}].heading", section.heading
    for name in ("research", "evidence_table", "user_reports", "sleep", "cautions", "tips"):
        part = getattr(article, name)
        if part is not None:
            yield f"{name}.heading", part.heading
    if article.faq is not None:
        yield "faq.heading", article.faq.heading


def _words(text: str) -> list[str]:
    return [word.casefold().strip("'-") for word in _WORD.findall(text) if word.strip("'-")]


def _matches(word: str, wanted: str) -> bool:
    # Long words match by their stem ("studies" finds "study"), short ones exactly.
    if len(wanted) >= 5:
        return word.startswith(wanted[:-2]) or (wanted.startswith(word) and len(word) >= 4)
    return word == wanted


def _score(passage: _Passage, wanted: list[str]) -> float:
    found = sum(any(_matches(w, word) for w in passage.words) for word in wanted)
    return passage.weight * found / len(wanted)
