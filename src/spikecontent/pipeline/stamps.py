"""Which outputs are still what the last export wrote, without hashing them all again.

Before skipping an artifact, export checks that its file is byte for byte what was
recorded (its SHA-256). Hashing every output costs most of a no-op export (14,000 files,
hundreds of megabytes), so, as git's index does, the file's identity on disk when it was
last found intact is kept: its inode, size and modification time in nanoseconds. A file
with the same identity is not read again. A file written in place gets a new modification
time; one replaced gets a new inode; either is hashed again. (Generations share files
through hard links, so an unchanged file keeps its identity from one export to the next.)
The stamps live in the export's private folder, beside the output; losing them only
costs hashing every file once.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Final

from spikecontent.loading.cache import save_cache_file
from spikecontent.pipeline.manifest import Record

__all__ = ["STAMPS", "Stamps"]

STAMPS: Final = "stamps.json"
_RACY_NS: Final = 2_000_000_000
_Stamp = tuple[int, int, int, str]
"""Inode, size, modification time (ns) and the SHA-256 the file was found to have."""


class Stamps:
    """The identity of each output file when last found intact, kept at ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._read = self._load()
        self._now: dict[str, _Stamp] = {}

    def intact(self, root: Path, record: Record) -> bool:
        """Whether the file of ``record`` under ``root`` is still exactly what was written."""
        try:
            # A string path: a Path per file cost more than the stat, over 14,000 files.
            found = os.stat(f"{os.fspath(root)}/{record.path}")
        except OSError:
            return False
        stamp = (found.st_ino, found.st_size, found.st_mtime_ns, record.sha256)
        if self._read.get(record.path) == stamp:
            self._now[record.path] = stamp
            return True
        if not record.matches_file(root):
            return False
        # A file changed again within the clock's tick would keep its time: only a file
        # older than that is stamped (git's "racily clean" entries).
        if time.time_ns() - found.st_mtime_ns > _RACY_NS:
            self._now[record.path] = stamp
        return True

    def save(self) -> None:
        """Keep the stamps of the files found intact since this object was made."""
        if self._now != self._read:
            data = {path: list(stamp) for path, stamp in sorted(self._now.items())}
            save_cache_file(self._path, json.dumps(data, separators=(",", ":")).encode())

    def _load(self) -> dict[str, _Stamp]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return {
                path: (int(ino), int(size), int(mtime), str(sha))
                for path, (ino, size, mtime, sha) in data.items()
            }
        except (OSError, ValueError, TypeError, AttributeError):
            return {}
