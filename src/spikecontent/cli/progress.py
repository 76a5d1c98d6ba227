"""Export progress for people: a rich progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from spikecontent.pipeline import ArtifactFate

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["BarProgress", "LineProgress", "plural", "progress_for"]


def plural(count: int, noun: str) -> str:
    """``1 artifact``, ``2 artifacts``."""
    return f"{count} {noun}{'s' * (count != 1)}"


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
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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
    if not _may_be_terminal(stream):
        return LineProgress(stream)  # without importing rich (0.08 s of a new process)
    from rich.console import Console

    console = Console(file=stream)
    if console.is_terminal:
        return BarProgress(console)
    return LineProgress(stream)


def _may_be_terminal(stream: TextIO) -> bool:
    """False only where rich's ``Console.is_terminal`` would be: no variable that tells
    it otherwise (``TTY_COMPATIBLE``, ``FORCE_COLOR``), and a stream that is no tty."""
    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ:
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed: rich says no
        return False
