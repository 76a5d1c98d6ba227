"""A package's public names: imported on first use (PEP 562), so a process pays only for
the modules its command touches (docs/performance.md, Issue 44, "Start-up"); or, for a
package that imports them eagerly, its ``__all__`` read from its imports."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from types import ModuleType

__all__ = ["imported_names", "lazy_names"]


def imported_names(namespace: Mapping[str, object]) -> list[str]:
    """The ``__all__`` of a package whose ``__init__`` (run so far: ``namespace``) only
    imports its modules' names, each written once: ``from .module import *`` re-exports a
    module's whole ``__all__``, ``from .module import Name as Name`` one name (the two
    forms mypy takes as re-exports). Its submodules, bound on import, are left out."""
    return sorted(
        name
        for name, value in namespace.items()
        if not name.startswith("_") and not isinstance(value, ModuleType)
    )


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
