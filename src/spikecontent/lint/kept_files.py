"""Files lint keeps in the user's cache folder, one version at a time."""

from __future__ import annotations

import contextlib
from pathlib import Path

__all__ = ["remove_others"]


def remove_others(kept: Path, pattern: str) -> None:
    """Remove the files of other versions beside ``kept``: each new vocabulary, release or
    code names a new file (17 MB for an automaton), and the old one would stay."""
    with contextlib.suppress(OSError):
        for other in kept.parent.glob(pattern):
            if other != kept:
                other.unlink(missing_ok=True)
