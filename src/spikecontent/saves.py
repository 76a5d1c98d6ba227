"""Which files a batch of file-system changes saved: what the watches act on.

Tools make temporary files around a save that are gone again by the time the batch
arrives: ``sed -i`` writes ``sedXXXXXX`` and renames it over the file it edits, vim makes
and removes ``4913`` to test the folder, JetBrains' safe write passes through
``name___jb_tmp___`` and ``name___jb_old___``. watchfiles' own filter leaves out swap and
backup files, not these; none of them is content, and a batch of nothing else is no save.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["saved_files"]


def saved_files(changes: Iterable[tuple[Any, str]]) -> list[Path]:
    """The files that ``changes`` (watchfiles' ``(Change, path)`` pairs) saved or
    removed, in order, without those that were made within the batch and are gone."""
    changes = list(changes)
    made = {path for change, path in changes if change.name == "added"}
    kept = {path for _change, path in changes if path not in made or os.path.lexists(path)}
    return sorted(Path(path) for path in kept)
