"""What writers derive from content, kept between the exports of one process.

``export --watch`` exports again on every save; most of what a writer derived from the
thousand articles the last time (the macros writer's replies, the JSON-LD writer's
warnings) is still right. A writer asks through :attr:`WriterContext.remember
<spikecontent.pipeline.WriterContext.remember>`; a value is found again when its name, the
writer's version and options, and the digest of its entries' content (what they reference
and the site included, as for an artifact) are the same. Each export keeps only what it
used, so the memory held is one export's worth.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

from spikecontent.loading.converter import unstructure
from spikecontent.model import EntryKey
from spikecontent.pipeline.inputs import InputDigests, digest_json
from spikecontent.pipeline.writer import Remember, Writer, make_afresh

__all__ = ["Remembered", "forget_remembered"]

T = TypeVar("T")

_KEPT: dict[tuple[str, str, str], Any] = {}
"""The values the last export of this process that planned without failing used."""
_MISSING: Final = object()


class Remembered:
    """The values writers derive during one export, looked up first among those of the
    process's last export; :meth:`keep` makes them the ones the next export finds."""

    def __init__(self, digests: InputDigests) -> None:
        self.digests = digests
        self._used: dict[tuple[str, str, str], Any] = {}

    def scope(self, writer: type[Writer[Any]], options: Any) -> Remember:
        """What one profile's writer gets as :attr:`WriterContext.remember`."""
        frame = digest_json([writer.name, writer.version, unstructure(options)])
        return _Scoped(self, frame)

    def get(self, frame: str, name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
        """The value ``make`` gives for ``name`` over ``entries`` in the scope ``frame``."""
        key = (frame, name, self.digests.sources(entries))
        found = self._used.get(key, _MISSING)
        if found is _MISSING:
            found = _KEPT.get(key, _MISSING)
            if found is _MISSING:
                found = make()
            self._used[key] = found
        return found  # type: ignore[no-any-return]

    def keep(self) -> None:
        """Keep what this export used, and only that, for the next."""
        _KEPT.clear()
        _KEPT.update(self._used)


def forget_remembered() -> None:
    """Drop what earlier exports of this process derived, as a new process would."""
    _KEPT.clear()


class _Scoped:
    def __init__(self, remembered: Remembered, frame: str) -> None:
        self._remembered = remembered
        self._frame = frame

    def __call__(self, name: str, entries: tuple[EntryKey, ...], make: Callable[[], T]) -> T:
        return self._remembered.get(self._frame, name, entries, make)

    def __reduce__(self) -> tuple[Any, ...]:
        # Writers travel to rendering processes, which plan nothing: there it keeps nothing
        # (and the whole export's digests stay here).
        return (_afresh, ())


def _afresh() -> Remember:
    return make_afresh
