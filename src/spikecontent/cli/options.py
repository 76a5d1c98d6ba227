"""The options every command that reads a project shares, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["ContentDir", "ExportersDir"]

ContentDir = Annotated[
    Path,
    typer.Option("--content", "-c", help="Content folder (holds site.yaml).", show_default=True),
]
"""``--content``/``-c``: the content folder."""

ExportersDir = Annotated[
    Path,
    typer.Option("--exporters", "-e", help="Export profiles (TOML), checked with the content."),
]
"""``--exporters``/``-e``: the export profiles' folder."""
