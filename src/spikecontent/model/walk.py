"""Walk a model object tree, yielding each value with its field path."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

import attrs

from spikecontent.model.fields import REF_KIND, FieldPath
from spikecontent.richtext.tree import RichText

__all__ = ["Reference", "field_values", "references", "text_fields", "walk"]

_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}
"""The fields to enter, per class (looked up once: walks run over every entity)."""


def _fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    found = _FIELDS.get(cls)
    if found is None:
        found = () if cls is RichText or not attrs.has(cls) else tuple(attrs.fields(cls))
        _FIELDS[cls] = found
    return found


def field_values(
    obj: Any, path: FieldPath = ()
) -> Iterator[tuple[FieldPath, Any, attrs.Attribute[Any]]]:
    """Like :func:`walk`, with the attrs field each value belongs to (tuple items share
    their tuple's field), so callers can read field metadata such as the reference kind."""
    return _nodes(obj, path)


def _nodes(obj: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any, attrs.Attribute[Any]]]:
    for field in _fields_of(type(obj)):
        value = getattr(obj, field.name)
        here = (*path, field.name)
        yield here, value, field
        items = enumerate(value) if isinstance(value, tuple) else ()
        for index, item in items:
            yield (*here, index), item, field
            yield from _nodes(item, (*here, index))
        if not isinstance(value, tuple):
            yield from _nodes(value, here)


def walk(obj: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Yield ``(path, value)`` for every field value below ``obj``, depth first.

    Tuples are yielded whole and then item by item. Prose (:class:`RichText`) is yielded as
    one value; its tree is not entered.
    """
    for here, value, _field in _nodes(obj, path):
        yield here, value


@attrs.frozen(kw_only=True)
class Reference:
    """An id held by a field declared with ``ref``/``refs``, and the collection it names."""

    path: FieldPath
    kind: str
    id: str


def references(obj: Any, path: FieldPath = ()) -> Iterator[Reference]:
    """Every reference to another entity below ``obj``.

    Only fields whose declared types can hold a reference are entered, which makes this
    several times faster than a full :func:`walk` (it runs for every artifact of an export).
    """
    for field in _reference_fields(type(obj)):
        value = getattr(obj, field.name)
        here = (*path, field.name)
        kind = field.metadata.get(REF_KIND)
        if kind is not None:
            if isinstance(value, str):
                yield Reference(path=here, kind=kind, id=value)
            elif isinstance(value, tuple):
                for index, item in enumerate(value):
                    yield Reference(path=(*here, index), kind=kind, id=item)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                yield from references(item, (*here, index))
        elif value is not None:
            yield from references(value, here)


_REFERENCE_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}


def _reference_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """Fields of ``cls`` that hold a reference, or a value that can hold one."""
    found = _REFERENCE_FIELDS.get(cls)
    if found is None:
        _REFERENCE_FIELDS[cls] = ()  # a class that contains itself adds nothing new
        if cls is RichText or not attrs.has(cls):
            return ()
        hints = typing.get_type_hints(cls)
        found = tuple(
            field
            for field in attrs.fields(cls)
            if REF_KIND in field.metadata or _can_hold_references(hints[field.name])
        )
        _REFERENCE_FIELDS[cls] = found
    return found


def _can_hold_references(hint: Any) -> bool:
    if isinstance(hint, type) and attrs.has(hint):
        return bool(_reference_fields(hint))
    return any(_can_hold_references(arg) for arg in typing.get_args(hint))


def text_fields(cls: type, names: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The field names leading to every text value (``str`` or prose) an instance of
    ``cls`` can hold, read from the declared types; list indexes are left out, so
    ``faq.items[2].answer`` is ``("faq", "items", "answer")``."""
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        yield from _text_paths(hints[field.name], (*names, field.name))


def _text_paths(hint: Any, names: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    if hint is str or hint is RichText:
        yield names
    elif isinstance(hint, type) and attrs.has(hint):
        yield from text_fields(hint, names)
    else:  # a union, an optional, a tuple: the types it can hold
        seen: set[tuple[str, ...]] = set()
        for arg in typing.get_args(hint):
            for found in _text_paths(arg, names):
                if found not in seen:
                    seen.add(found)
                    yield found
