"""A package's public names imported on first use (PEP 562), so a process pays only for
the modules its command touches (docs/performance.md, Issue 44, "Start-up")."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping

__all__ = ["lazy_names"]


def lazy_names(
    package: str, origins: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``, which is being executed:
    each name of ``origins`` is imported from the module it maps to on first use, then
    kept in the package's namespace (later lookups never come back here). A submodule is
    imported on first use too, as an eager package's imports made ``package.sub`` work."""
    namespace = vars(sys.modules[package])

    def __getattr__(name: str) -> object:
        origin = origins.get(name)
        if origin is None:
            if name.startswith("__") or importlib.util.find_spec(f"{package}.{name}") is None:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            return importlib.import_module(f"{package}.{name}")
        value = getattr(importlib.import_module(origin), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *origins})

    return __getattr__, __dir__
