"""Walk a model object tree, yielding each value with its field path."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any, Final, TypeVar

import attrs

from spikecontent.model.fields import REF_KIND, FieldPath, is_link
from spikecontent.richtext.tree import RichText

__all__ = ["HREF", "Reference", "field_values", "instances", "references", "text_fields", "walk"]

T = TypeVar("T")

_FIELDS: dict[type, tuple[attrs.Attribute[Any], ...]] = {}
"""The fields to enter, per class (looked up once: walks run over every entity)."""


def _fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    found = _FIELDS.get(cls)
    if found is None:
        found = () if cls is RichText or not attrs.has(cls) else tuple(attrs.fields(cls))
        _FIELDS[cls] = found
    return found


HREF: Final = "spikecontent.href"
"""A target for :func:`field_values`: a field validated as a link (``href``)."""


def field_values(
    obj: Any, path: FieldPath = (), *, holding: tuple[type | str, ...] = ()
) -> Iterator[tuple[FieldPath, Any, attrs.Attribute[Any]]]:
    """Like :func:`walk`, with the attrs field each value belongs to (tuple items share
    their tuple's field), so callers can read field metadata such as the reference kind.

    With ``holding`` (classes, :data:`REF_KIND`, :data:`HREF`), only fields whose declared
    types can hold one of them are entered: checks that look for those alone skip the
    rest of the tree."""
    return _nodes(obj, path, holding)


def _nodes(
    obj: Any, path: FieldPath, holding: tuple[type | str, ...] = ()
) -> Iterator[tuple[FieldPath, Any, attrs.Attribute[Any]]]:
    found: list[tuple[FieldPath, Any, attrs.Attribute[Any]]] = []
    _collect(obj, path, holding, found)
    return iter(found)


def _collect(
    obj: Any,
    path: FieldPath,
    holding: tuple[type | str, ...],
    found: list[tuple[FieldPath, Any, attrs.Attribute[Any]]],
) -> None:
    # Into one list, depth first: nested generators passed each value up through every
    # level of the tree, most of the cost of a walk.
    fields = _fields_holding_any(type(obj), holding) if holding else _fields_of(type(obj))
    for field in fields:
        try:
            value = getattr(obj, field.name)
        except AttributeError:
            # A field that failed to load, in what the loader kept of an entity with an
            # error (its other fields' links are still checked): there is nothing there.
            continue
        here = (*path, field.name)
        found.append((here, value, field))
        if isinstance(value, tuple):
            for index, item in enumerate(value):
                at = (*here, index)
                found.append((at, item, field))
                _collect(item, at, holding, found)
        else:
            _collect(value, here, holding, found)


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
    for field in _fields_holding(type(obj), REF_KIND):
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


def instances(obj: Any, cls: type[T], path: FieldPath = ()) -> Iterator[tuple[FieldPath, T]]:
    """Every value of type ``cls`` below ``obj``, with its path.

    Like :func:`references`, only fields whose declared types can hold one are entered:
    the loader looks for pictures in every entity on every load.
    """
    for field in _fields_holding(type(obj), cls):
        value = getattr(obj, field.name)
        here = (*path, field.name)
        items = enumerate(value) if isinstance(value, tuple) else [(None, value)]
        for index, item in items:
            at = here if index is None else (*here, index)
            if isinstance(item, cls):
                yield at, item
            elif item is not None:
                yield from instances(item, cls, at)


_HOLDING: dict[tuple[type, type | str], tuple[attrs.Attribute[Any], ...]] = {}
_HOLDING_ANY: dict[tuple[type, tuple[type | str, ...]], tuple[attrs.Attribute[Any], ...]] = {}


def _fields_holding_any(
    owner: type, targets: tuple[type | str, ...]
) -> tuple[attrs.Attribute[Any], ...]:
    key = (owner, targets)
    found = _HOLDING_ANY.get(key)
    if found is None:
        wanted = {f.name for target in targets for f in _fields_holding(owner, target)}
        fields = attrs.fields(owner) if attrs.has(owner) else ()
        found = _HOLDING_ANY[key] = tuple(f for f in fields if f.name in wanted)
    return found


def _fields_holding(owner: type, target: type | str) -> tuple[attrs.Attribute[Any], ...]:
    """Fields of ``owner`` that hold ``target`` (a class; :data:`REF_KIND`, a field
    declared with ``ref``/``refs``; :data:`HREF`, a link field) or a value that can hold
    one, from the declared types; looked up once per pair."""
    key = (owner, target)
    found = _HOLDING.get(key)
    if found is None:
        _HOLDING[key] = ()  # a class that contains itself adds nothing new
        if owner is RichText or not attrs.has(owner):
            return ()
        hints = typing.get_type_hints(owner)
        found = tuple(
            field
            for field in attrs.fields(owner)
            if (target == REF_KIND and REF_KIND in field.metadata)
            or (target == HREF and is_link(field))
            or _can_hold(hints[field.name], target)
        )
        _HOLDING[key] = found
    return found


def _can_hold(hint: Any, target: type | str) -> bool:
    if hint is target:
        return True
    if isinstance(hint, type) and attrs.has(hint):
        return bool(_fields_holding(hint, target))
    return any(_can_hold(arg, target) for arg in typing.get_args(hint))


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
