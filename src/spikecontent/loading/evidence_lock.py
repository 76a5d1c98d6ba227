"""The evidence lock: ``content/evidence.lock.yaml``, what the registries hold for each
cited study, as ``spikecontent evidence check --refresh`` fetched it.

Exports and ``validate`` read only this file, never the network: the loader gives each
study whose DOI the lock holds a :class:`~spikecontent.model.StudyRecord` (its PubMed id
and update notices). The linter then refuses content that cites a retracted, withdrawn
or concerned study unless the citing article allows it with a reason::

    lint_allow:
      - rule: evidence.retracted
        field: research.citations[2].study
        reason: The section explains why this study was retracted.

The file is read with positions and structured by the content's strict converter, like
every content file, so a mistake in it is reported at ``file:line:col``. Its shape::

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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
from cattrs.errors import ClassValidationError

from spikecontent.diagnostics import Diagnostic, Level, format_path
from spikecontent.links import check_id
from spikecontent.loading.converter import StrictTypeError, structure
from spikecontent.loading.findings import findings_from, place
from spikecontent.loading.source_map import SourceMap, SourceSyntaxError, decode_text, read_bytes
from spikecontent.loading.yaml_source import parse_yaml
from spikecontent.model import Library, Study
from spikecontent.model.evidence import StudyRecord, UpdateKind, UpdateNotice, valid_doi
from spikecontent.model.fields import FieldError, FieldPath, non_empty_text, positive

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
    "lock_place",
    "lock_warnings",
    "read_lock",
]

LOCK_FILE: Final = "evidence.lock.yaml"
DEFAULT_MAX_AGE_DAYS: Final = 180
RETRACTED_RULE: Final = "evidence.retracted"
"""The ``lint_allow`` rule that lets an article cite a retracted study to discuss it."""
_REFRESH: Final = "run 'spikecontent evidence check --refresh' to write the lock again"


def _score(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 <= value <= 1:
        raise FieldError(attribute.name, f"must be from 0 to 1, got {value}", _REFRESH)


def _study_ids(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
    for ident in value:
        if check_id(ident):
            raise FieldError((attribute.name, ident), f"{ident!r} is not a study id", _REFRESH)


@attrs.frozen(kw_only=True)
class Notice:
    """An update notice as the lock records it."""

    kind: UpdateKind
    doi: str | None = attrs.field(default=None, validator=valid_doi)
    """The notice's own DOI, when it has one."""
    date: datetime.date | None = None
    source: str = attrs.field(validator=non_empty_text)
    """Where it was read (a URL)."""


@attrs.frozen(kw_only=True)
class LockedRecord:
    """What the registries hold for a DOI."""

    title: str | None = attrs.field(default=None, validator=non_empty_text)
    venue: str | None = attrs.field(default=None, validator=non_empty_text)
    year: int | None = attrs.field(default=None, validator=positive)
    authors: tuple[str, ...] = ()
    pmid: int | None = attrs.field(default=None, validator=positive)
    sources: tuple[str, ...] = ()
    updates: tuple[Notice, ...] = ()


@attrs.frozen(kw_only=True)
class Candidate:
    """A record that may be the study's, proposed with its match score (0 to 1)."""

    doi: str = attrs.field(validator=valid_doi)
    score: float = attrs.field(validator=_score)
    title: str | None = attrs.field(default=None, validator=non_empty_text)
    venue: str | None = attrs.field(default=None, validator=non_empty_text)
    year: int | None = attrs.field(default=None, validator=positive)
    authors: tuple[str, ...] = ()
    source: str = attrs.field(validator=non_empty_text)


@attrs.frozen(kw_only=True)
class LockEntry:
    """Everything the lock holds for one study."""

    checked: datetime.date
    doi: str | None = attrs.field(default=None, validator=valid_doi)
    record: LockedRecord | None = None
    candidates: tuple[Candidate, ...] = ()


