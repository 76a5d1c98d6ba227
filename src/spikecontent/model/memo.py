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
from typing import Any, TypeVar

__all__ = ["per_object"]

T = TypeVar("T")
R = TypeVar("R")


def per_object(compute: Callable[[T], R]) -> Callable[[T], R]:
    """``compute``, called once per live object (the object must allow weak references,
    as attrs' slotted classes do; ``compute(obj)`` must depend on nothing but ``obj``)."""
    kept: dict[int, tuple[weakref.ref[Any], R]] = {}

    def forget(key: int, ref: weakref.ref[Any]) -> None:
        # Only this object's entry: its id may since belong to a newer object.
        found = kept.get(key)
        if found is not None and found[0] is ref:
            del kept[key]

    @functools.wraps(compute)
    def memoised(obj: T) -> R:
        key = id(obj)
        found = kept.get(key)
        if found is not None and found[0]() is obj:
            return found[1]
        value = compute(obj)
        ref = weakref.ref(obj, lambda dead, key=key: forget(key, dead))  # type: ignore[misc]
        kept[key] = (ref, value)
        return value

    return memoised
