"""The evidence lock: ``content/evidence.lock.yaml``, what the registries hold for each
cited study, as ``spikecontent evidence check --refresh`` fetched it.

Exports and ``validate`` read only this file, never the network: the loader gives each
study whose DOI the lock holds a :class:`~spikecontent.model.StudyRecord` (its PubMed id
and update notices), and refuses content that cites a retracted, withdrawn or
concerned study unless the citing article allows it with a reason::

    lint_allow:
      - rule: evidence.retracted
        field: research.citations[2].study
        reason: The section explains why this study was retracted.

The file is read with positions like every content file, so a mistake in it is reported
at ``file:line:col``. Its shape::

    max_age_days: 180            # optional: older records are a warning in validate
    studies:
      hohmann-2012:
        checked: 2026-12-06
        doi: 10.1155/2012/505286   # the study's DOI the record is for
        record:                    # what was confirmed for that DOI
          title: ...
          venue: ...
          year: 2012
          authors: [Hohmann C]
          pmid: 22611426
          sources: [https://api.crossref.org/works/10.1155/2012/505286]
          updates:
            - kind: correction
              doi: 10.1155/2013/000001
              date: 2013-05-02
              source: https://api.crossref.org/works?filter=updates:10.1155/2012/505286
        candidates:                # proposed for a study without a DOI; never published
          - doi: ...
            score: 0.93
            title: ...
            source: https://api.crossref.org/works?query.bibliographic=...
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.diagnostics import Diagnostic, Level, format_path
from spikecontent.loading.allowances import Allowance
from spikecontent.loading.findings import Finding, place
from spikecontent.loading.source_map import SourceMap, SourceSyntaxError, decode_text
from spikecontent.loading.yaml_source import parse_yaml
from spikecontent.model import Article, Library, Study
from spikecontent.model.evidence import StudyRecord, UpdateKind, UpdateNotice
from spikecontent.model.fields import FieldPath

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "LOCK_FILE",
    "RETRACTED_RULE",
    "Candidate",
    "EvidenceLock",
    "LockEntry",
    "LockedRecord",
    "Notice",
    "apply_lock",
    "lock_warnings",
    "read_lock",
]

LOCK_FILE: Final = "evidence.lock.yaml"
DEFAULT_MAX_AGE_DAYS: Final = 180
RETRACTED_RULE: Final = "evidence.retracted"
"""The ``lint_allow`` rule that lets an article cite a retracted study to discuss it."""
_DOI: Final = re.compile(r"^10\.\d{4,9}/\S+$")
_ID: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@attrs.frozen(kw_only=True)
class Notice:
    """An update notice as the lock records it."""

    kind: UpdateKind
    doi: str | None = None
    """The notice's own DOI, when it has one."""
    date: datetime.date | None = None
    source: str
    """Where it was read (a URL)."""


@attrs.frozen(kw_only=True)
class LockedRecord:
    """What the registries hold for a DOI."""

    title: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    pmid: int | None = None
    sources: tuple[str, ...] = ()
    updates: tuple[Notice, ...] = ()


@attrs.frozen(kw_only=True)
class Candidate:
    """A record that may be the study's, proposed with its match score (0 to 1)."""

    doi: str
    score: float
    title: str | None = None
    venue: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    source: str


@attrs.frozen(kw_only=True)
class LockEntry:
    """Everything the lock holds for one study."""

    checked: datetime.date
    doi: str | None = None
    record: LockedRecord | None = None
    candidates: tuple[Candidate, ...] = ()


@attrs.frozen(kw_only=True)
class EvidenceLock:
    """The whole lock, and where each part of it was written."""

    studies: Mapping[str, LockEntry]
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    source: SourceMap | None = None


class _Problems:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.found: list[Diagnostic] = []

    def add(self, path: FieldPath, message: str, fix: str) -> None:
        self.found.append(place(Finding(path=path, message=message, fix=fix), self.source))


ALLOWED_REASON: Final = "allowed by lint_allow in the citing article"
_REFRESH: Final = "run 'spikecontent evidence check --refresh' to write the lock again"


