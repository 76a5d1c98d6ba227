"""How to export: every setting of an export in one object, for the library and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from spikecontent.pipeline.outcomes import ExecutorError, ExportProgress
from spikecontent.pipeline.registry import Registry
from spikecontent.pipeline.rendering import Executor, LocalProcesses

__all__ = ["ExportOptions"]


def _path(value: str | os.PathLike[str]) -> Path:
    return Path(value)


def _names(value: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    return tuple(value or ())


def _executor(value: str | Executor | None) -> Executor | None:
    """An executor, or the URL of a Dask scheduler (``dask://HOST:PORT``, ``tcp://``,
    ``tls://`` with Dask's certificate configuration)."""
    if not isinstance(value, str):
        return value
    from spikecontent.pipeline.dask_executor import DaskCluster

    try:
        return DaskCluster.parse(value)
    except ValueError as error:
        raise ExecutorError(str(error)) from None


@attrs.frozen(kw_only=True)
class ExportOptions:
    """Everything an export is told besides its content folder (see
    :func:`~spikecontent.pipeline.export`)."""

    exporters: Path = attrs.field(default=Path("exporters"), converter=_path)
    """The export profiles' folder."""
    out: Path = attrs.field(default=Path("dist"), converter=_path)
    """The output folder (a link to the current generation)."""
    only: tuple[str, ...] = attrs.field(default=(), converter=_names)
    """Export only these profiles (enabled or not); none: every enabled profile."""
    jobs: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(1))
    )
    """Local processes to render in; None: one per CPU."""
    force: bool = False
    """Render every artifact, changed or not."""
    include_drafts: bool = False
    """Export drafts and articles in review too."""
    wait: bool = False
    """If another export is writing into :attr:`out`, wait for it instead of failing."""
    executor: Executor | None = attrs.field(default=None, converter=_executor)
    """Where to render instead of local processes: an
    :class:`~spikecontent.pipeline.rendering.Executor` such as a
    :class:`~spikecontent.pipeline.dask_executor.DaskCluster`, or a Dask scheduler's URL.
    Files are staged and committed here either way (the same bytes as ``jobs=1``)."""
    registry: Registry | None = None
    """The writers to use; None: those installed."""
    progress: ExportProgress | None = None
    """Told of each artifact as it is planned and done."""

    def renderer(self) -> Executor:
        """Where the jobs render: :attr:`executor`, or :attr:`jobs` local processes."""
        return self.executor or LocalProcesses(jobs=self.jobs or os.cpu_count() or 1)
