"""A cache of files already checked: the entity and its source map, keyed by the bytes.

Loading is parse, then structure and validate, per file; for an unchanged file the result
is the same, so it is pickled here under the SHA-256 of the file's bytes, its type, the
name it is shown under and spikecontent's version. Only files that loaded without error
are cached: diagnostics are always computed afresh, and checks across files (ids,
references) always run. The cache is private to one machine; delete it at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from spikecontent.loading.source_map import SourceMap

__all__ = ["LoadCache"]


class LoadCache:
    """Checked entities on disk under ``folder``, one small file each."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self._version = version
        self._pending: dict[str, tuple[Any, SourceMap]] = {}

    def key(self, data: bytes, cls: type, display: str) -> str:
        """The cache key of one file's bytes loaded as ``cls`` and shown as ``display``."""
        digest = hashlib.sha256(data)
        digest.update(f"\0{cls.__module__}.{cls.__qualname__}\0{display}\0{self._version}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> tuple[Any, SourceMap] | None:
        """The cached entity and source map, or None."""
        try:
            with (self.folder / key[:2] / key).open("rb") as handle:
                found: tuple[Any, SourceMap] = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # missing, or written by another version: load the file instead
        return found

    def put(self, key: str, entity: Any, source: SourceMap) -> None:
        """Remember one loaded file, to be written by :meth:`flush`."""
        self._pending[key] = (entity, source)

    def flush(self) -> None:
        """Write what :meth:`put` remembered. Called only after a load without errors, so a
        failed run leaves no trace; failures to write are ignored (it is only a cache)."""
        for key, found in self._pending.items():
            folder = self.folder / key[:2]
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                descriptor, name = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(descriptor, "wb") as handle:
                    pickle.dump(found, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(name, folder / key)
        self._pending.clear()
