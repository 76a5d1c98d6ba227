"""Which outputs are still what the last export wrote, without hashing them all again.

Before skipping an artifact, export checks that its file is byte for byte what was
recorded (its SHA-256). Hashing every output costs most of a no-op export (14,000 files,
hundreds of megabytes), so, as git's index does, the file's identity on disk when it was
last found intact is kept: its inode, size and modification time in nanoseconds. A file
with the same identity is not read again. A file written in place gets a new modification
time; one replaced gets a new inode; either is hashed again. (Generations share files
through hard links, so an unchanged file keeps its identity from one export to the next.)
The stamps live in the export's private folder, beside the output, in the store's
stat-stamp table (:class:`~spikecontent.store.StampTable`); losing them only costs hashing
every file once.

Files an export has just written are stamped too (:meth:`Stamps.wrote`), or the next
export would read and hash them once more (135 MB for the composed files of the
1,000-article corpus, after any change).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from spikecontent.pipeline.manifest import Record
from spikecontent.store import StampTable, settled

__all__ = ["STAMPS", "Stamps"]

STAMPS: Final = "stamps.json"


class Stamps:
    """The identity of each output file when last found intact, kept at ``path`` (a
    :class:`~spikecontent.store.StampTable` of output paths and their recorded SHA-256)."""

    def __init__(self, path: Path) -> None:
        self._table = StampTable(path)

    def intact(self, root: Path, record: Record) -> bool:
        """Whether the file of ``record`` under ``root`` is still exactly what was written."""
        return self.verified(root, record) is not None

    def verified(self, root: Path, record: Record) -> tuple[int, int, int] | None:
        """The identity (inode, size, modification time) of the file of ``record`` under
        ``root`` when it is still exactly what was written, else None: whoever reads the
        file later can check it is still that file."""
        now = _identity(root, record)
        if now is None:
            return None
        if self._table.digest(record.path, now) == record.sha256:
            return now
        if not record.matches_file(root):
            return None
        # A file changed again within the clock's tick would keep its time: only a file
        # older than that is stamped (git's "racily clean" entries).
        self._table.stamp(record.path, now, record.sha256)
        return now

    def wrote(self, root: Path, record: Record) -> None:
        """Stamp the file just written for ``record`` under ``root`` (the new generation,
        before it is switched in: no other process has been told of it)."""
        now = _identity(root, record)
        if now is not None and now[1] == record.bytes and settled(now[2]):
            self._table.stamp(record.path, now, record.sha256)

    def save(self) -> None:
        """Keep the stamps of the files found intact since this object was made."""
        self._table.save()


def _identity(root: Path, record: Record) -> tuple[int, int, int] | None:
    """The identity of ``record``'s file under ``root`` now."""
    try:
        # A string path: a Path per file cost more than the stat, over 14,000 files.
        found = os.stat(f"{os.fspath(root)}/{record.path}")
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)
