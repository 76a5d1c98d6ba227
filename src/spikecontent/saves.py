"""Which files a batch of file-system changes saved: what the watches act on.

Tools make temporary files around a save that are gone again by the time the batch
arrives: ``sed -i`` writes ``sedXXXXXX`` and renames it over the file it edits, vim makes
and removes ``4913`` to test the folder, JetBrains' safe write passes through
``name___jb_tmp___`` and ``name___jb_old___``. watchfiles' own filter leaves out swap and
backup files, not these; none of them is content, and a batch of nothing else is no save.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

__all__ = ["saved_files", "watch_saves"]


def saved_files(changes: Iterable[tuple[Any, str]]) -> list[Path]:
    """The files that ``changes`` (watchfiles' ``(Change, path)`` pairs) saved or
    removed, in order, without those that were made within the batch and are gone."""
    changes = list(changes)
    made = {path for change, path in changes if change.name == "added"}
    kept = {path for _change, path in changes if path not in made or os.path.lexists(path)}
    return sorted(Path(path) for path in kept)


def watch_saves(
    folders: Iterable[Path], stop: threading.Event, on_save: Callable[[], object], *, name: str
) -> threading.Thread:
    """Call ``on_save`` after every batch of changes under ``folders`` (those that exist)
    that saved a file, in a daemon thread called ``name``, until ``stop`` is set."""
    from watchfiles import watch

    def run() -> None:
        existing = [str(folder) for folder in folders if folder.exists()]
        # A short debounce: an editor's save is one change, and it shows within 1 s.
        for changes in watch(*existing, stop_event=stop, debounce=100, step=20):
            if saved_files(changes):  # not only temporary files that came and went
                on_save()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
