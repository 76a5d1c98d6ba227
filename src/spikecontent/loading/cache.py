"""The load cache: files already checked, the entity and its source map, keyed by the bytes.

Loading is parse, then structure and validate, per file; for an unchanged file the result
is the same, so it is kept in the store (:class:`~spikecontent.store.Blobs`, kind
``entities``, pickled and signed) under the SHA-256 of the file's bytes, its type, the
name it is shown under, spikecontent's version and the code that makes an entity (the
model, the loader, prose parsing). Only files that loaded without error
are cached: diagnostics are always computed afresh, and checks across files (ids,
references) always run. The cache is private to one machine; delete it at any time.

A process also keeps its last successful load's entries in memory, so loading again in
the same process (``export --watch``) reads from disk only what changed.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
from pathlib import Path
from typing import Any, Final

from spikecontent.loading.source_map import SourceMap
from spikecontent.store import MISSING, Blobs
from spikecontent.store.collector import lasting, promoted

__all__ = ["ENTITIES", "LoadCache", "forget_resident"]

ENTITIES: Final = "entities"
"""The load cache's kind of blob in the store."""
_FORMAT = 4

_RESIDENT: dict[str, tuple[Any, SourceMap]] = lasting({})
"""The entries of this process's last load that succeeded, by key: read from disk and
verified, or made here. A process that loads again (``export --watch`` on every save)
then unpickles only what changed. Entities are immutable, so sharing them is safe."""


def forget_resident() -> None:
    """Drop the entries this process keeps in memory: the next load reads the disk, as a
    new process would."""
    _RESIDENT.clear()


_ENTITY_CODE = ("model", "loading", "richtext", "links.py", "readable.py", "diagnostics.py")
"""What an entity is made by, below the package: a validator or parser changed in
development, before a version bump, must not be served entities the old code checked."""


@functools.cache
def _code_digest() -> str:
    """The SHA-256 of the source of :data:`_ENTITY_CODE`."""
    digest = hashlib.sha256()
    package = importlib.resources.files("spikecontent")
    pending = [package / name for name in _ENTITY_CODE]
    while pending:
        entry = pending.pop()
        if entry.is_dir():
            found = (e for e in entry.iterdir() if e.name != "__pycache__")
            pending += sorted(found, key=lambda e: e.name)
        elif entry.name.endswith(".py"):
            data = entry.read_bytes()
            digest.update(f"{entry}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


class LoadCache:
    """Checked entities in the store under ``folder``, one blob each (and in memory,
    for the process's next load)."""

    def __init__(self, folder: Path, version: str) -> None:
        self.blobs = Blobs(folder)
        self._version = version
        self._pending: dict[str, tuple[Any, SourceMap]] = {}
        self._used: dict[str, tuple[Any, SourceMap]] = {}

    def key(self, file_digest: str, cls: type, display: str) -> str:
        """The cache key of one file, by the SHA-256 of its bytes, loaded as ``cls`` and
        shown as ``display``."""
        described = (
            f"{cls.__module__}.{cls.__qualname__}\0{display}\0{self._version}\0{_code_digest()}"
        )
        # The format of an entry: (entity, allowances, outgoing, data digest) and its
        # source map.
        text = f"{file_digest}\0{described}\0{_FORMAT}"
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, key: str) -> tuple[Any, SourceMap] | None:
        """The cached entity and source map, or None (also for an entry not signed with
        this user's key, which is never unpickled)."""
        resident = _RESIDENT.get(key)
        if resident is not None:
            self._used[key] = resident
            return resident
        with promoted():  # lives as long as the library (see spikecontent.store.collector)
            found = self.blobs.load(ENTITIES, key)
        if found is MISSING:
            return None  # none, foreign, corrupt or another version's: load the file
        self._used[key] = found
        return found  # type: ignore[no-any-return]

    def put(self, key: str, entity: Any, source: SourceMap) -> None:
        """Remember one loaded file, to be written by :meth:`flush`."""
        self._pending[key] = self._used[key] = (entity, source)

    def flush(self) -> None:
        """Write what :meth:`put` remembered. Called only after a load without errors, so a
        failed run leaves no trace; failures to write are ignored (it is only a cache)."""
        _RESIDENT.clear()
        _RESIDENT.update(self._used)
        if self.blobs.enabled and self._pending:
            for key, found in self._pending.items():
                self.blobs.dump(ENTITIES, key, found)
            # The entries of files since changed or removed (each edit left one behind,
            # for ever): only after a load that wrote something new can there be any.
            self.blobs.sweep(ENTITIES, self._used)
        self._pending.clear()
