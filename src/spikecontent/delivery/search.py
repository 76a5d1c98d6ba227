"""Full-text search over every published prose field: SQLite FTS5 with Snowball stems.

Each article's delivery document (the json writer's bytes, so exactly what is published)
is cut into passages: every prose field (intro, section bodies, FAQ answers, citation
summaries, tips, ...) and every text field a reader sees (title, description, headings,
FAQ questions, the evidence table's lines, each cited study's finding, outcomes and
limitations, each caution). Identifiers, URLs, dates and enum keys are not text and are
left out. Every word is reduced to its English Snowball stem (``sleeping``, ``sleeps``
and ``sleep`` are one term) before SQLite's FTS5 indexes it, so ranking is FTS5's BM25
over stems, with one column per kind of passage and a weight per column: a title counts
4, an FAQ question 3, the description 2, a heading 1.5, a caution 1.2, prose 1, a study's
record 0.8.

The index is built in memory with the snapshot it belongs to and dropped with it, so a
query never sees two versions of the content. Queries take words (all must appear in one
passage), ``"quoted phrases"`` and ``prefix*``; each hit names its best passages with a
snippet in which the words found are marked (``<mark>``, the rest HTML-escaped).
"""

from __future__ import annotations

import functools
import heapq
import html
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

import attrs
import snowballstemmer  # type: ignore[import-untyped]

__all__ = [
    "KINDS",
    "PASSAGES_PER_HIT",
    "Hit",
    "Passage",
    "SearchIndex",
    "parse_query",
    "passages",
    "snippet",
]

KINDS: Final = {
    "title": 4.0,
    "question": 3.0,
    "description": 2.0,
    "heading": 1.5,
    "caution": 1.2,
    "prose": 1.0,
    "study": 0.8,
}
"""The FTS5 columns, one per kind of passage, with their BM25 weights."""
PASSAGES_PER_HIT: Final = 3
"""How many matching passages a hit names, best first."""
_SNIPPET_WORDS: Final = 24
_WORD: Final = re.compile(r"\w+(?:['\u2019]\w+)*")
_FOLDED_WORD: Final = re.compile(r"\w+(?:'\w+)*")
"""A word of text already folded (its apostrophes straightened)."""
_QUERY: Final = re.compile(r'"([^"]*)"?|(\S+)')
_NOT_TEXT: Final = frozenset(
    {
        "id",
        "slug",
        "url",
        "reviews_url",
        "api",
        "file",
        "doi",
        "design",
        "kind",
        "status",
        "role",
        "currency",
        "price",
        "price_basis",
        "availability",
        "published",
        "modified",
        "last_reviewed",
        "date",
        "by",
        "authors",
        "year",
        "categories",
        "markdown",
        "html",
    }
)
"""Keys whose values are identifiers, addresses, dates or enum keys, never read as text."""
_NOT_SEARCHED: Final = frozenset({"pages", "articles", "offer", "credits", "byline", "image"})
"""Top-level parts of the document that are navigation or commerce, not the article."""


@attrs.frozen(kw_only=True)
class Passage:
    """One searchable text of an article's document."""

    field: str
    """Its place in the document, e.g. ``faq.items[3].answer``."""
    kind: str
    """Which :data:`KINDS` column it goes in."""
    text: str


def passages(document: Mapping[str, Any]) -> Iterator[Passage]:
    """The searchable passages of one delivery document."""
    for field, kind, text in _passages(document):
        yield Passage(field=field, kind=kind, text=text)


