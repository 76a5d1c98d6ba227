"""What writers derive from content, kept between the exports of one process.

``export --watch`` exports again on every save; most of what a writer derived from the
thousand articles the last time (the macros writer's replies, the JSON-LD writer's
warnings) is still right. A writer asks through :attr:`WriterContext.remember
<spikecontent.pipeline.WriterContext.remember>`; a value is found again when its name, the
writer's version and options, and the digest of its entries' content (what they reference
and the site included, as for an artifact) are the same. Each export keeps only what it
used, so the memory held is one export's worth.

With a folder (export's store, beside the output) values are also kept there, in
blobs of kind ``remembered/<scope>`` (:class:`~spikecontent.store.Blobs`), so the next
process (the next ``spikecontent export``) makes again only what changed: a large value
(a whole reply) in a blob of its own, read only when asked for; the small ones (replies'
heads, warnings), which every export asks for, all in one signed pack per scope, read
once (2,000 blobs read, verified and unpickled one by one were a quarter of planning a
one-change export at 1,000 articles). A scope is named by a digest of spikecontent's and
the writer's code and the profile's options, so a changed writer never gets a value its
old code made. A value that cannot be pickled is kept in memory only.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Final, TypeVar

from spikecontent._version import __version__
from spikecontent.loading.converter import unstructure
from spikecontent.loading.digests import digest_json
from spikecontent.model import EntryKey
from spikecontent.pipeline.inputs import InputDigests, files_digest
from spikecontent.sdk.writer import Remember, Writer, make_afresh
from spikecontent.store import MISSING, Blobs, write_private
from spikecontent.store.blobs import pickled, unpickled
from spikecontent.store.collector import lasting

__all__ = ["REMEMBERED", "Remembered", "forget_remembered"]

REMEMBERED: Final = "remembered"
"""The values' kinds in the store: ``remembered/<scope>``."""

T = TypeVar("T")

_KEPT: dict[tuple[str, str, str], Any] = lasting({})
"""The values the last export of this process that planned without failing used."""
_FRAME_NAME: Final = 20
"""The length of a scope's name: the start of its digest."""
_SCOPES: Final = "scopes.json"
"""Each profile's scope folder as of the last export that ran it (unsigned: it only
names folders to keep)."""


