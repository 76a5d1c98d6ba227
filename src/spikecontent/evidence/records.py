"""Registry answers read into one shape, and compared with what the content says.

Field names as the registries document them: a Crossref work has ``DOI``, ``title`` and
``container-title`` (lists), ``author`` (``family``, ``given`` or ``name``),
``published``/``issued`` (``date-parts``), ``abstract`` (JATS), ``updated-by`` and, on a
notice, ``update-to`` (each with ``type``, ``DOI``, ``updated``, ``source``). A PubMed
esummary has ``uid``, ``title``, ``fulljournalname``, ``source``, ``pubdate``,
``authors`` (``name``), ``pubtype``, ``articleids`` (``idtype``, ``value``) and
``references`` (``reftype``, e.g. "Erratum in", "Retraction in").

Nothing here guesses: a difference is reported with the record's value and where it was
read, and a sample size only ever as the abstract's own sentence.
"""

from __future__ import annotations

import datetime
import difflib
import html
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

from spikecontent.loading.evidence_lock import Candidate, LockedRecord, Notice
from spikecontent.model import Study
from spikecontent.model.evidence import UpdateKind

__all__ = [
    "Fetched",
    "Mismatch",
    "crossref_notices",
    "from_crossref",
    "from_pubmed",
    "mismatches",
    "pubmed_notices",
    "sample_sentences",
    "score",
]

# Crossmark update types (and Retraction Watch's, which Crossref gives the same way).
_CROSSREF_KINDS: Final = {
    "retraction": UpdateKind.RETRACTION,
    "partial_retraction": UpdateKind.RETRACTION,
    "removal": UpdateKind.WITHDRAWAL,
    "withdrawal": UpdateKind.WITHDRAWAL,
    "expression_of_concern": UpdateKind.EXPRESSION_OF_CONCERN,
    "correction": UpdateKind.CORRECTION,
    "erratum": UpdateKind.CORRECTION,
    "corrigendum": UpdateKind.CORRECTION,
}
# PubMed: the comment/correction links of a record (esummary ``references``).
_PUBMED_LINKS: Final = {
    "retraction in": UpdateKind.RETRACTION,
    "erratum in": UpdateKind.CORRECTION,
    "expression of concern in": UpdateKind.EXPRESSION_OF_CONCERN,
}


@attrs.frozen(kw_only=True)
class Fetched:
    """One registry record of a work."""

    doi: str | None
    title: str | None
    venue: str | None
    year: int | None
    authors: tuple[str, ...]
    pmid: int | None = None
    abstract: str | None = None
    source: str
    notices: tuple[Notice, ...] = ()
    itself: str | None = None
    """When the record is a notice itself (PubMed's "Published Erratum"), what it is."""

    def locked(self, sources: Iterable[str], notices: Iterable[Notice]) -> LockedRecord:
        """As the lock records it."""
        return LockedRecord(
            title=self.title,
            venue=self.venue,
            year=self.year,
            authors=self.authors,
            pmid=self.pmid,
            sources=tuple(dict.fromkeys(sources)),
            updates=tuple(sorted(notices, key=_notice_order)),
        )

    def candidate(self, value: float) -> Candidate | None:
        """As a proposed candidate (only a record with a DOI can be accepted)."""
        if self.doi is None:
            return None
        return Candidate(
            doi=self.doi,
            score=round(value, 3),
            title=self.title,
            venue=self.venue,
            year=self.year,
            authors=self.authors,
            source=self.source,
        )


def _notice_order(notice: Notice) -> tuple[str, str, str]:
    return (notice.date.isoformat() if notice.date else "", notice.kind.value, notice.doi or "")


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _clean(value) if isinstance(value, str) and value.strip() else None


