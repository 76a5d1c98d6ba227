"""Python's full garbage collections held off while content is loaded and exported.

Loading 1,000 articles makes hundreds of thousands of objects that live as long as the
library; an export adds the plan and every reply. None of them is garbage, and they are
freed by reference counting, yet the collector's full passes walked all of them again and
again: measured on the 1,000-article corpus, about a second of a one-change export.
Young collections still run: parsing makes short-lived cycles (YAML and Markdown trees),
and turning the collector off altogether raised a cold load's peak by 95 MiB.

What is unpickled from the load cache makes no garbage, and lives as long as the library:
it is put straight into the oldest generation (:func:`promoted`), where no young
collection examines it (at 1,000 articles, 0.08-0.15 s of young collections, half a
million objects examined twice each, of a load from the cache).

A process's caches of content (the load cache's entities, the build state read, what
writers remembered, the composed files' part indexes) are kept for its next export until
it ends. A new process that exported once then spent 0.07-0.1 s of CPU freeing them one
object at a time as the interpreter tore its modules down: memory the system takes back
whole anyway. Such a cache is registered as :func:`lasting`, and the command line, once
its command is done, calls :func:`leave_lasting`: they are never freed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final, TypeVar

__all__ = ["collector_paused", "lasting", "leave_lasting", "promoted"]

_NEVER: Final = 2**30
"""A threshold the oldest generation's count never reaches."""

T = TypeVar("T")

_LASTING: list[object] = []
"""The process-wide caches registered by :func:`lasting`."""


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No full (oldest-generation) collection inside, unless asked for; the thresholds
    as they were after."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NEVER)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


@contextlib.contextmanager
def promoted() -> Iterator[None]:
    """What is made inside goes straight to the oldest generation, unexamined: for
    long-lived objects that make no garbage cycles (entities unpickled from a store).

    The young generations are collected first (a few objects at most, between two
    loads), so no garbage made before is promoted with them. Left as it is when the
    collector is off or someone froze objects (:func:`gc.freeze`: this needs it)."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        # Frozen then unfrozen: every tracked object is now in the oldest generation.
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def lasting(cache: T) -> T:
    """``cache``, registered as lasting as long as the process: a module's cache of plain
    data (content, records, digests), holding nothing whose finalizer must run (no open
    file, no process, no lock). Nothing changes until :func:`leave_lasting` is called."""
    _LASTING.append(cache)
    return cache


def leave_lasting() -> None:
    """For a process that ends once its command is done (the command line): the caches
    registered by :func:`lasting` are never freed, and every object is frozen
    (:func:`gc.freeze`), so the interpreter's last collection walks none of them.

    What the interpreter does at exit otherwise stays as it is (``atexit`` hooks, threads
    joined, the standard streams flushed, other objects freed): only the caches' memory
    is left for the system to take back, with the process. They are held by a list that
    holds itself, frozen: tearing the modules down drops no last reference to them, and
    the last collection never examines the frozen generation."""
    kept: list[object] = [*_LASTING]
    kept.append(kept)
    gc.freeze()