def _passages(document: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for key, value in document.items():
        if key not in _NOT_SEARCHED:
            _walk(value, key, key, found)
    return found


def _walk(value: Any, path: str, key: str, found: list[tuple[str, str, str]]) -> None:
    # Into one list, depth first: nested generators would pass each passage up through
    # every level (126,000 passages at 1,000 articles).
    if isinstance(value, dict):
        if "tree" in value and "markdown" in value:
            text = _prose(value["tree"])
            if text:
                found.append((path, _kind(path, key), text))
            return
        for name, inner in value.items():
            if name not in _NOT_TEXT:
                _walk(inner, f"{path}.{name}", name, found)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _walk(inner, f"{path}[{index}]", key, found)
    elif isinstance(value, str) and value.strip():
        found.append((path, _kind(path, key), value))


def _kind(path: str, key: str) -> str:
    if path == "title":
        return "title"
    if path == "description":
        return "description"
    if key == "question":
        return "question"
    if key.endswith("heading"):
        return "heading"
    if path.startswith("cautions.items"):
        return "caution"
    if ".study." in path:
        return "study"
    return "prose"


def _prose(tree: list[dict[str, Any]]) -> str:
    """The words of a delivered prose tree: spans joined, one line per block."""
    lines = []
    for block in tree:
        line = "".join(str(span.get("text", "")) for span in block.get("children", []))
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


@attrs.frozen
class _Term:
    """One part of a query: a word, a phrase (several stems in order) or a prefix."""

    stems: tuple[str, ...]
    prefix: str | None = None

    def fts(self) -> str:
        if self.prefix is not None:
            return f'"{self.prefix}"*'
        return '"' + " ".join(self.stems) + '"'


def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


_STEMS: dict[str, str] = {}
"""Word (folded) to stem, shared by every index: a language has few words."""
_STEMS_LOCK = threading.Lock()
_STEMMER = _stemmer()


def _stems(words: list[str]) -> list[str]:
    missing = [w for w in dict.fromkeys(words) if w not in _STEMS]
    if missing:
        with _STEMS_LOCK:  # the stemmer object is not thread-safe
            for word, stem in zip(missing, _STEMMER.stemWords(missing), strict=True):
                _STEMS[word] = stem
    return [_STEMS[w] for w in words]


def _stemmed(text: str) -> str:
    """The stems of ``text``'s words, separated by spaces: what FTS5 indexes."""
    words = _FOLDED_WORD.findall(text.casefold().replace("\u2019", "'"))
    try:
        return " ".join([_STEMS[word] for word in words])
    except KeyError:  # a word not seen before: stem the new ones first
        _stems(words)
        return " ".join([_STEMS[word] for word in words])


def _folded_words(text: str) -> list[str]:
    return [match.group().casefold().replace("\u2019", "'") for match in _WORD.finditer(text)]


def parse_query(query: str) -> list[_Term]:
    """The terms of ``query``: ``"a phrase"``, ``prefix*`` and plain words."""
    terms: list[_Term] = []
    for match in _QUERY.finditer(query):
        phrase, word = match.groups()
        if phrase is not None:
            words = _folded_words(phrase)
            if words:
                terms.append(_Term(tuple(_stems(words))))
        elif word.endswith("*") and len(_folded_words(word)) == 1:
            prefix = _folded_words(word)[0]
            terms.append(_Term((), prefix=prefix))
        else:
            terms.extend(_Term((stem,)) for stem in _stems(_folded_words(word)))
    return terms


@attrs.frozen(kw_only=True)
class Hit:
    """One article a search found, its passages best first (not yet cut to a page)."""

    slug: str
    score: float
    passages: list[tuple[float, Passage]]

    def shown(self, terms: list[_Term]) -> dict[str, Any]:
        """The hit as the API answers it, with a snippet for each passage shown."""
        return {
            "slug": self.slug,
            "score": round(self.score, 3),
            "passages": [
                {
                    "field": passage.field,
                    "text": passage.text,
                    "snippet": snippet(passage.text, terms),
                    "score": round(score, 3),
                }
                for score, passage in self.passages[:PASSAGES_PER_HIT]
            ],
        }


class SearchIndex:
    """An FTS5 index of the passages of a set of documents, in memory.

    A text that appears in many documents (a cited study's record, a caution, the
    disclaimer: each is inlined into every article that names it) is indexed once, with
    every place it appears; BM25's document frequencies then count distinct texts, so a
    study cited by every article does not drown the rest."""

    def __init__(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        """Index ``(slug, document)`` pairs."""
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        columns = ", ".join(KINDS)
        self._db.execute(
            f"CREATE VIRTUAL TABLE passages USING fts5({columns},"
            " tokenize = 'unicode61 remove_diacritics 0', detail = full)"
        )
        rowids: dict[tuple[str, str], int] = {}
        self._slugs: list[str] = []
        self._places: list[tuple[list[int], list[str]]] = []
        """Per indexed text (by rowid): the articles (as indexes into ``_slugs``) and the
        fields where it appears."""
        self._texts: list[tuple[str, str]] = []
        self.passages = 0
        rows = []
        column = {kind: index for index, kind in enumerate(KINDS)}
        empty = [""] * len(KINDS)
        for slug, document in documents:
            number = len(self._slugs)
            self._slugs.append(slug)
            for field, kind, text in _passages(document):
                key = (kind, text)
                rowid = rowids.get(key)
                if rowid is None:
                    stemmed = _stemmed(text)
                    if not stemmed:
                        continue
                    rowid = rowids[key] = len(self._texts)
                    row = list(empty)
                    row[column[kind]] = stemmed
                    rows.append((rowid, *row))
                    self._texts.append(key)
                    self._places.append(([], []))
                articles, fields = self._places[rowid]
                articles.append(number)
                fields.append(field)
                self.passages += 1
        marks = ", ".join("?" * (len(KINDS) + 1))
        self._db.executemany(f"INSERT INTO passages(rowid, {columns}) VALUES ({marks})", rows)
        weights = ", ".join(str(weight) for weight in KINDS.values())
        # FTS5's bm25 is lower for better: negated, higher is better.
        self._select = (
            f"SELECT rowid, -bm25(passages, {weights}) FROM passages WHERE passages MATCH ?"
        )

    def __len__(self) -> int:
        """How many distinct texts are indexed."""
        return len(self._texts)

    def search(
        self, terms: list[_Term], allowed: set[str] | None = None, limit: int | None = None
    ) -> tuple[int, list[Hit]]:
        """How many articles have a passage that holds every term, and the first
        ``limit`` of them (all for None), best first: an article's score is the sum of its
        matching passages' BM25 scores (higher is better). Only the slugs in ``allowed``
        when given."""
        if not terms:
            return 0, []
        expression = " AND ".join(term.fts() for term in terms)
        with self._lock:
            found = self._db.execute(self._select, (expression,)).fetchall()
        # First the scores alone, one addition per place a matching text appears (a
        # study's record appears in every article citing it), then the passages of the
        # articles shown.
        scores = [0.0] * len(self._slugs)
        for rowid, score in found:
            for number in self._places[rowid][0]:
                scores[number] += score
        if allowed is not None:
            for number, slug in enumerate(self._slugs):
                if slug not in allowed:
                    scores[number] = 0.0
        matched = [number for number, score in enumerate(scores) if score]
        count = len(matched) if limit is None else min(limit, len(matched))
        best = heapq.nsmallest(count, matched, key=lambda n: (-scores[n], self._slugs[n]))
        shown: dict[int, list[tuple[float, Passage]]] = {number: [] for number in best}
        for rowid, score in found:
            kind, text = self._texts[rowid]
            for number, field in zip(*self._places[rowid], strict=True):
                if number in shown:
                    shown[number].append((score, Passage(field=field, kind=kind, text=text)))
        hits = []
        for number, scored in shown.items():
            scored.sort(key=lambda pair: (-pair[0], pair[1].field))
            hits.append(Hit(slug=self._slugs[number], score=scores[number], passages=scored))
        return len(matched), hits


@functools.lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[str, ...]]:
    """Each word of ``text``: where it is, folded, and its stem (kept for the texts
    snippets are made of, which are few: the same study record is in many hits)."""
    words = list(_WORD.finditer(text))
    folded = [m.group().casefold().replace("\u2019", "'") for m in words]
    return tuple(m.span() for m in words), tuple(folded), tuple(_stems(folded))


def snippet(text: str, terms: list[_Term]) -> str:
    """A window of ``text`` around its first matched word, HTML-escaped, with each
    matched word in ``<mark>``; ``…`` where the text was cut."""
    stems = {stem for term in terms for stem in term.stems}
    prefixes = tuple(term.prefix for term in terms if term.prefix is not None)
    spans, folded, stemmed = _tokens(text)
    marked = [
        stem in stems
        or (bool(prefixes) and (stem.startswith(prefixes) or word.startswith(prefixes)))
        for word, stem in zip(folded, stemmed, strict=True)
    ]
    first = marked.index(True) if any(marked) else 0
    start = max(0, first - _SNIPPET_WORDS // 3)
    end = min(len(spans), start + _SNIPPET_WORDS)
    begin = spans[start][0] if start else 0
    finish = spans[end - 1][1] if end < len(spans) else len(text)
    out = ["…" if begin else ""]
    position = begin
    for index in range(start, end):
        if marked[index]:
            left, right = spans[index]
            out.append(html.escape(text[position:left], quote=False))
            out.append(f"<mark>{html.escape(text[left:right], quote=False)}</mark>")
            position = right
    out.append(html.escape(text[position:finish], quote=False))
    if finish < len(text):
        out.append("…")
    return "".join(out)
