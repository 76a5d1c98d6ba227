"""The digest of a file's bytes, read once per process while the file stays as it was.

An export reads every content file twice before it knows what changed (for the whole-run
check, then for the load cache's keys): 2,000 reads and hashes of 10 MB at 1,000
articles, on every save a watching process sees. So a process keeps a stamp of each file
it hashed (:class:`~spikecontent.store.stamps.StampTable`, in memory), and a file with
the same identity is not read again.
"""

from __future__ import annotations

import errno
import hashlib
import os
from typing import Final

from spikecontent.store.stamps import StampTable

__all__ = ["file_digest", "forget_file_digests", "unreadable_digest"]

_LIMIT: Final = 100_000
"""Files remembered at most (a watch or API process sees files come and go)."""
_KNOWN: Final = StampTable(limit=_LIMIT)


def file_digest(
    path: str | os.PathLike[str], kept: StampTable | None = None
) -> tuple[str, bytes | None]:
    """The SHA-256 of the file at ``path``, and its bytes when they had to be read (None
    when the file is as this process last read it, or as ``kept``, a table an earlier
    process saved, says it was; ``kept`` is told of the file either way). A file that
    cannot be read has a digest of its own (``unreadable:<errno>``) and no bytes. A name
    may be given as it is: thousands of ``Path`` objects made only to be asked this cost
    more than the stats."""
    name = os.fspath(path)
    try:
        found = os.stat(name)
    except OSError as error:
        return unreadable_digest(error.errno), None
    now = (found.st_ino, found.st_size, found.st_mtime_ns)
    known = _KNOWN.digest(name, now)
    if known is None and kept is not None:
        known = kept.digest(name, now)
        if known is not None:
            _KNOWN.stamp(name, now, known)
    if known is not None:
        # The stamp holds when the permissions change (chmod 000): a run that read the
        # file before would skip it and pass where the next load fails.
        if not os.access(name, os.R_OK):
            return unreadable_digest(errno.EACCES), None
        if kept is not None:
            kept.stamp(name, now, known)
        return known, None
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return unreadable_digest(error.errno), None
    digest = hashlib.sha256(data).hexdigest()
    if len(data) == found.st_size:
        _KNOWN.stamp(name, now, digest)
        if kept is not None:
            kept.stamp(name, now, digest)
    return digest, data


def unreadable_digest(number: int | None) -> str:
    """A digest that stands for a file that cannot be read (``number`` is the error's
    errno), with no bytes: the reader that needs them reads it itself and reports why at
    the file, where a user can fix it, instead of a traceback here. Never stamped, so the
    file is read again once it can be."""
    return f"unreadable:{number}"


def forget_file_digests() -> None:
    """Forget every file this process hashed, as a new process would not know them."""
    _KNOWN.clear()