def read_lock(root: Path) -> tuple[EvidenceLock | None, list[Diagnostic]]:
    """The lock in the content folder ``root`` (None when there is none) and every
    problem in it, each at ``file:line:col``."""
    path = root / LOCK_FILE
    if not path.is_file():
        return None, []
    display = str(path)
    try:
        document = parse_yaml(decode_text(path.read_bytes(), display), display)
    except SourceSyntaxError as error:
        return None, [error.diagnostic(_REFRESH, prefix="invalid YAML: ")]
    problems = _Problems(document.source)
    data = document.data
    if not isinstance(data, dict):
        problems.add((), "expected a mapping with 'studies'", _REFRESH)
        return None, problems.found
    for key in sorted(set(data) - {"studies", "max_age_days"}, key=str):
        problems.add((key,), f"unknown key {key!r}", "the lock holds studies and max_age_days")
    max_age = data.get("max_age_days", DEFAULT_MAX_AGE_DAYS)
    if not (isinstance(max_age, int) and not isinstance(max_age, bool) and max_age >= 1):
        problems.add(("max_age_days",), "must be a whole number of days, 1 or more", "e.g. 180")
        max_age = DEFAULT_MAX_AGE_DAYS
    raw_studies = data.get("studies", {})
    entries: dict[str, LockEntry] = {}
    if not isinstance(raw_studies, dict):
        problems.add(("studies",), "expected a mapping of study ids", _REFRESH)
    else:
        for ident, raw in raw_studies.items():
            if not _ID.fullmatch(str(ident)):
                problems.add(("studies", ident), f"{ident!r} is not a study id", _REFRESH)
                continue
            entry = _entry(raw, ("studies", ident), problems)
            if entry is not None:
                entries[str(ident)] = entry
    lock = EvidenceLock(studies=entries, max_age_days=max_age, source=document.source)
    return lock, problems.found


def _entry(raw: Any, path: FieldPath, problems: _Problems) -> LockEntry | None:
    fields = _mapping(raw, path, problems, {"checked", "doi", "record", "candidates"})
    if fields is None:
        return None
    checked = _date(fields.get("checked"), (*path, "checked"), problems, required=True)
    doi = _doi(fields.get("doi"), (*path, "doi"), problems)
    record = None
    if fields.get("record") is not None:
        record = _record(fields["record"], (*path, "record"), problems)
    candidates = []
    for index, item in enumerate(_list(fields.get("candidates"), (*path, "candidates"), problems)):
        candidate = _candidate(item, (*path, "candidates", index), problems)
        if candidate is not None:
            candidates.append(candidate)
    if checked is None:
        return None
    return LockEntry(checked=checked, doi=doi, record=record, candidates=tuple(candidates))


def _record(raw: Any, path: FieldPath, problems: _Problems) -> LockedRecord | None:
    known = {"title", "venue", "year", "authors", "pmid", "sources", "updates"}
    fields = _mapping(raw, path, problems, known)
    if fields is None:
        return None
    updates = []
    for index, item in enumerate(_list(fields.get("updates"), (*path, "updates"), problems)):
        notice = _notice(item, (*path, "updates", index), problems)
        if notice is not None:
            updates.append(notice)
    pmid = _int(fields.get("pmid"), (*path, "pmid"), problems)
    return LockedRecord(
        title=_text(fields.get("title"), (*path, "title"), problems),
        venue=_text(fields.get("venue"), (*path, "venue"), problems),
        year=_int(fields.get("year"), (*path, "year"), problems),
        authors=_texts(fields.get("authors"), (*path, "authors"), problems),
        pmid=pmid,
        sources=_texts(fields.get("sources"), (*path, "sources"), problems),
        updates=tuple(updates),
    )


def _notice(raw: Any, path: FieldPath, problems: _Problems) -> Notice | None:
    fields = _mapping(raw, path, problems, {"kind", "doi", "date", "source"})
    if fields is None:
        return None
    kinds = {kind.value: kind for kind in UpdateKind}
    kind = kinds.get(fields.get("kind"))  # type: ignore[arg-type]
    if kind is None:
        problems.add((*path, "kind"), f"kind must be one of {', '.join(kinds)}", _REFRESH)
    source = _text(fields.get("source"), (*path, "source"), problems)
    if source is None:
        problems.add((*path, "source"), "a notice needs the URL it was read from", _REFRESH)
    date = _date(fields.get("date"), (*path, "date"), problems, required=False)
    doi = _doi(fields.get("doi"), (*path, "doi"), problems)
    if kind is None or source is None:
        return None
    return Notice(kind=kind, doi=doi, date=date, source=source)


