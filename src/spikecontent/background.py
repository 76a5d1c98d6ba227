"""One thread doing work in the order it is given, while the caller goes on.

Writing a file mostly waits on the file system, and lets go of the interpreter lock while
it does: an export hands its writes (the staged outputs, the cache's entries) to a thread
of their own and renders on. What waits is bounded in bytes, so a fast renderer cannot
pile up the whole output in memory behind a slow disk.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

__all__ = ["InOrder"]

T = TypeVar("T")


class InOrder:
    """A thread of its own (named ``name``) that runs what :meth:`submit` gives it, one
    after the other, in order; at most ``limit`` bytes of it waiting."""

    def __init__(self, name: str, limit: int) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._limit = limit
        self._waiting: collections.deque[tuple[Future[Any], int]] = collections.deque()
        self._waiting_bytes = 0

    def submit(self, size: int, work: Callable[..., T], *args: Any) -> Future[T]:
        """Run ``work(*args)``, which holds ``size`` bytes until it is done, after
        everything submitted before; first wait for the oldest while more than the limit
        would be waiting. Its result, or the exception it raised."""
        while self._waiting and self._waiting_bytes + size > self._limit:
            oldest, held = self._waiting.popleft()
            self._waiting_bytes -= held
            futures.wait([oldest])
        future = self._thread.submit(work, *args)
        self._waiting.append((future, size))
        self._waiting_bytes += size
        return future

    def finish(self) -> None:
        """Wait until everything submitted is done; nothing more may be submitted."""
        self._thread.shutdown(wait=True)
        self._waiting.clear()
        self._waiting_bytes = 0
