"""Giving freed memory back to the system, where the C library keeps it.

glibc serves a large allocation from its heap once one of that size has been freed (its
threshold for using a mapping of its own rises to match), and keeps the freed heap for
later: after the first composed files of an export (tens of MB each, rendered, staged and
freed), the process stayed 40 MB larger than what it held. ``malloc_trim`` returns what is
free at once. Python has no binding for it, so it is called through ``ctypes``; elsewhere
(other C libraries) nothing is done.
"""

from __future__ import annotations

from spikecontent.store.libc import c_function

__all__ = ["give_back_freed_memory"]


def give_back_freed_memory() -> None:
    """Return the C library's free memory to the system, when it can say so."""
    trim = c_function("malloc_trim")
    if trim is not None:
        trim(0)
