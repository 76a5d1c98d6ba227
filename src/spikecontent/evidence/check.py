"""``spikecontent evidence check``: each cited study against Crossref and PubMed.

A study with a DOI is looked up by it (Crossref's work and the notices that update it,
PubMed's record for the DOI); one without is searched for (Crossref's bibliographic
query, then PubMed's), and the best records are proposed as candidates with their score,
never written into the content. Every difference is a finding at the study's
``file:line:col`` naming the record's value and its URL.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import attrs

from spikecontent.diagnostics import Diagnostic, Level
from spikecontent.evidence.records import (
    Fetched,
    crossref_notices,
    from_crossref,
    from_pubmed,
    mismatches,
    sample_sentences,
    score,
)
from spikecontent.evidence.registries import Registries, RegistryError
from spikecontent.loading.evidence_lock import Candidate, LockEntry, Notice
from spikecontent.loading.findings import Finding, place
from spikecontent.loading.loader import load_with_sources
from spikecontent.loading.source_map import SourceMap
from spikecontent.model import STUDIES, EntryKey, Study

__all__ = ["MIN_SCORE", "Checked", "check"]

MIN_SCORE: Final = 0.5
"""Records scoring below this are not proposed."""
CANDIDATES: Final = 3


@attrs.frozen(kw_only=True)
class Checked:
    """What one check found: findings, the lock entries to write, the studies whose
    registries could not be asked (their lock entries are left as they were)."""

    findings: tuple[Diagnostic, ...]
    entries: dict[str, LockEntry]
    failed: frozenset[str]
    candidates: dict[str, tuple[Candidate, ...]]


def check(
    content: Path,
    registries: Registries,
    *,
    only: Sequence[str] = (),
    today: datetime.date | None = None,
) -> Checked:
    """Check the studies the articles in ``content`` cite (or those named in ``only``)."""
    loaded = load_with_sources(content)
    library = loaded.library
    cited = [
        citation.study
        for article in library.articles
        if article.research is not None
        for citation in article.research.citations
    ]
    wanted = list(dict.fromkeys(only or cited))
    today = today or datetime.date.today()
    findings: list[Diagnostic] = []
    entries: dict[str, LockEntry] = {}
    failed: set[str] = set()
    proposed: dict[str, tuple[Candidate, ...]] = {}
    for ident in wanted:
        study = library.get(STUDIES, ident)
        source = loaded.source_maps[EntryKey(STUDIES.name, ident)]
        report = _Report(source)
        try:
            if study.doi:
                entries[ident] = _by_doi(study, study.doi, registries, report, today)
            else:
                entry = _search(study, registries, report, today)
                entries[ident] = entry
                proposed[ident] = entry.candidates
        except RegistryError as error:
            failed.add(ident)
            report.add(("doi",) if study.doi else ("id",), f"not checked: {error}", _RETRY)
        findings.extend(report.found)
    return Checked(
        findings=tuple(findings), entries=entries, failed=frozenset(failed), candidates=proposed
    )


_RETRY: Final = "run the check again later; the lock keeps what it held"


class _Report:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.found: list[Diagnostic] = []

    def add(
        self, path: tuple[str | int, ...], message: str, fix: str, level: Level = Level.ERROR
    ) -> None:
        placed = place(Finding(path=path, message=message, fix=fix), self.source)
        self.found.append(attrs.evolve(placed, rule="evidence", level=level))


def _by_doi(
    study: Study, doi: str, registries: Registries, report: _Report, today: datetime.date
) -> LockEntry:
    answer = registries.crossref_work(doi)
    crossref = from_crossref(answer.body, answer.url) if answer.body is not None else None
    notices: list[Notice] = list(crossref.notices) if crossref else []
    updates = registries.crossref_updates(doi)
    for item in updates.body:
        if isinstance(item, dict):
            notice_doi = item.get("DOI") if isinstance(item.get("DOI"), str) else None
            notices.extend(
                crossref_notices(item.get("update-to"), updates.url, about=doi, notice=notice_doi)
            )
    pubmed = _pubmed_for_doi(doi, registries)
    if pubmed is not None:
        notices.extend(pubmed.notices)
        if pubmed.itself:
            report.add(
                ("doi",),
                f"PubMed's record for this DOI is {pubmed.itself} ({pubmed.source})",
                "check that the DOI is the study's own, not a notice's",
                Level.WARNING,
            )
    record = crossref or pubmed
    if record is None:
        report.add(
            ("doi",),
            f"neither Crossref nor PubMed holds the DOI {doi} ({answer.url})",
            "check the DOI against the paper; remove it if it is not the study's",
        )
        return LockEntry(checked=today, doi=doi)
    sources = [s for s in (crossref and crossref.source, pubmed and pubmed.source) if s]
    notices = _unique(notices)
    for mismatch in mismatches(study, record):
        report.add(
            (mismatch.field,),
            f"the content says {mismatch.content!r}, the record {mismatch.record!r}"
            f" ({record.source})",
            "check the paper and correct the content, or the DOI if it is another work's",
            Level.WARNING,
        )
    for notice in notices:
        label = notice.kind.value.replace("-", " ")
        about = f" {notice.doi}" if notice.doi else ""
        dated = f" of {notice.date.isoformat()}" if notice.date else ""
        report.add(
            ("doi",),
            f"the registries hold a {label}{about}{dated} for this study ({notice.source})",
            "read the notice; a retracted study cannot back a finding"
            if notice.kind.undermines
            else "check the content against the corrected paper",
            Level.ERROR if notice.kind.undermines else Level.WARNING,
        )
    abstract = (crossref.abstract if crossref else None) or _pubmed_abstract(pubmed, registries)
    _sample(study, abstract, record.source, report)
    with_pmid = attrs.evolve(record, pmid=pubmed.pmid if pubmed else None)
    return LockEntry(checked=today, doi=doi, record=with_pmid.locked(sources, notices))


def _unique(notices: Iterable[Notice]) -> list[Notice]:
    """One notice per kind and notice DOI, the first source kept (a notice without a
    DOI, from PubMed, is dropped when another source names one of its kind)."""
    seen: dict[tuple[str, str | None], Notice] = {}
    for notice in notices:
        seen.setdefault((notice.kind.value, notice.doi), notice)
    named = {kind for kind, doi in seen if doi is not None}
    return [n for (kind, doi), n in seen.items() if doi is not None or kind not in named]


def _pubmed_for_doi(doi: str, registries: Registries) -> Fetched | None:
    found = registries.pubmed_search(f"{doi}[doi]", retmax=2)
    if len(found.body) != 1:
        return None
    summaries = registries.pubmed_summaries(found.body)
    summary = summaries.body.get(found.body[0])
    return from_pubmed(summary, _record_url(found.body[0])) if summary else None


def _record_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def _pubmed_abstract(pubmed: Fetched | None, registries: Registries) -> str | None:
    if pubmed is None or pubmed.pmid is None:
        return None
    answer = registries.pubmed_abstract(str(pubmed.pmid))
    return answer.body if isinstance(answer.body, str) else None


def _sample(study: Study, abstract: str | None, source: str, report: _Report) -> None:
    n = study.sample.n
    if not abstract or n is None:
        return
    sizes = [n, *(g.n for g in study.sample.groups if g.n is not None)]
    for sentence, numbers in sample_sentences(abstract, sizes):
        stated = ", ".join(str(number) for number in numbers)
        report.add(
            ("sample", "n"),
            f'n is {n}, but the abstract states {stated}: "{sentence}" ({source})',
            "read the paper: n counts those the study analysed; the content keeps its"
            " number until someone checks it",
            Level.WARNING,
        )


def _search(
    study: Study, registries: Registries, report: _Report, today: datetime.date
) -> LockEntry:
    if not (study.authors or study.venue or study.title):
        report.add(
            ("id",),
            "no DOI, and nothing to search by: the content gives no authors, venue or title",
            "add what the paper says (authors, venue, title), then check again",
            Level.WARNING,
        )
        return LockEntry(checked=today)
    query = " ".join(
        part for part in (*study.authors, str(study.year), study.venue, study.title) if part
    )
    records: list[Fetched] = []
    crossref = registries.crossref_search(query)
    records.extend(from_crossref(item, crossref.url) for item in crossref.body)
    term = _pubmed_term(study)
    if term:
        found = registries.pubmed_search(term)
        if found.body:
            summaries = registries.pubmed_summaries(found.body)
            for pmid, summary in summaries.body.items():
                records.append(from_pubmed(summary, _record_url(pmid)))
    scored: dict[str, Candidate] = {}
    for record in records:
        candidate = record.candidate(score(study, record))
        if candidate is None or candidate.score < MIN_SCORE:
            continue
        if candidate.doi not in scored or scored[candidate.doi].score < candidate.score:
            scored[candidate.doi] = candidate
    candidates = sorted(scored.values(), key=lambda c: (-c.score, c.doi))[:CANDIDATES]
    if not candidates:
        report.add(
            ("id",),
            f"no DOI, and no record in Crossref or PubMed matches it ({crossref.url})",
            "add the title or authors from the paper, then check again",
            Level.WARNING,
        )
    else:
        listed = "; ".join(f"{c.doi} (score {c.score:.2f})" for c in candidates)
        report.add(
            ("id",),
            f"no DOI; candidates: {listed}",
            f"compare each with the paper, then 'spikecontent evidence accept {study.id} DOI'",
            Level.WARNING,
        )
    return LockEntry(checked=today, candidates=tuple(candidates))


def _pubmed_term(study: Study) -> str:
    parts = []
    if study.title:
        words = re.sub(r"[^\w\s-]", " ", study.title).split()
        parts.append(" ".join(words) + "[Title]")
    if study.authors:
        parts.append(f"{study.authors[0]}[1au]")
    if not parts:
        return ""
    return " AND ".join([*parts, f"{study.year}[dp]"])
