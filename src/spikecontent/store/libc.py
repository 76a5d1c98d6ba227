"""Functions of the C library that Python has no binding for (``syncfs``, ``malloc_trim``),
looked up once, through ``ctypes``; None where the C library has no such function (macOS
has neither, Windows no C library to load this way)."""

from __future__ import annotations

import ctypes
import functools
from typing import Any

__all__ = ["c_function"]


@functools.cache
def c_function(name: str) -> Any:
    """The C library's function ``name``, setting ``ctypes.get_errno()``; or None."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name, None)
    except (OSError, TypeError):  # no C library to load (Windows)
        return None