def _candidate(raw: Any, path: FieldPath, problems: _Problems) -> Candidate | None:
    known = {"doi", "score", "title", "venue", "year", "authors", "source"}
    fields = _mapping(raw, path, problems, known)
    if fields is None:
        return None
    doi = _doi(fields.get("doi"), (*path, "doi"), problems)
    score = fields.get("score")
    if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 1:
        problems.add((*path, "score"), "score must be a number from 0 to 1", _REFRESH)
        return None
    source = _text(fields.get("source"), (*path, "source"), problems)
    if doi is None or source is None:
        problems.add(path, "a candidate needs its doi and source", _REFRESH)
        return None
    return Candidate(
        doi=doi,
        score=float(score),
        title=_text(fields.get("title"), (*path, "title"), problems),
        venue=_text(fields.get("venue"), (*path, "venue"), problems),
        year=_int(fields.get("year"), (*path, "year"), problems),
        authors=_texts(fields.get("authors"), (*path, "authors"), problems),
        source=source,
    )


def _mapping(
    raw: Any, path: FieldPath, problems: _Problems, known: set[str]
) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        problems.add(path, "expected a mapping of fields", _REFRESH)
        return None
    for key in sorted(set(raw) - known, key=str):
        problems.add((*path, key), f"unknown key {key!r}", f"allowed: {', '.join(sorted(known))}")
    return raw


def _list(raw: Any, path: FieldPath, problems: _Problems) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add(path, "expected a list", _REFRESH)
        return []
    return raw


def _text(raw: Any, path: FieldPath, problems: _Problems) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        problems.add(path, "expected text", _REFRESH)
        return None
    return raw


def _texts(raw: Any, path: FieldPath, problems: _Problems) -> tuple[str, ...]:
    items = _list(raw, path, problems)
    texts = [_text(item, (*path, index), problems) for index, item in enumerate(items)]
    return tuple(text for text in texts if text is not None)


def _int(raw: Any, path: FieldPath, problems: _Problems) -> int | None:
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        problems.add(path, "expected a whole number", _REFRESH)
        return None
    return raw


def _doi(raw: Any, path: FieldPath, problems: _Problems) -> str | None:
    text = _text(raw, path, problems)
    if text is not None and not _DOI.fullmatch(text):
        problems.add(path, f"{text!r} is not a DOI", "a bare DOI such as 10.1155/2012/123456")
        return None
    return text


def _date(
    raw: Any, path: FieldPath, problems: _Problems, *, required: bool
) -> datetime.date | None:
    if raw is None:
        if required:
            problems.add(path, "required field is missing", _REFRESH)
        return None
    try:
        return datetime.date.fromisoformat(str(raw)) if isinstance(raw, str) else None
    except ValueError:
        pass
    problems.add(path, f"{raw!r} is not a date", "write it as YYYY-MM-DD")
    return None


def _model_record(entry: LockEntry) -> StudyRecord | None:
    if entry.record is None:
        return None
    notices = tuple(UpdateNotice(kind=n.kind, date=n.date) for n in entry.record.updates)
    return StudyRecord(checked=entry.checked, pmid=entry.record.pmid, updates=notices)


def apply_lock(
    root: Path,
    studies: Sequence[Study],
    articles: Sequence[Article],
    source_maps: Mapping[tuple[str, int], SourceMap],
    allowances: MutableMapping[tuple[str, int], tuple[Allowance, ...]],
) -> tuple[tuple[Study, ...], list[Diagnostic]]:
    """The loader's step: ``studies`` with the lock's records (for the DOI each study
    gives), and the errors: a lock that cannot be read, a ``record`` written in a study
    file, and each citation of a study the lock holds as retracted, withdrawn or under an
    expression of concern. A ``lint_allow`` for :data:`RETRACTED_RULE` on that citation
    waives it and is taken out of ``allowances`` (the linter would find it unused).
    ``source_maps`` and ``allowances`` are the loader's, by (collection, index)."""
    lock, problems = read_lock(root)
    result = []
    for index, study in enumerate(studies):
        if study.record is not None:
            source = source_maps[("studies", index)]
            line, col = source.key(("record",))
            problems.append(
                Diagnostic(
                    file=source.file,
                    line=line,
                    col=col,
                    field="record",
                    message="the record is read from evidence.lock.yaml",
                    fix="remove it; 'spikecontent evidence check --refresh' keeps the lock",
                )
            )
            study = attrs.evolve(study, record=None)
        entry = lock.studies.get(study.id) if lock is not None else None
        if entry is not None and study.doi is not None and entry.doi == study.doi:
            study = attrs.evolve(study, record=_model_record(entry))
        result.append(study)
    if lock is None:
        return tuple(result), problems
    by_id = {study.id: study for study in result}
    for index, article in enumerate(articles):
        if article.research is None:
            continue
        slot = ("articles", index)
        for position, citation in enumerate(article.research.citations):
            cited = by_id.get(citation.study)
            record = cited.record if cited is not None else None
            notices = [n for n in record.updates if n.kind.undermines] if record else []
            if not notices:
                continue
            path: FieldPath = ("research", "citations", position, "study")
            source = source_maps[slot]
            if _waive(allowances, slot, source.file, format_path(path)):
                continue
            kinds = ", ".join(sorted({n.kind.value for n in notices}))
            at = _where(lock, (*_entry_path(citation.study), "record", "updates"))
            line, col = source.value(path)
            problems.append(
                Diagnostic(
                    file=source.file,
                    line=line,
                    col=col,
                    rule=RETRACTED_RULE,
                    field=format_path(path),
                    message=(
                        f"cites {citation.study}, which the registries record as {kinds}"
                        f" ({at}): a study in this state cannot back a finding"
                    ),
                    fix=(
                        "remove the citation and what rests on it; to discuss the retraction,"
                        f" add lint_allow with rule {RETRACTED_RULE}, this field and a reason"
                    ),
                )
            )
    return tuple(result), problems


