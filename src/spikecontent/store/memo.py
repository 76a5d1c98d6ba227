"""Values computed once per live model object.

Model objects are immutable, and a process that loads content again (``export --watch``
on every save) gets the unchanged entities back as the same objects (the load cache keeps
them). What is derived from one entity alone (the links in its prose, its references, the
digest of its data) is then kept with the object instead of walked again on every run.

Kept by identity, not by equality: hashing an article means hashing all of it, which is
what the memo saves. A weak reference drops the value with its object.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["PerObject", "per_object"]

T = TypeVar("T")
R = TypeVar("R")


class PerObject(Generic[T, R]):
    """A function of one model object, computed once per live object (see
    :func:`per_object`)."""

    def __init__(self, compute: Callable[[T], R]) -> None:
        self._compute = compute
        self._kept: dict[int, tuple[weakref.ref[Any], R]] = {}
        functools.update_wrapper(self, compute)

    def __call__(self, obj: T) -> R:
        found = self._kept.get(id(obj))
        if found is not None and found[0]() is obj:
            return found[1]
        value = self._compute(obj)
        self.keep(obj, value)
        return value

    def keep(self, obj: T, value: R) -> None:
        """Take ``value`` as the result for ``obj`` (one computed earlier, kept with it,
        such as in the load cache)."""
        key = id(obj)

        def forget(dead: weakref.ref[Any]) -> None:
            # Only this object's entry: its id may since belong to a newer object.
            found = self._kept.get(key)
            if found is not None and found[0] is dead:
                del self._kept[key]

        self._kept[key] = (weakref.ref(obj, forget), value)


def per_object(compute: Callable[[T], R]) -> PerObject[T, R]:
    """``compute``, called once per live object (the object must allow weak references,
    as attrs' slotted classes do; ``compute(obj)`` must depend on nothing but ``obj``)."""
    return PerObject(compute)
