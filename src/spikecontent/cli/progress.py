"""Export progress for people: a rich progress bar on a terminal, plain lines otherwise;
and which warnings an export into the same folder printed already."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from spikecontent.diagnostics import Diagnostic
from spikecontent.pipeline import ArtifactFate, private_folder
from spikecontent.store.file_digests import file_digest

__all__ = ["SAID_FILE", "BarProgress", "LineProgress", "SaidWarnings", "plural", "progress_for"]

SAID_FILE = "warnings-said.json"
"""In the export's private folder: the warnings the last export printed, by file digest."""


def plural(count: int, noun: str) -> str:
    """``1 artifact``, ``2 artifacts``."""
    return f"{count} {noun}{'s' * (count != 1)}"


class SaidWarnings:
    """The warnings the last export into ``out`` printed, each with the digest of the file
    it is in: a warning is said again only when it is new or its file has changed since."""

    def __init__(self, out: Path) -> None:
        self.path = private_folder(out) / SAID_FILE
        self._digests: dict[str, str] = {}
        self._said: dict[str, str] = {}
        try:
            said = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            said = {}
        if isinstance(said, dict):
            self._said = {str(k): str(v) for k, v in said.items()}

    def _digest(self, file: str) -> str:
        if file not in self._digests:
            try:
                # Read only if this process has not (the run's digest, the loader).
                self._digests[file] = file_digest(Path(file))[0]
            except OSError:  # an artifact's path (a writer warning), or a file gone
                self._digests[file] = ""
        return self._digests[file]

    def unchanged(self, warning: Diagnostic) -> bool:
        """Whether the last export printed ``warning``, and its file is as it was."""
        return self._said.get(str(warning)) == self._digest(warning.file)

    def remember(self, warnings: Iterable[Diagnostic]) -> None:
        """Keep ``warnings`` as the ones printed (best effort: a folder that cannot take
        the file means they are printed again next time)."""
        said = {str(w): self._digest(w.file) for w in warnings}
        temporary = self.path.with_name(f".{SAID_FILE}.{os.getpid()}")
        with contextlib.suppress(OSError):
            temporary.write_text(json.dumps(said, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)


class LineProgress:
    """One line per rendered or failed artifact; skipped ones are only counted."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *_: object) -> None:
        return None

    def planned(self, total: int, to_render: int) -> None:
        """Say how much there is to do."""
        print(f"{plural(total, 'artifact')}, {to_render} to render", file=self._stream)

    def finished(self, path: str, fate: ArtifactFate) -> None:
        """Report one artifact."""
        if fate is not ArtifactFate.SKIPPED:
            print(f"{fate.value} {path}", file=self._stream)


class BarProgress:
    """A live progress bar over the artifacts to render."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]export"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("", total=None)

    def __enter__(self) -> BarProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def planned(self, total: int, to_render: int) -> None:
        """Size the bar to the artifacts that must be rendered."""
        self._progress.update(self._task, total=to_render)

    def finished(self, path: str, fate: ArtifactFate) -> None:
        """Advance past one rendered or failed artifact."""
        if fate is not ArtifactFate.SKIPPED:
            self._progress.update(self._task, advance=1, description=path)


def progress_for(stream: TextIO | None = None) -> LineProgress | BarProgress:
    """A bar when ``stream`` (default: the current stderr) is a terminal, else plain lines."""
    stream = stream or sys.stderr
    console = Console(file=stream)
    if console.is_terminal:
        return BarProgress(console)
    return LineProgress(stream)
