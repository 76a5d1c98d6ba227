"""From files to the model: YAML with positions, the strict converter, the loader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spikecontent._lazy import lazy_names
from spikecontent.loading.converter import StrictTypeError, converter, structure, unstructure

if TYPE_CHECKING:
    from spikecontent.loading.loader import load

__all__ = ["StrictTypeError", "converter", "load", "structure", "unstructure"]

# The loader (YAML, pictures, the evidence lock) on first use: a module that needs the
# source maps, the findings or the TOML reader (the profiles) does not import it. The
# converter stays eager: its function shares its module's name, which a lazy name would
# lose to the module once the module is imported.
if not TYPE_CHECKING:  # mypy checks the names through the imports above instead
    __getattr__, __dir__ = lazy_names(__name__, {"load": "spikecontent.loading.loader"})
