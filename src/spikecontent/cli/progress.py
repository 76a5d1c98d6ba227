"""Export progress for people: a rich progress bar on a terminal, plain lines otherwise;
and which warnings an export into the same folder printed already."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Sequence
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
"""In the export's private folder: a digest of each warning the last export printed, with
the digest of its file."""


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

    def new(self, warnings: Sequence[Diagnostic], texts: Sequence[str]) -> list[str]:
        """The ``texts`` of those ``warnings`` the last export did not print for their
        file as it is now; all of them are kept as printed for the next export (best
        effort: a folder that cannot take the file means they are printed again)."""
        said = {
            _key(text): self._digest(warning.file)
            for warning, text in zip(warnings, texts, strict=True)
        }
        fresh = [text for text in texts if self._said.get(_key(text)) != said[_key(text)]]
        if said != self._said:
            temporary = self.path.with_name(f".{SAID_FILE}.{os.getpid()}")
            with contextlib.suppress(OSError):
                temporary.write_text(json.dumps(said, sort_keys=True), encoding="utf-8")
                os.replace(temporary, self.path)
        return fresh


def _key(text: str) -> str:
    # A digest rather than the text: at 1,000 articles the 12,000 warnings' texts made a
    # 6 MB file written on every export.
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


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
