"""Making written files durable: one flush of the whole file system where Linux offers it.

An export writes thousands of files and must have every one of them on disk before it
switches readers to them. An ``fsync`` per file waits for the disk thousands of times
(14,000 of them were a third of a full export at 1,000 articles); Linux's ``syncfs`` writes
everything of one file system at once, and reports a failed write as ``fsync`` does.
Python has no ``os.syncfs``, so it is called through ``ctypes``; where the C library has
none (macOS, Windows), callers fall back to an ``fsync`` per file.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

from spikecontent.store.libc import c_function

__all__ = ["can_sync_file_system", "sync_file_system"]


def can_sync_file_system() -> bool:
    """Whether :func:`sync_file_system` is available here."""
    return c_function("syncfs") is not None


def sync_file_system(path: Path) -> None:
    """Write to disk everything written so far to the file system that holds ``path``;
    :class:`OSError` when the system cannot (a failed write, a full disk)."""
    syncfs = c_function("syncfs")
    if syncfs is None:
        raise OSError("syncfs is not available on this system")
    descriptor = os.open(path, os.O_RDONLY)
    try:
        if syncfs(descriptor) != 0:
            number = ctypes.get_errno()
            raise OSError(number, f"syncfs: {os.strerror(number)}", str(path))
    finally:
        os.close(descriptor)