def _clean(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _date_parts(value: Any) -> list[int]:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        return [p for p in parts[0] if isinstance(p, int)]
    return []


def _day(parts: list[int]) -> datetime.date | None:
    if len(parts) < 3:
        return None
    try:
        return datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return None


def from_crossref(work: Mapping[str, Any], source: str) -> Fetched:
    """A Crossref work (a ``message`` or a search ``item``)."""
    year = None
    for key in ("published", "published-print", "published-online", "issued"):
        parts = _date_parts(work.get(key))
        if parts:
            year = parts[0]
            break
    authors = []
    for author in work.get("author") or []:
        if isinstance(author, dict):
            name = author.get("family") or author.get("name")
            if isinstance(name, str) and name.strip():
                authors.append(name.strip())
    abstract = work.get("abstract")
    doi = work.get("DOI")
    return Fetched(
        doi=doi.lower() if isinstance(doi, str) else None,
        title=_first(work.get("title")),
        venue=_first(work.get("container-title")),
        year=year,
        authors=tuple(authors),
        abstract=_clean(abstract) if isinstance(abstract, str) else None,
        source=source,
        notices=tuple(crossref_notices(work.get("updated-by"), source)),
    )


def crossref_notices(
    relations: Any, source: str, *, about: str | None = None, notice: str | None = None
) -> Iterator[Notice]:
    """The notices in a list of Crossref update relations: a work's ``updated-by`` (each
    relation names the notice's DOI), or a notice's ``update-to`` (give ``about``, the
    updated work's DOI, and ``notice``, the notice's own DOI)."""
    for relation in relations if isinstance(relations, list) else []:
        if not isinstance(relation, dict):
            continue
        kind = _CROSSREF_KINDS.get(str(relation.get("type", "")).lower())
        target = relation.get("DOI")
        if kind is None or not isinstance(target, str):
            continue
        if about is not None and target.lower() != about.lower():
            continue
        yield Notice(
            kind=kind,
            doi=notice.lower() if notice else None if about is not None else target.lower(),
            date=_day(_date_parts(relation.get("updated"))),
            source=source,
        )


def from_pubmed(summary: Mapping[str, Any], source: str) -> Fetched:
    """A PubMed esummary record."""
    doi = None
    for article_id in summary.get("articleids") or []:
        if isinstance(article_id, dict) and article_id.get("idtype") == "doi":
            value = article_id.get("value")
            doi = value.lower() if isinstance(value, str) and value else None
    year_text = re.match(r"\d{4}", str(summary.get("pubdate", "")))
    authors = []
    for author in summary.get("authors") or []:
        name = author.get("name") if isinstance(author, dict) else None
        if isinstance(name, str) and name.strip():
            # PubMed writes "Hohmann C": the surname, then initials.
            authors.append(name.strip())
    uid = str(summary.get("uid", ""))
    pubtypes = [str(t) for t in summary.get("pubtype") or []]
    title = _first(summary.get("title"))
    return Fetched(
        doi=doi,
        title=title.rstrip(".") if title else None,
        venue=_first(summary.get("fulljournalname")) or _first(summary.get("source")),
        year=int(year_text.group()) if year_text else None,
        authors=tuple(authors),
        pmid=int(uid) if uid.isdigit() else None,
        source=source,
        notices=tuple(pubmed_notices(summary, source)),
        itself="a published erratum" if "Published Erratum" in pubtypes else None,
    )


def pubmed_notices(summary: Mapping[str, Any], source: str) -> Iterator[Notice]:
    """PubMed's notices: the publication type "Retracted Publication", and the record's
    links to a retraction, an erratum or an expression of concern."""
    pubtypes = [str(t) for t in summary.get("pubtype") or []]
    if "Retracted Publication" in pubtypes:
        yield Notice(kind=UpdateKind.RETRACTION, source=source)
    for reference in summary.get("references") or []:
        if not isinstance(reference, dict):
            continue
        kind = _PUBMED_LINKS.get(str(reference.get("reftype", "")).strip().lower())
        if kind is not None and not (
            kind is UpdateKind.RETRACTION and "Retracted Publication" in pubtypes
        ):
            yield Notice(kind=kind, source=source)


def normal(text: str) -> str:
    """Text compared as words: accents, case and punctuation left out."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def similar(a: str, b: str) -> float:
    """0 to 1: how alike two texts are as words (1 when one contains the other)."""
    left, right = normal(a), normal(b)
    if not left or not right:
        return 0.0
    if left == right or f" {left} " in f" {right} " or f" {right} " in f" {left} ":
        return 1.0
    return difflib.SequenceMatcher(None, left, right).ratio()


def surname(name: str) -> str:
    """The surname of a name as the content or a registry writes it: "Hohmann",
    "Hohmann C" (PubMed), "Christoph Hohmann"."""
    words = normal(name).split()
    if len(words) > 1 and len(words[-1]) <= 2:  # PubMed: surname then initials
        return " ".join(words[:-1])
    return words[-1] if words else ""


def score(study: Study, record: Fetched) -> float:
    """How well ``record`` matches what the content says of ``study``, 0 to 1: title,
    first author, year and venue, each weighed only when the content gives it."""
    parts: list[tuple[float, float]] = []
    if study.title and record.title:
        parts.append((0.4, similar(study.title, record.title)))
    if study.authors:
        found = bool(record.authors) and surname(study.authors[0]) == surname(record.authors[0])
        parts.append((0.2, 1.0 if found else 0.0))
    if record.year is not None:
        gap = abs(study.year - record.year)
        parts.append((0.2, 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0))
    if study.venue:
        parts.append((0.2, similar(study.venue, record.venue) if record.venue else 0.0))
    if len(parts) < 2 if record.year is not None else not parts:
        return 0.0  # a year alone matches every paper of that year
    total = sum(weight for weight, _ in parts)
    return sum(weight * value for weight, value in parts) / total if total else 0.0


@attrs.frozen(kw_only=True)
class Mismatch:
    """A field where the record says something else than the content."""

    field: str
    content: str
    record: str


def mismatches(study: Study, record: Fetched) -> Iterator[Mismatch]:
    """Year, venue, first author and title, where the content gives them."""
    if record.year is not None and record.year != study.year:
        yield Mismatch(field="year", content=str(study.year), record=str(record.year))
    if study.venue and record.venue and similar(study.venue, record.venue) < 0.85:
        yield Mismatch(field="venue", content=study.venue, record=record.venue)
    first = study.authors[0] if study.authors else None
    if first and record.authors and surname(first) != surname(record.authors[0]):
        yield Mismatch(field="authors", content=study.authors[0], record=record.authors[0])
    if study.title and record.title and similar(study.title, record.title) < 0.9:
        yield Mismatch(field="title", content=study.title, record=record.title)


_PEOPLE: Final = (
    r"participants|patients|subjects|volunteers|adults|women|men|people|individuals"
    r"|persons|students|athletes|workers|employees|children|respondents"
)
_COUNTS: Final = (
    re.compile(rf"\b(\d{{1,3}}(?:,\d{{3}})*|\d+)\s+(?:\w+[\s-]+){{0,3}}?(?:{_PEOPLE})\b", re.I),
    re.compile(r"\b[nN]\s*=\s*(\d+)\b"),
)


def sample_sentences(abstract: str, sizes: Iterable[int]) -> list[tuple[str, tuple[int, ...]]]:
    """The abstract's sentences that state a number of participants, with the numbers,
    when none of the abstract's stated numbers is one of ``sizes`` (the content's total
    and group sizes); empty when the abstract agrees or states none."""
    known = set(sizes)
    stated: list[tuple[str, tuple[int, ...]]] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", " ".join(abstract.split())):
        numbers = tuple(
            int(found.group(1).replace(",", ""))
            for pattern in _COUNTS
            for found in pattern.finditer(sentence)
        )
        if numbers:
            stated.append((sentence, numbers))
    if any(n in known for _, numbers in stated for n in numbers):
        return []
    return stated
