"""The files the evidence commands write: the lock (``check --refresh``) and a study's
``doi:`` (``accept``), both through ruamel.yaml's round-trip mode.

Neither imports the network client: ``accept`` works offline, from the candidates the
lock holds.
"""

from __future__ import annotations

import enum
import io
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from spikecontent.diagnostics import SpikecontentError
from spikecontent.loading.evidence_lock import (
    DEFAULT_MAX_AGE_DAYS,
    LOCK_FILE,
    LockEntry,
    read_lock,
)
from spikecontent.loading.loader import load_with_sources
from spikecontent.model import STUDIES, EntryKey
from spikecontent.model.evidence import DOI
from spikecontent.tempfiles import create_beside

__all__ = ["AcceptError", "accept", "write_lock"]

_HEADER: Final = """\
The evidence lock: what 'spikecontent evidence check --refresh' fetched from Crossref and
PubMed for each cited study. Exports and validate read only this file, never the network.
Review its diff like content; see docs/editing-guide.md, "Checking the evidence".
"""
# Where accept puts doi: after the last of these the file has (the study's published
# record), else at the end.
_AFTER: Final = ("venue", "authors", "et_al", "title")


class AcceptError(SpikecontentError):
    """``accept`` cannot write the DOI (with why, and what to do)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    # Content refuses anchors and aliases: a value met twice is written out twice.
    yaml.representer.ignore_aliases = lambda *_: True
    return yaml


def write_lock(
    content: Path, entries: Mapping[str, LockEntry], *, keep: frozenset[str] = frozenset()
) -> Path:
    """Write the lock with ``entries`` (by study id), keeping the lock's
    ``max_age_days`` and, for the ids in ``keep``, what it held before."""
    previous, _ = read_lock(content)
    held = dict(previous.studies) if previous else {}
    merged = {**{k: held[k] for k in keep if k in held}, **entries}
    data = CommentedMap()
    data["max_age_days"] = previous.max_age_days if previous else DEFAULT_MAX_AGE_DAYS
    studies = CommentedMap()
    for ident in sorted(merged):
        studies[ident] = _mapping(merged[ident])
    data["studies"] = studies
    data.yaml_set_start_comment(_HEADER)
    text = io.StringIO()
    _yaml().dump(data, text)
    path = content / LOCK_FILE
    _write(path, text.getvalue().encode("utf-8"), 0o666)
    return path


def _mapping(record: Any) -> CommentedMap:
    """A record of the lock (an entry, its record, a notice, a candidate) as YAML: its
    fields in order, leaving out those at their default (None or empty), which the reader
    fills in again."""
    out = CommentedMap()
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name)
        if value is not None and value != ():
            out[field.name] = _value(value)
    return out


def _value(value: Any) -> Any:
    if attrs.has(type(value)):
        return _mapping(value)
    if isinstance(value, tuple):
        return CommentedSeq(_value(item) for item in value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def accept(content: Path, study_id: str, doi: str) -> Path:
    """Write ``doi: <doi>`` into the study's file, which is otherwise left byte for byte
    as it was. The DOI must be one of the study's candidates in the lock (proposed by
    ``check --refresh`` with the URL of the record it was read from)."""
    doi = doi.strip()
    if not DOI.fullmatch(doi):
        raise AcceptError(f"{doi!r} is not a DOI; write it bare, e.g. 10.1155/2012/123456")
    loaded = load_with_sources(content)
    key = EntryKey(STUDIES.name, study_id)
    if key not in loaded.source_maps:
        known = ", ".join(s.id for s in loaded.library.studies)
        raise AcceptError(f"no study {study_id!r} (the studies are {known})")
    study = loaded.library.get(STUDIES, study_id)
    if study.doi is not None:
        raise AcceptError(f"{study_id} already has the DOI {study.doi}; edit the file to change it")
    lock, _ = read_lock(content)
    entry = lock.studies.get(study_id) if lock else None
    proposed = {c.doi.lower(): c for c in entry.candidates} if entry else {}
    if doi.lower() not in proposed:
        listed = ", ".join(proposed) or "none"
        raise AcceptError(
            f"{doi} is not a candidate the lock holds for {study_id} (candidates: {listed});"
            " run 'spikecontent evidence check --refresh' first"
        )
    path = Path(loaded.source_maps[key].file)
    original = path.read_bytes()
    text = original.decode("utf-8")
    yaml = _yaml()
    data = yaml.load(text)
    keys = list(data)
    after = [keys.index(k) + 1 for k in _AFTER if k in data]
    data.insert(max(after) if after else len(keys), "doi", proposed[doi.lower()].doi)
    out = io.StringIO()
    yaml.dump(data, out)
    written = out.getvalue()
    added = [line for line in written.splitlines(keepends=True) if line.startswith("doi:")]
    rest = "".join(line for line in written.splitlines(keepends=True) if line not in added)
    if len(added) != 1 or rest != text:
        raise AcceptError(
            f"{path}: writing doi: would change other lines of the file; add 'doi: {doi}' by hand"
        )
    _write(path, written.encode("utf-8"), os.stat(path).st_mode & 0o777)
    return path


def _write(path: Path, data: bytes, mode: int) -> None:
    """``data`` into ``path`` at once: a temporary file beside it, renamed over it."""
    descriptor, temporary = create_beside(path, mode)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
