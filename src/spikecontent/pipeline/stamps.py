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

Files an export has just written are stamped too (:meth:`Stamps.wrote`), or the next
export would read and hash them once more (135 MB for the composed files of the
1,000-article corpus, after any change).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

import msgspec

from spikecontent.loading.cache import save_cache_file
from spikecontent.loading.file_digests import settled
from spikecontent.pipeline.manifest import Record

__all__ = ["STAMPS", "Stamps"]

STAMPS: Final = "stamps.json"
_Stamp = tuple[int, int, int, str]
"""Inode, size, modification time (ns) and the SHA-256 the file was found to have."""
_ENCODER: Final = msgspec.json.Encoder()
_DECODER: Final = msgspec.json.Decoder(dict[str, _Stamp])


class Stamps:
    """The identity of each output file when last found intact, kept at ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._read = self._load()
        self._now: dict[str, _Stamp] = {}

    def intact(self, root: Path, record: Record) -> bool:
        """Whether the file of ``record`` under ``root`` is still exactly what was written."""
        stamp = _stamp_of(root, record)
        if stamp is None:
            return False
        if self._read.get(record.path) == stamp:
            self._now[record.path] = stamp
            return True
        if not record.matches_file(root):
            return False
        # A file changed again within the clock's tick would keep its time: only a file
        # older than that is stamped (git's "racily clean" entries).
        if settled(stamp[2]):
            self._now[record.path] = stamp
        return True

    def wrote(self, root: Path, record: Record) -> None:
        """Stamp the file just written for ``record`` under ``root`` (the new generation,
        before it is switched in: no other process has been told of it)."""
        stamp = _stamp_of(root, record)
        if stamp is not None and stamp[1] == record.bytes and settled(stamp[2]):
            self._now[record.path] = stamp

    def save(self) -> None:
        """Keep the stamps of the files found intact since this object was made."""
        if self._now != self._read:
            save_cache_file(self._path, _ENCODER.encode(dict(sorted(self._now.items()))))

    def _load(self) -> dict[str, _Stamp]:
        # msgspec, in C, with the types checked: 14,000 stamps read and written each run.
        try:
            return _DECODER.decode(self._path.read_bytes())
        except (OSError, msgspec.DecodeError):
            return {}


def _stamp_of(root: Path, record: Record) -> _Stamp | None:
    """The identity of ``record``'s file under ``root`` now, with the recorded SHA-256."""
    try:
        # A string path: a Path per file cost more than the stat, over 14,000 files.
        found = os.stat(f"{os.fspath(root)}/{record.path}")
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns, record.sha256)
