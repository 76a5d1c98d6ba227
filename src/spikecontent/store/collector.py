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
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final

__all__ = ["collector_paused", "promoted"]

_NEVER: Final = 2**30
"""A threshold the oldest generation's count never reaches."""


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