class Remembered:
    """The values writers derive during one export, looked up first among those of the
    process's last export, then in ``folder``; :meth:`keep` makes them the ones the next
    export finds."""

    def __init__(self, digests: InputDigests, folder: Path | None = None) -> None:
        self.digests = digests
        self._blobs = Blobs(folder) if folder is not None else None
        if self._blobs is not None and not self._blobs.enabled:
            self._blobs = None
        self._used: dict[tuple[str, str, str], Any] = {}
        self._entries: dict[tuple[str, str, str], tuple[EntryKey, ...]] = {}
        """The entries each value used in this export was asked for over."""
        self._made: dict[tuple[str, str, str], Any] = {}
        self._frames: dict[str, str] = {}
        """The folder of each profile's scope in this export."""
        self._packs: dict[str, dict[str, bytes]] = {}
        """Each scope's pack as read: its small values, pickled, by name."""
        self._pickled: dict[tuple[str, str, str], bytes] = {}
        """The small values this export made, pickled, for their scope's pack."""

    def scope(self, writer: type[Writer[Any]], options: Any, profile: str = "") -> Remember:
        """What ``profile``'s writer gets as :attr:`WriterContext.remember`."""
        code = _code_digest(writer)
        frame = digest_json([writer.name, writer.version, code, unstructure(options)])
        self._frames[profile] = frame[:_FRAME_NAME]
        return _Scoped(self, frame)

    def get(self, frame: str, name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
        """The value ``make`` gives for ``name`` over ``entries`` in the scope ``frame``."""
        key = (frame, name, self.digests.sources(entries))
        found = self._used.get(key, MISSING)
        if found is MISSING:
            found = _KEPT.get(key, MISSING)
            if found is MISSING and self._blobs is not None:
                found = self._stored(self._blobs, key)
            if found is MISSING:
                found = self._made[key] = make()
            self._used[key] = found
            self._entries[key] = entries
        return found  # type: ignore[no-any-return]

    def keep(self, profiles: Collection[str]) -> None:
        """Keep what this export used, and only that, for the next (and on disk, what
        it made). ``profiles`` names every profile the project has (those this export
        ran and those it did not): the scopes of any other are removed."""
        _KEPT.clear()
        _KEPT.update(self._used)
        if self._blobs is not None:
            for key, value in self._made.items():
                data = pickled(value)  # None: in memory only
                if data is not None and len(data) <= _SMALL:
                    self._pickled[key] = data  # into its scope's pack
                elif data is not None:
                    self._blobs.put(_kind(key), _name(key), data)
            self._prune(self._blobs)
            self._forget_old_scopes(self._blobs, profiles)
        self._made.clear()

    def _stored(self, blobs: Blobs, key: tuple[str, str, str]) -> Any:
        """The value kept under ``key`` in the store (its scope's pack, or a blob of its
        own), or :data:`MISSING`."""
        kind, name = _kind(key), _name(key)
        data: bytes | memoryview | None = self._pack(blobs, kind).get(name)
        if data is None:
            data = blobs.get(kind, name)
        # None when there is none, or verified but made by other code: made again.
        return MISSING if data is None else unpickled(data)

    def _pack(self, blobs: Blobs, kind: str) -> dict[str, bytes]:
        """The pack of the scope ``kind`` (read once)."""
        found = self._packs.get(kind)
        if found is None:
            found = self._packs[kind] = _read_pack(blobs, kind)
        return found

    def _forget_old_scopes(self, blobs: Blobs, profiles: Collection[str]) -> None:
        """Remove the folders of scopes no profile has any more: each change of a
        profile's options, of the writer's code or of spikecontent's version starts a new
        one, and the old one (14 MB of replies at 1,000 articles) stayed for ever; so did
        a removed profile's."""
        index = blobs.folder / REMEMBERED / _SCOPES
        try:
            before = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = {}
        known = {**before, **self._frames} if isinstance(before, dict) else dict(self._frames)
        known = {name: frame for name, frame in known.items() if name in profiles}
        current = {f"{REMEMBERED}/{frame}" for frame in known.values() if isinstance(frame, str)}
        for kind in blobs.kinds(REMEMBERED):
            if kind not in current:
                blobs.drop(kind)
        if known != before:
            write_private(index, json.dumps(known, sort_keys=True).encode())

    def _prune(self, blobs: Blobs) -> None:
        """Remove, in the scopes of the writers that ran, the values that are no longer
        current (those of articles changed or removed since). A value this export did
        not ask for stays while its entries are unchanged: a partial export reads only
        the heads of unchanged articles' replies, and throwing their whole replies away
        made every later export that renders them (and each sweep: 1,000 unlinks after
        a full export) pay again. Each scope's index names every value it holds with
        the entries it was made over, so a scope holds at most one current value per
        name and entries, never every version ever made."""
        for kind in {_kind(key) for key in self._used}:
            frame, index = _read_index(blobs, kind)
            frames = {key[0] for key in self._used if _kind(key) == kind}
            if frame not in frames:  # a new scope, or an index another version wrote
                frame, index = next(iter(frames)), {}
            index.update(
                (_name(key), (key[1], self._entries[key])) for key in self._used if key[0] == frame
            )
            current = {
                name: made for name, made in index.items() if self._current(frame, name, made)
            }
            blobs.sweep(kind, {*current, _INDEX, _PACK})
            if current != index or not (blobs.folder / kind / _INDEX).is_file():
                _write_index(blobs, kind, frame, current)
            self._repack(blobs, kind, frame, current)

    def _repack(self, blobs: Blobs, kind: str, frame: str, current: Collection[str]) -> None:
        """Keep in the pack of the scope ``kind`` its small values still current: those
        it held, and those this export used."""
        before = self._pack(blobs, kind)
        pack = {name: data for name, data in before.items() if name in current}
        # And those made now; a value found in memory (--watch) is in the pack already,
        # from the export that made it (or, when that pack was lost, in the next one
        # that makes it).
        for key, data in self._pickled.items():
            name = _name(key)
            if key[0] == frame and name in current:
                pack.setdefault(name, data)
        payload = pickled(pack) if pack != before else None
        if payload is not None:
            blobs.put(kind, _PACK, payload)
            self._packs[kind] = pack

    def _current(self, frame: str, name: str, made: tuple[str, tuple[EntryKey, ...]]) -> bool:
        """Whether the value kept as ``name`` is the one ``made`` (its name and entries)
        gives for the content of this export."""
        try:
            return _name((frame, made[0], self.digests.sources(made[1]))) == name
        except KeyError:  # an entry it was made over is gone
            return False


_INDEX: Final = "0" * 16
"""The blob of a scope's index: each value's name, and the name and entries it was
made over (no value is named by it: theirs are SHA-256 digests)."""
_Index = dict[str, tuple[str, tuple[EntryKey, ...]]]
_PACK: Final = "1" * 16
"""The blob of a scope's pack: its small values, each pickled, by name."""
_SMALL: Final = 4096
"""The largest value (pickled) kept in its scope's pack rather than in a blob of its own."""


def _read_pack(blobs: Blobs, kind: str) -> dict[str, bytes]:
    """The pack of the scope ``kind``: empty when there is none, or it does not verify."""
    payload = blobs.get(kind, _PACK)
    found = unpickled(payload) if payload is not None else None
    if not isinstance(found, dict):
        return {}
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, bytes)}


