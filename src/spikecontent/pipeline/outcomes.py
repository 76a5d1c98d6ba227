"""What an export reports: each artifact's fate, failures, and the report of the run."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Protocol

import attrs

from spikecontent.diagnostics import Diagnostic, SpikecontentError

__all__ = ["ArtifactFailure", "ArtifactFate", "ExecutorError", "ExportProgress", "ExportReport"]


class ArtifactFate(enum.Enum):
    """What became of one planned artifact (not the model's ``Outcome``, a study's
    measured result)."""

    RENDERED = "rendered"
    SKIPPED = "skipped"
    """Its inputs had not changed: the file is as the last export wrote it."""
    FAILED = "failed"


@attrs.frozen(kw_only=True)
class ArtifactFailure:
    """An artifact that could not be made, and why.

    Not a :class:`~spikecontent.diagnostics.Diagnostic`: it is about an output of a
    writer, not a place in an input file, and carries the writer and profile to blame.
    """

    profile: str
    writer: str
    path: str
    cause: str
    place: Diagnostic | None = None
    """Where in the content the cause is, when the writer named it (a
    :class:`~spikecontent.pipeline.ContentFailure`)."""

    def __str__(self) -> str:
        if self.place is not None:
            return f"{self.place} [{self.path}, profile {self.profile!r}]"
        return (
            f"{self.path}: writer {self.writer!r} (profile {self.profile!r}) failed: {self.cause}"
        )


@attrs.frozen(kw_only=True)
class ExportReport:
    """What an export did. Paths are relative to :attr:`out`."""

    out: Path
    written: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    failed: tuple[ArtifactFailure, ...] = ()
    pruned: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    """Lint warnings (at their place in content or profiles) and writer warnings (at the
    artifact path, relative to :attr:`out`); they do not stop the export."""
    seconds: float = 0.0
    up_to_date: bool = False
    """True when no input file had changed, so nothing was even loaded."""

    @property
    def ok(self) -> bool:
        """Whether every artifact was made (a failed run writes nothing)."""
        return not self.failed


class ExportProgress(Protocol):
    """Receives progress as an export runs (the CLI shows it as a bar or as lines)."""

    def planned(self, total: int, to_render: int) -> None:
        """All artifacts are planned; ``to_render`` of ``total`` must be rendered."""

    def finished(self, path: str, fate: ArtifactFate) -> None:
        """One artifact is done."""


class ExecutorError(SpikecontentError):
    """The executor (the local process pool, or a Dask cluster) could not run the
    export's jobs; nothing was written."""
