"""Values made once per key, however many ask for them at once.

A leaflet takes about a second to render, and both the preview (a page asks for it, and
its other tabs, on every load and save) and the API (a leaflet is rendered on its first
request) are asked for the same one by several requests at once: without this, eight
tabs reloading together rendered the same PDF eight times over. Each preview version and
each API snapshot holds one cache, so a new one starts empty and an old one goes with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

__all__ = ["RenderCache"]

V = TypeVar("V")


class RenderCache(Generic[V]):
    """Values made once per key; callers asking while it is being made wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._made: dict[Hashable, Future[V]] = {}
        self.renders = 0
        """How many values were made (not served): one per key, unless a make raised."""

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value for ``key``, made by ``make`` if no one has made (or is making) it."""
        with self._lock:
            future = self._made.get(key)
            mine = future is None
            if future is None:
                future = self._made[key] = Future()
        if mine:
            self._make(key, future, make)
        return future.result()

    def _make(self, key: Hashable, future: Future[V], make: Callable[[], V]) -> None:
        try:
            value = make()
        except BaseException as error:
            # Not kept: an unexpected error (not a failure the value itself reports)
            # may pass, so the next request tries again; those waiting now get it.
            with self._lock:
                del self._made[key]
            future.set_exception(error)
            raise
        with self._lock:
            self.renders += 1
        future.set_result(value)