@attrs.frozen(kw_only=True)
class _LockFile:
    """The file's shape, as the converter reads it."""

    studies: Mapping[str, LockEntry] = attrs.field(factory=dict, validator=_study_ids)
    max_age_days: int = attrs.field(default=DEFAULT_MAX_AGE_DAYS, validator=positive)


@attrs.frozen(kw_only=True)
class EvidenceLock:
    """The whole lock, and where each part of it was written."""

    studies: Mapping[str, LockEntry]
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    source: SourceMap | None = None


def read_lock(root: Path) -> tuple[EvidenceLock | None, list[Diagnostic]]:
    """The lock in the content folder ``root`` and every problem in it, each at
    ``file:line:col``. None when there is none, or when it has problems: a lock is
    trusted whole or not at all."""
    path = root / LOCK_FILE
    if not path.is_file():
        return None, []
    display = str(path)
    try:
        raw = read_bytes(path, display)
    except SourceSyntaxError as error:  # unreadable: its own message and fix
        return None, [error.diagnostic(_REFRESH)]
    try:
        document = parse_yaml(decode_text(raw, display), display)
        data = structure(document.data, _LockFile)
    except SourceSyntaxError as error:
        return None, [error.diagnostic(_REFRESH, prefix="invalid YAML: ")]
    except (ClassValidationError, StrictTypeError, FieldError) as error:
        return None, [place(finding, document.source) for finding in findings_from(error)]
    lock = EvidenceLock(
        studies=data.studies, max_age_days=data.max_age_days, source=document.source
    )
    return lock, []


def lock_place(lock: EvidenceLock, path: FieldPath) -> str:
    """``file:line:col`` of ``path`` in the lock (its file name when it was not read
    from a file)."""
    if lock.source is None:
        return LOCK_FILE
    line, col = lock.source.value(path)
    return f"{lock.source.file}:{line}:{col}"


def _model_record(entry: LockEntry) -> StudyRecord | None:
    if entry.record is None:
        return None
    notices = tuple(UpdateNotice(kind=n.kind, date=n.date) for n in entry.record.updates)
    return StudyRecord(checked=entry.checked, pmid=entry.record.pmid, updates=notices)


def apply_lock(
    lock: EvidenceLock | None,
    studies: Sequence[Study],
    source_maps: Mapping[tuple[str, int], SourceMap],
) -> tuple[tuple[Study, ...], list[Diagnostic]]:
    """The loader's step: ``studies`` with the lock's records (for the DOI each study
    gives), and an error for each ``record`` written in a study file (records come from
    the lock). ``source_maps`` are the loader's, by (collection, index). What a record
    says about the articles that cite the study is the linter's to judge."""
    problems: list[Diagnostic] = []
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
    return tuple(result), problems


def _entry_path(ident: str) -> FieldPath:
    return ("studies", ident)


def _details(notice: Notice) -> str:
    day = notice.date.isoformat() if notice.date else None
    details = ", ".join(part for part in (notice.doi, day) if part)
    return f" ({details})" if details else ""


def lock_warnings(
    root: Path, library: Library, today: datetime.date | None = None
) -> list[Diagnostic]:
    """What ``validate`` reports about the lock beyond the loader's errors: corrections,
    records older than the lock's ``max_age_days``, cited studies whose DOI the lock
    does not hold, and entries for studies that are gone. (A cited retracted study is
    the linter's: an error, or allowed with the reason its ``lint_allow`` gives.)"""
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

    def note(path: FieldPath, message: str, fix: str) -> None:
        line, col = lock.source.value(path) if lock and lock.source else (None, None)
        found.append(
            Diagnostic(
                file=display,
                line=line,
                col=col,
                rule="evidence",
                field=format_path(path),
                message=message,
                fix=fix,
                level=Level.WARNING,
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
            if notice.kind is UpdateKind.CORRECTION:
                note(
                    (*path, "record", "updates", index),
                    f"{ident} has a correction{_details(notice)}, see {notice.source}",
                    "check the study's details and what the content says against the"
                    " corrected paper",
                )
    return found