def _waive(
    allowances: MutableMapping[tuple[str, int], tuple[Allowance, ...]],
    slot: tuple[str, int],
    file: str,
    field: str,
) -> bool:
    held = allowances.get(slot, ())
    kept = tuple(a for a in held if not (a.rule == RETRACTED_RULE and a.field == field))
    if len(kept) == len(held):
        return False
    allowances[slot] = kept
    return True


def _entry_path(ident: str) -> FieldPath:
    return ("studies", ident)


def _where(lock: EvidenceLock, path: FieldPath) -> str:
    if lock.source is None:
        return LOCK_FILE
    line, col = lock.source.value(path)
    return f"{lock.source.file}:{line}:{col}"


def lock_warnings(
    root: Path, library: Library, today: datetime.date | None = None
) -> list[Diagnostic]:
    """What ``validate`` reports about the lock beyond the loader's errors: corrections,
    records older than the lock's ``max_age_days``, cited studies whose DOI the lock
    does not hold, entries for studies that are gone, and (as allowed) retracted
    studies cited under a ``lint_allow``."""
    lock, _ = read_lock(root)
    today = today or datetime.date.today()
    cited = {
        citation.study
        for article in library.articles
        if article.research is not None
        for citation in article.research.citations
    }
    found: list[Diagnostic] = []
    display = str(root / LOCK_FILE)

    def note(path: FieldPath, message: str, fix: str, level: Level = Level.WARNING) -> None:
        line, col = lock.source.value(path) if lock and lock.source else (None, None)
        found.append(
            Diagnostic(
                file=display,
                line=line,
                col=col,
                rule="evidence" if level is Level.WARNING else RETRACTED_RULE,
                field=format_path(path),
                message=message,
                fix=fix,
                level=level,
                reason="allowed by lint_allow in the citing article"
                if level is Level.ALLOWED
                else "",
            )
        )

    studies = {study.id: study for study in library.studies}
    for ident in sorted(cited):
        study = studies[ident]
        entry = lock.studies.get(ident) if lock else None
        if study.doi and (entry is None or entry.doi != study.doi):
            note(
                _entry_path(ident),
                f"{ident} has the DOI {study.doi}, which the lock does not hold: channels"
                " show no record for it",
                _REFRESH,
            )
    if lock is None:
        return found
    for ident, entry in sorted(lock.studies.items()):
        path = _entry_path(ident)
        if ident not in studies:
            note(path, f"no study {ident!r} in the content", _REFRESH)
            continue
        age = (today - entry.checked).days
        if age > lock.max_age_days:
            note(
                (*path, "checked"),
                f"checked {age} days ago, more than max_age_days ({lock.max_age_days})",
                _REFRESH,
            )
        study = studies[ident]
        if study.record is None or entry.record is None:
            continue
        for index, notice in enumerate(entry.record.updates):
            where = (*path, "record", "updates", index)
            label = notice.kind.value.replace("-", " ")
            day = notice.date.isoformat() if notice.date else None
            details = ", ".join(part for part in (notice.doi, day) if part)
            details = f" ({details})" if details else ""
            if notice.kind is UpdateKind.CORRECTION:
                note(
                    where,
                    f"{ident} has a correction{details}, see {notice.source}",
                    "check the study's details and what the content says against the"
                    " corrected paper",
                )
            elif ident in cited:
                note(where, f"{ident} is cited with a {label}{details}", "", Level.ALLOWED)
    return found