def _read_index(blobs: Blobs, kind: str) -> tuple[str, _Index]:
    """The frame and the values of the scope ``kind`` as its index names them."""
    payload = blobs.get(kind, _INDEX)
    try:
        data = json.loads(bytes(payload)) if payload is not None else {}
        values = {
            str(name): (str(made), tuple(EntryKey(*key) for key in entries))
            for name, (made, entries) in data["values"].items()
        }
        return str(data["frame"]), values
    except (ValueError, KeyError, TypeError):
        return "", {}


def _write_index(blobs: Blobs, kind: str, frame: str, values: _Index) -> None:
    data = {
        "frame": frame,
        "values": {
            name: [made, [list(key) for key in entries]] for name, (made, entries) in values.items()
        },
    }
    blobs.put(kind, _INDEX, json.dumps(data, sort_keys=True).encode())


def _kind(key: tuple[str, str, str]) -> str:
    """The kind of blob of the value kept under ``key``: its scope's."""
    return f"{REMEMBERED}/{key[0][:_FRAME_NAME]}"


def _name(key: tuple[str, str, str]) -> str:
    """The digest the value kept under ``key`` is stored by, in its scope."""
    return hashlib.sha256("\0".join(key).encode()).hexdigest()


@functools.cache
def _code_digest(writer: type[Writer[Any]]) -> str:
    """spikecontent's version and code, and the code of the writer's own folder."""
    package = Path(__file__).resolve().parents[1]
    folders = {package, Path(inspect.getfile(writer)).resolve().parent}
    files = [file for folder in folders for file in _code_files(folder, package)]
    return files_digest(files, __version__)


@functools.cache
def _code_files(folder: Path, package: Path) -> tuple[tuple[str, bytes], ...]:
    """The Python files of ``folder`` (all of them below it for the package), each named
    with the folder's name: read once per process, not once per writer (six writers
    read the package's 200 files six times, 0.08 s of a profiled one-change export)."""
    return tuple(
        (f"{folder.name}/{path.relative_to(folder)}", path.read_bytes())
        for path in folder.glob("**/*.py" if folder == package else "*.py")
    )


def forget_remembered() -> None:
    """Drop what earlier exports of this process derived, as a new process would."""
    _KEPT.clear()


class _Scoped:
    def __init__(self, remembered: Remembered, frame: str) -> None:
        self._remembered = remembered
        self._frame = frame

    def __call__(self, name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
        return self._remembered.get(self._frame, name, entries, make)

    def __reduce__(self) -> tuple[Any, ...]:
        # Writers travel to rendering processes, which plan nothing: there it keeps nothing
        # (and the whole export's digests stay here).
        return (_afresh, ())


def _afresh() -> Remember:
    return make_afresh
