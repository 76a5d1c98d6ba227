"""From files to the model: YAML with positions, the strict converter, the loader."""

from spikecontent.loading.converter import StrictTypeError, converter, structure, unstructure
from spikecontent.loading.loader import load

__all__ = ["StrictTypeError", "converter", "load", "structure", "unstructure"]
