"""The manifest of an export, and the build state that makes the next export incremental.

``manifest.json`` is for consumers: every artifact with its writer, size, SHA-256 and the
content entries it was made from. The build state is for the pipeline: the digest of each
artifact's inputs and of the whole run's input files, and the run's warnings (which name
content files, drafts' too, and quote them). So it is never published: each generation's
is kept beside the output, in ``.dist.spikecontent/states/<generation>.json``, readable by
its owner only (see :mod:`~spikecontent.store.generations`). Neither holds a
timestamp, so both are as deterministic as the artifacts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, overload

import attrs
import msgspec

from spikecontent.diagnostics import Diagnostic
from spikecontent.store.collector import lasting
from spikecontent.store.generations import Generations, NotOurLink

__all__ = [
    "LEGACY_STATE",
    "MANIFEST",
    "BuildState",
    "Record",
    "file_stamp",
    "manifest_bytes",
    "read_state",
    "remember_state",
    "state_bytes",
    "state_file",
    "state_stamp",
]

MANIFEST: Final = "manifest.json"
LEGACY_STATE: Final = ".spikecontent/state.json"
"""Where older versions kept the build state: inside each generation, so in the published
tree. Read when it is all there is (an output an older version made), once: the next
generation does not carry it, and its state is written beside the output."""
LOAD_CACHE: Final = "cache"
"""The load cache's folder, in the private folder beside the output (it outlives
generations; see :func:`~spikecontent.store.generations.private_folder`)."""
_STATE_FORMAT: Final = 4


class _Written(msgspec.Struct, frozen=True, kw_only=True):
    """What a :class:`Record` and the state file's :class:`_Row` say alike of an artifact
    as it was written, declared once; each goes on with its ``entries`` in its own form,
    then ``inputs`` (the order the files keep)."""

    path: str
    """Relative to the output folder, ``/``-separated."""
    profile: str
    writer: str
    writer_version: str
    sha256: str
    bytes: int


class Record(_Written, frozen=True, kw_only=True):
    """One artifact as it was written. (A msgspec struct, not an attrs class: the state
    file's 14,000 records are made in C as they are read, where building each one through
    an attrs ``__init__`` was half of reading the state.)"""

    entries: tuple[str, ...]
    """The content entries it was made from, as their keys are written."""
    inputs: str
    """Digest of everything the artifact was made from."""

    def matches_file(self, root: Path) -> bool:
        """Whether the file on disk is still exactly what was written."""
        path = root / self.path
        try:
            if path.stat().st_size != self.bytes:
                return False
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False


class _Row(_Written, frozen=True, kw_only=True):
    """A :class:`Record` as the state file keeps it: its entries by their list's index
    in ``entry_lists`` (the same fields, in the same order: tested)."""

    entries: int
    inputs: str


@attrs.frozen(kw_only=True)
class BuildState:
    """What the last successful export wrote, keyed by path."""

    run: str = ""
    """Digest of every input file of that run; equal digests mean nothing changed."""
    records: dict[str, Record] = attrs.field(factory=dict)
    warnings: Sequence[Diagnostic] = ()
    """The lint and writer warnings of that run, repeated when the next export finds
    nothing to do (read from a state file, they are made into diagnostics only then:
    12,000 of them were a third of reading the state, for an export that makes its own)."""


class _KeptWarnings(Sequence[Diagnostic]):
    """A state file's warnings, as the file's JSON text until first read: only an export
    with nothing to do repeats them, and decoding 15,000 of them into data was a third of
    reading the state for every other export."""

    def __init__(self, data: msgspec.Raw) -> None:
        self._data: msgspec.Raw | None = data
        self._found: tuple[Diagnostic, ...] = ()

    def _diagnostics(self) -> tuple[Diagnostic, ...]:
        if self._data is not None:
            # The state file is ours, written whole: a warning it cannot give back is
            # left out rather than failing the export that repeats them (and all of them
            # when the list itself is not one).
            found = []
            with contextlib.suppress(msgspec.DecodeError):
                for item in _WARNINGS_DECODER.decode(self._data):
                    with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError):
                        found.append(Diagnostic.from_json(item))
            self._found, self._data = tuple(found), None
        return self._found

    @overload
    def __getitem__(self, index: int) -> Diagnostic: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Diagnostic, ...]: ...
    def __getitem__(self, index: int | slice) -> Diagnostic | tuple[Diagnostic, ...]:
        return self._diagnostics()[index]

    def __len__(self) -> int:
        return len(self._diagnostics())


def manifest_bytes(records: dict[str, Record]) -> bytes:
    """``manifest.json``: the artifacts sorted by path."""
    # One artifact per line: readable and diffable. Each line is encoded by msgspec, in C:
    # the json module spent 13 µs a line (30,000 calls a run for this and the state), a
    # third of a second at 1,000 articles, and an indented dump ten times that.
    items = sorted(records.values(), key=_path)
    lines = b",\n  ".join(map(_ENCODER.encode, map(_manifest_item, items)))
    return b'{"artifacts": [\n  ' + lines + b"\n]}\n" if records else b'{"artifacts": []}\n'


def state_bytes(state: BuildState) -> bytes:
    """The build state as compact JSON (the pipeline's own: read by code, not people).

    14,000 artifacts name about 1,000 distinct lists of entries (200,000 strings, most of
    the file): each list is written once, in ``entry_lists``, and a record names its
    list by its index there."""
    warnings = _ENCODER.encode([w.as_json() for w in state.warnings])  # 6,000 at times
    lists: dict[tuple[str, ...], int] = {}
    rows = [
        _Row(
            path=record.path,
            profile=record.profile,
            writer=record.writer,
            writer_version=record.writer_version,
            sha256=record.sha256,
            bytes=record.bytes,
            entries=lists.setdefault(record.entries, len(lists)),
            inputs=record.inputs,
        )
        for record in sorted(state.records.values(), key=_path)
    ]
    head = f'{{"format":{_STATE_FORMAT},"run":{_compact(state.run)},"warnings":'
    chunks = [head.encode(), warnings, b',"entry_lists":', _ENCODER.encode(list(lists))]
    return b"".join([*chunks, b',"records":', _ENCODER.encode(rows), b"}\n"])


_ENCODER: Final = msgspec.json.Encoder()
"""The manifest's and the state's rows, each encoded in C."""


def _path(record: Record) -> str:
    return record.path


def _manifest_item(r: Record) -> dict[str, Any]:
    return {
        "path": r.path,
        "writer": r.writer,
        "writer_version": r.writer_version,
        "sha256": r.sha256,
        "bytes": r.bytes,
        "sources": r.entries,
    }


def state_file(root: Path) -> Path | None:
    """The build state of the export the output folder ``root`` shows: beside ``root``,
    named after the generation it links to; inside it (:data:`LEGACY_STATE`) when an
    older version made it. None when ``root`` is a link no export made."""
    generations = Generations(root)
    try:
        current = generations.current()
    except NotOurLink:
        return None  # refused when the export begins; nothing to read from it
    if current is None:
        return root / LEGACY_STATE  # a plain folder, or none yet
    beside = generations.state_file(current)
    return beside if beside.exists() else current / LEGACY_STATE


def state_stamp(root: Path) -> tuple[int, int, int, int] | None:
    """What identifies the state file of the output folder ``root`` now (its device,
    inode, size and modification time): equal stamps mean :func:`read_state` would read
    the same state."""
    path = state_file(root)
    return None if path is None else file_stamp(path)


def file_stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What identifies the file at ``path`` now (see :func:`state_stamp`)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


_KNOWN: dict[tuple[int, int, int, int], BuildState] = lasting({})
"""The state this process last wrote or read, by its file's stamp: an export in a
watching process reads the state the one before it wrote (14,000 records) from here."""


def read_state(root: Path) -> BuildState:
    """The state of the last successful export into ``root``; empty when unknown or unreadable."""
    path = state_file(root)
    stamp = None if path is None else file_stamp(path)
    known = _KNOWN.get(stamp) if stamp is not None else None
    if known is not None:
        return known
    state = BuildState() if path is None else _parsed_state(path)
    if stamp is not None and state.records:
        remember_state(stamp, state)
    return state


def remember_state(stamp: tuple[int, int, int, int] | None, state: BuildState) -> None:
    """Keep ``state`` as what the state file with ``stamp`` holds (one, the last)."""
    _KNOWN.clear()
    if stamp is not None:
        _KNOWN[stamp] = state


class _StateFile(msgspec.Struct, frozen=True):
    format: int
    run: str = ""
    warnings: msgspec.Raw = msgspec.Raw(b"[]")
    """Read only as far as where it ends (checked to be JSON), decoded when repeated."""
    entry_lists: list[tuple[str, ...]] = []
    records: list[_Row] = []


_STATE_DECODER: Final = msgspec.json.Decoder(_StateFile)
_WARNINGS_DECODER: Final = msgspec.json.Decoder(list[dict[str, Any]])


def _parsed_state(path: Path) -> BuildState:
    try:
        data = _STATE_DECODER.decode(path.read_bytes())
        # JSON, and a list (its items are checked when repeated): else a damaged state.
        if data.format != _STATE_FORMAT or memoryview(data.warnings)[:1].tobytes() != b"[":
            return BuildState()
        # Each list of entries is kept once, shared by the records that name it.
        lists = data.entry_lists
        records = {
            row.path: Record(
                path=row.path,
                profile=row.profile,
                writer=row.writer,
                writer_version=row.writer_version,
                sha256=row.sha256,
                bytes=row.bytes,
                entries=lists[row.entries],
                inputs=row.inputs,
            )
            for row in data.records
        }
        return BuildState(run=data.run, records=records, warnings=_KeptWarnings(data.warnings))
    except (OSError, ValueError, TypeError, KeyError, IndexError, msgspec.DecodeError):
        # A missing or damaged state only costs a full rebuild.
        return BuildState()


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
