"""A source map's positions as the load cache keeps them: by top-level field, each field's
unpickled when something first asks for a position in it.

A file's positions (every key and value, 650 objects for an article) were a fifth of
unpickling the load cache, and in a one-change export nearly nothing reads them: a
finding on an unchanged file comes from the lint findings cache, already placed. What
does read them reads one field (the FAQ questions, for the questions two articles ask),
so each field is kept as its own pickle (:func:`packed`) and opened alone
(:class:`PositionsByField`). The bytes come from the same signed blob as the rest of
the entry, so they are as trusted as it.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping
from typing import Any, Final

from spikecontent.model.fields import FieldPath

__all__ = ["Packed", "PositionsByField", "packed"]

Position = tuple[int, int]
"""Line and column, both 1-based."""
Packed = tuple[dict[FieldPath, Position], dict[str | int, bytes]]
"""Positions as pickled: the root's (the empty path) as they are, and each top-level
field's pickled on its own, by the field's name (or index)."""

_ABSENT: Final[Any] = object()


class PositionsByField(Mapping[FieldPath, Position]):
    """The positions of :data:`Packed`, each field's unpickled on first use."""

    __slots__ = ("_opened", "_packed", "_root")

    def __init__(self, root: dict[FieldPath, Position], fields: dict[str | int, bytes]) -> None:
        self._root = root
        self._packed = fields
        self._opened: dict[str | int, dict[FieldPath, Position]] = {}

    def _field(self, name: str | int) -> dict[FieldPath, Position] | None:
        found = self._opened.get(name)
        if found is None:
            payload = self._packed.get(name)
            if payload is None:
                return None
            found = self._opened[name] = pickle.loads(payload)
        return found

    def get(self, path: FieldPath, default: Any = None) -> Any:
        """The position at ``path``, or ``default``; opens only ``path``'s field."""
        if not path:
            return self._root.get(path, default)
        field = self._field(path[0])
        return default if field is None else field.get(path, default)

    def __getitem__(self, path: FieldPath) -> Position:
        found = self.get(path, _ABSENT)
        if found is _ABSENT:
            raise KeyError(path)
        return found  # type: ignore[no-any-return]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self.get(path, _ABSENT) is not _ABSENT

    def __iter__(self) -> Iterator[FieldPath]:
        yield from self._root
        for name in self._packed:
            yield from self._field(name) or ()

    def __len__(self) -> int:
        return len(self._root) + sum(len(self._field(name) or ()) for name in self._packed)

    def packed(self) -> Packed:
        """As :func:`packed` gives it (the fields' bytes as they were read: no field is
        pickled again)."""
        return self._root, self._packed


def packed(positions: Mapping[FieldPath, Position]) -> Packed:
    """``positions`` split by top-level field, each field's pickled on its own."""
    if isinstance(positions, PositionsByField):
        return positions.packed()
    root: dict[FieldPath, Position] = {}
    fields: dict[str | int, dict[FieldPath, Position]] = {}
    for path, position in positions.items():
        if path:
            fields.setdefault(path[0], {})[path] = position
        else:
            root[path] = position
    protocol = pickle.HIGHEST_PROTOCOL
    return root, {name: pickle.dumps(field, protocol) for name, field in fields.items()}
