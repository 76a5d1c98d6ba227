"""The digest of a file's bytes, read once per process while the file stays as it was.

An export reads every content file twice before it knows what changed (for the whole-run
check, then for the load cache's keys): 2,000 reads and hashes of 10 MB at 1,000
articles, on every save a watching process sees. As git's index does, a file whose
identity (inode, size, modification time in nanoseconds) is the one it had when this
process last read it is taken to hold the same bytes, provided that time had settled
then (:func:`settled`): a file changed again within the clock's tick would keep it.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Final

__all__ = ["file_digest", "settled"]

_RACY_NS: Final = 2_000_000_000
_FINE_RACY_NS: Final = 50_000_000
"""Where timestamps are finer than 10 ms (ext4, XFS, Btrfs, tmpfs: the kernel's tick,
1-10 ms), a file this much older than now can no longer change and keep its time."""

_KNOWN: dict[str, tuple[tuple[int, int, int], str]] = {}
_LIMIT: Final = 100_000
"""Files remembered at most: a watch or API process that sees files come and go (renamed,
removed, other folders) would otherwise keep every one it ever read. Past it, all are
forgotten at once; each then costs one more read."""


def settled(mtime_ns: int) -> bool:
    """Whether a file modified at ``mtime_ns`` would show a new time if changed now."""
    age = time.time_ns() - mtime_ns
    # A time in whole hundredths of a second suggests a coarse file system (FAT: 2 s,
    # some NFS servers: 1 s); a fine one, one time in ten million.
    fine = mtime_ns % 10_000_000 != 0
    return age > (_FINE_RACY_NS if fine else _RACY_NS)


def file_digest(path: Path) -> tuple[str, bytes | None]:
    """The SHA-256 of the file at ``path``, and its bytes when they had to be read (None
    when the file is as this process last read it)."""
    name = os.fspath(path)
    found = os.stat(name)
    identity = (found.st_ino, found.st_size, found.st_mtime_ns)
    known = _KNOWN.get(name)
    if known is not None and known[0] == identity:
        return known[1], None
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if len(data) == found.st_size and settled(found.st_mtime_ns):
        if len(_KNOWN) >= _LIMIT:
            _KNOWN.clear()
        _KNOWN[name] = (identity, digest)
    return digest, data
