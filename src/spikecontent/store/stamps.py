"""The stat-stamp table: which files are as they were, without reading them.

As git's index does, a file whose identity (inode, size, modification time in
nanoseconds) is the one it had when it was last read is taken to hold the same bytes,
provided that time had settled then (:func:`settled`): a file changed again within the
clock's tick would keep it. The table maps a file's name to that identity and the digest
its bytes had; a layer keeps one in memory for a process (the content files' digests,
:mod:`.file_digests`) or on disk between runs (the output files', ``pipeline/stamps``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import msgspec

from spikecontent.store.signing import write_private

__all__ = ["Identity", "Stamp", "StampTable", "identity", "settled"]

Identity = tuple[int, int, int]
"""A file's inode, size and modification time in nanoseconds."""
Stamp = tuple[int, int, int, str]
"""A file's identity and the digest its bytes were found to have."""

_RACY_NS: Final = 2_000_000_000
_FINE_RACY_NS: Final = 50_000_000
"""Where timestamps are finer than 10 ms (ext4, XFS, Btrfs, tmpfs: the kernel's tick,
1-10 ms), a file this much older than now can no longer change and keep its time."""
_ENCODER: Final = msgspec.json.Encoder()
_DECODER: Final = msgspec.json.Decoder(dict[str, Stamp])


def settled(mtime_ns: int) -> bool:
    """Whether a file modified at ``mtime_ns`` would show a new time if changed now."""
    age = time.time_ns() - mtime_ns
    # A time in whole hundredths of a second suggests a coarse file system (FAT: 2 s,
    # some NFS servers: 1 s); a fine one, one time in ten million.
    fine = mtime_ns % 10_000_000 != 0
    return age > (_FINE_RACY_NS if fine else _RACY_NS)


def identity(name: str) -> Identity | None:
    """The identity of the file at ``name`` now; None when it cannot be seen."""
    try:
        found = os.stat(name)
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


class StampTable:
    """Stamps by file name: read from ``path`` (msgspec JSON, in C: 14,000 stamps are
    read and written each run) when given, or kept in memory only.

    :meth:`save` writes the stamps looked up or made since the table was read, and only
    those: a file no longer looked at is dropped. In memory, at most ``limit`` stamps
    are kept (a process that sees files come and go would otherwise keep every one it
    ever read): past it all are forgotten at once, and each then costs one more read."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        limit: int = 1_000_000,
        read: Mapping[str, Stamp] | None = None,
    ) -> None:
        self._path = path
        self._limit = limit
        self._read = dict(read) if read is not None else self._load()
        self._now: dict[str, Stamp] = {}

    def digest(self, name: str, now: Identity) -> str | None:
        """The digest of the file ``name`` when its identity is still ``now``."""
        stamp = self._now.get(name)
        if stamp is None:
            stamp = self._read.get(name)
        if stamp is None or stamp[:3] != now:
            return None
        self._now[name] = stamp
        return stamp[3]

    def stamp(self, name: str, now: Identity, digest: str) -> None:
        """Keep that the file ``name`` with identity ``now`` holds bytes of ``digest``
        (only once its time has settled: see :func:`settled`)."""
        if settled(now[2]):
            if len(self._now) >= self._limit:
                self._now.clear()
            self._now[name] = (*now, digest)

    def clear(self) -> None:
        """Forget the stamps looked up or made since the table was read."""
        self._now.clear()

    def __len__(self) -> int:
        return len(self._now)

    def looked_up(self) -> dict[str, Stamp]:
        """The stamps looked up or made since the table was read (what :meth:`save`
        writes), for a layer that keeps them elsewhere (a signed blob)."""
        return dict(sorted(self._now.items()))

    def save(self) -> None:
        """Write the stamps looked up or made since the table was read (with a path)."""
        if self._path is not None and self._now != self._read:
            write_private(self._path, _ENCODER.encode(dict(sorted(self._now.items()))))

    def _load(self) -> dict[str, Stamp]:
        if self._path is None:
            return {}
        try:
            return _DECODER.decode(self._path.read_bytes())
        except (OSError, msgspec.DecodeError):
            return {}
