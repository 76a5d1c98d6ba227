"""Python's full garbage collections held off while content is loaded and exported.

Loading 1,000 articles makes hundreds of thousands of objects that live as long as the
library; an export adds the plan and every reply. None of them is garbage, and they are
freed by reference counting, yet the collector's full passes walked all of them again and
again: measured on the 1,000-article corpus, about a second of a one-change export.
Young collections still run: parsing makes short-lived cycles (YAML and Markdown trees),
and turning the collector off altogether raised a cold load's peak by 95 MiB.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Final

__all__ = ["collector_paused"]

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
