"""Find writers: the ``spikecontent.writers`` entry-point group, one path for all.

The built-in writers are registered in that group by spikecontent's own ``pyproject.toml``,
so a writer installed from another distribution is found and loaded the same way. Writer
modules are imported only when a writer is used, which keeps ``validate`` light.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import attrs

from spikecontent.diagnostics import SpikecontentError
from spikecontent.sdk.writer import Writer

__all__ = ["ENTRY_POINT_GROUP", "Registry", "UnknownWriterError", "WriterEntry", "WriterLoadError"]

ENTRY_POINT_GROUP = "spikecontent.writers"


class UnknownWriterError(SpikecontentError, LookupError):
    """A writer name that no installed distribution registers."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        self.suggestions = tuple(difflib.get_close_matches(name, self.known, n=3))
        super().__init__(f"unknown writer {name!r}")

    @property
    def fix(self) -> str:
        """What to write instead."""
        if self.suggestions:
            return "did you mean " + " or ".join(f"'{s}'" for s in self.suggestions) + "?"
        return f"installed writers: {', '.join(self.known) or 'none'}"


class WriterLoadError(SpikecontentError):
    """An entry point that does not lead to a usable writer class."""


@attrs.frozen(kw_only=True)
class WriterEntry:
    """One registered writer, before its module is imported."""

    name: str
    target: str
    """``module:attribute`` of the writer class."""
    distribution: str
    distribution_version: str

    def load(self) -> type[Writer[Any]]:
        """Import the writer class and check that it is one."""
        found = EntryPoint(self.name, self.target, ENTRY_POINT_GROUP).load()
        if not (isinstance(found, type) and issubclass(found, Writer)):
            raise WriterLoadError(f"{self.target} is not a spikecontent Writer subclass")
        if found.name != self.name:
            raise WriterLoadError(
                f"entry point {self.name!r} loads writer {found.name!r}; the names must match"
            )
        return found


class Registry:
    """The writers available to an export, by name."""

    def __init__(self, entries: Iterable[WriterEntry]) -> None:
        self._entries = {e.name: e for e in sorted(entries, key=lambda e: e.name)}
        self._loaded: dict[str, type[Writer[Any]]] = {}

    @classmethod
    def installed(cls) -> Registry:
        """Every writer registered under :data:`ENTRY_POINT_GROUP`."""
        found = []
        for point in entry_points(group=ENTRY_POINT_GROUP):
            dist = point.dist
            found.append(
                WriterEntry(
                    name=point.name,
                    target=point.value,
                    distribution=dist.name if dist else "?",
                    distribution_version=dist.version if dist else "?",
                )
            )
        return cls(found)

    def with_writers(self, *writers: type[Writer[Any]]) -> Registry:
        """A registry that also has ``writers``, e.g. for an application embedding spikecontent."""
        extra = [
            WriterEntry(
                name=w.name,
                target=f"{w.__module__}:{w.__qualname__}",
                distribution="(registered in code)",
                distribution_version="",
            )
            for w in writers
        ]
        registry = Registry([*self._entries.values(), *extra])
        registry._loaded.update({w.name: w for w in writers})
        return registry

    def __iter__(self) -> Iterator[WriterEntry]:
        return iter(self._entries.values())

    def get(self, name: str) -> type[Writer[Any]]:
        """The writer class called ``name``, or :class:`UnknownWriterError`."""
        if name not in self._entries:
            raise UnknownWriterError(name, self._entries)
        if name not in self._loaded:
            self._loaded[name] = self._entries[name].load()
        return self._loaded[name]
