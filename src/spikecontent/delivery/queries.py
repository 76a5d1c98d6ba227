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
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from spikecontent.delivery.search import SearchIndex, parse_query
from spikecontent.diagnostics import SpikecontentError
from spikecontent.model import Library

__all__ = [
    "SORT_KEYS",
    "Catalog",
    "QueryError",
    "check_parameters",
    "check_study",
    "not_an_integer",
    "project",
    "split_fields",
]

SORT_KEYS: Final = ("title", "-title", "modified", "-modified", "published", "-published")


class QueryError(SpikecontentError):
    """A query the API cannot answer: the message names the part and what is allowed."""


def check_parameters(given: Iterable[str], allowed: Iterable[str]) -> None:
    """:class:`QueryError` naming the first parameter ``allowed`` does not hold."""
    known = sorted(allowed)
    for name in given:
        if name not in known:
            takes = ", ".join(known) if known else "no query parameters"
            raise QueryError(f"unknown query parameter {name!r}; this endpoint takes {takes}")


def check_study(cites: str | None, studies: list[str]) -> None:
    """:class:`QueryError` when ``cites`` names no study, with the closest id."""
    if cites is None or cites in studies:
        return
    close = difflib.get_close_matches(cites, studies, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise QueryError(
        f"cites: no study {cites!r}{hint} (studies: {', '.join(studies)}; /studies lists them)"
    )


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
    """``item`` with only ``fields`` (all of it for none); a dotted name chooses a field
    inside another (``image.url``; through a list, in each of its items:
    ``research.citations.study.design``). :class:`QueryError` naming an unknown one."""
    if not fields:
        return dict(item)
    tree: dict[str, Any] = {}
    for name in fields:
        node = tree
        *parents, last = name.split(".")
        for part in parents:
            inner = node.setdefault(part, {})
            if inner is None:  # the whole field is chosen already
                break
            node = inner
        else:
            node[last] = None
    picked = _pick(item, tree, "")
    assert isinstance(picked, dict)
    return picked


def _pick(value: Any, tree: dict[str, Any], path: str) -> Any:
    if isinstance(value, list):
        return [_pick(inner, tree, path) for inner in value]
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise QueryError(
            f"fields: {path!r} is a value, not an object: choose {path!r} itself"
            " (a dotted name goes into an object's fields)"
        )
    chosen = {}
    for name, inner in tree.items():
        full = f"{path}.{name}" if path else name
        if name not in value:
            close = difflib.get_close_matches(name, list(value), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            where = f"fields of {path!r}" if path else "fields"
            raise QueryError(f"fields: no field {full!r}{hint} ({where}: {', '.join(value)})")
        chosen[name] = value[name] if inner is None else _pick(value[name], inner, full)
    return chosen


@attrs.frozen(kw_only=True)
class _Facts:
    categories: frozenset[str]
    cites: frozenset[str]
    modified: datetime.date
    published: datetime.date | None
    title: str


class Catalog:
    """The articles of one snapshot, ready for filters, orders and search."""

    def __init__(
        self,
        summaries: list[dict[str, Any]],
        library: Library,
        documents: Iterable[tuple[str, Mapping[str, Any]]] = (),
    ) -> None:
        """``documents``: each article's delivery document by slug, for full-text search."""
        self.summaries = summaries
        self._facts: dict[str, _Facts] = {}
        self._by_slug = {summary["slug"]: summary for summary in summaries}
        for summary in summaries:
            article = library.article(summary["slug"])
            self._facts[article.slug] = _Facts(
                categories=frozenset(article.categories),
                cites=frozenset(article.study_ids),
                modified=article.modified,
                published=article.published,
                title=article.title,
            )
        self.studies = sorted(study.id for study in library.studies)
        self.categories = sorted({c for facts in self._facts.values() for c in facts.categories})
        self.index = SearchIndex(documents)

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

    def search(
        self,
        query: str,
        *,
        category: str | None = None,
        cites: str | None = None,
        limit: int | None = None,
    ) -> tuple[int, list[dict[str, Any]]]:
        """How many articles hold the words of ``query`` in one passage, and the first
        ``limit`` of them (all for None), best first, each with its best passages and
        their snippets; only those that pass the filters. No word: no article."""
        allowed = None
        if category is not None or cites is not None:
            allowed = {
                slug for slug, facts in self._facts.items() if _keep(facts, category, cites, None)
            }
        terms = parse_query(query)
        total, found = self.index.search(terms, allowed, limit)
        hits = []
        for hit in found:  # snippets only for the hits shown
            shown = hit.shown(terms)
            summary = self._by_slug[hit.slug]
            best = shown["passages"][0]
            hits.append(
                {
                    "slug": summary["slug"],
                    "title": summary["title"],
                    "api": summary["api"],
                    "url": summary["url"],
                    "score": shown["score"],
                    "matched": {
                        "field": best["field"],
                        "text": best["text"],
                        "snippet": best["snippet"],
                    },
                    "passages": shown["passages"],
                    "sys": summary.get("sys"),
                }
            )
        return total, hits


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
