"""Temporary files written beside their destination, then renamed over it.

``tempfile.mkstemp`` draws a random name and the file needs a ``chmod`` after it: most of
the cost of writing a small file, 14,000 times in a full export. Here a name is the
destination's, the process id and a counter (``.<name>.<pid>-<n>.tmp``), unique among
live processes (a file of a dead one with the same id is skipped), and the file gets its
mode when it is made. The names stay recognisable, so a run killed mid-write leaves
nothing that the next one cannot find and remove (:data:`LEFTOVER`).
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import Final

__all__ = ["LEFTOVER", "create_beside"]

LEFTOVER: Final = re.compile(r"\..+\.\d+-\d+\.tmp|(\..+\.|tmp)[a-z0-9_]{8}\.tmp")
"""The name of a temporary file made here (or by ``mkstemp``, as older versions did)."""

_NUMBERS: Final = itertools.count()  # next() is atomic under the interpreter lock
_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def create_beside(final: Path, mode: int) -> tuple[int, str]:
    """A new file beside ``final``, open for writing, and its path. ``mode`` is what
    ``open(2)`` takes: the umask applies, as for any new file (0o666 makes it readable
    as the umask allows; 0o600, private)."""
    folder, name = os.fspath(final.parent), final.name
    while True:
        temporary = f"{folder}/.{name}.{os.getpid()}-{next(_NUMBERS)}.tmp"
        try:
            return os.open(temporary, _FLAGS, mode), temporary
        except FileExistsError:
            continue  # left by a killed process that had the same id
