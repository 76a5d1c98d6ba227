"""The export pipeline: profiles, the writer registry, incremental atomic exports.

Writers implement :class:`spikecontent.sdk.Writer` (the writer SDK, a package of its
own); this is the core that runs them. The names below are the pipeline's public
interface: the HTTP API and the CLI use only these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spikecontent._lazy import lazy_names

if TYPE_CHECKING:
    from spikecontent.pipeline.options import ExportOptions
    from spikecontent.pipeline.outcomes import (
        ArtifactFailure,
        ArtifactFate,
        ExecutorError,
        ExportProgress,
        ExportReport,
    )
    from spikecontent.pipeline.output import OutputBusy
    from spikecontent.pipeline.profiles import Profile, load_profiles
    from spikecontent.pipeline.project import (
        CheckedProject,
        check_folders,
        check_project,
        make_writer,
        prepared_writers,
        profile_wording,
    )
    from spikecontent.pipeline.registry import (
        ENTRY_POINT_GROUP,
        Registry,
        UnknownWriterError,
        WriterEntry,
        WriterLoadError,
    )
    from spikecontent.pipeline.rendering import Executor, LocalProcesses, RenderFailure, render_one
    from spikecontent.pipeline.run import UnknownProfileError, export
    from spikecontent.store.generations import NotOurLink, private_folder

__all__ = [
    "ENTRY_POINT_GROUP",
    "ArtifactFailure",
    "ArtifactFate",
    "CheckedProject",
    "Executor",
    "ExecutorError",
    "ExportOptions",
    "ExportProgress",
    "ExportReport",
    "LocalProcesses",
    "NotOurLink",
    "OutputBusy",
    "Profile",
    "Registry",
    "RenderFailure",
    "UnknownProfileError",
    "UnknownWriterError",
    "WriterEntry",
    "WriterLoadError",
    "check_folders",
    "check_project",
    "export",
    "load_profiles",
    "make_writer",
    "prepared_writers",
    "private_folder",
    "profile_wording",
    "render_one",
]

_ORIGINS: dict[str, str] = {
    "ExportOptions": "spikecontent.pipeline.options",
    "ArtifactFailure": "spikecontent.pipeline.outcomes",
    "ArtifactFate": "spikecontent.pipeline.outcomes",
    "ExecutorError": "spikecontent.pipeline.outcomes",
    "ExportProgress": "spikecontent.pipeline.outcomes",
    "ExportReport": "spikecontent.pipeline.outcomes",
    "OutputBusy": "spikecontent.pipeline.output",
    "Profile": "spikecontent.pipeline.profiles",
    "load_profiles": "spikecontent.pipeline.profiles",
    "CheckedProject": "spikecontent.pipeline.project",
    "check_folders": "spikecontent.pipeline.project",
    "check_project": "spikecontent.pipeline.project",
    "make_writer": "spikecontent.pipeline.project",
    "prepared_writers": "spikecontent.pipeline.project",
    "profile_wording": "spikecontent.pipeline.project",
    "ENTRY_POINT_GROUP": "spikecontent.pipeline.registry",
    "Registry": "spikecontent.pipeline.registry",
    "UnknownWriterError": "spikecontent.pipeline.registry",
    "WriterEntry": "spikecontent.pipeline.registry",
    "WriterLoadError": "spikecontent.pipeline.registry",
    "Executor": "spikecontent.pipeline.rendering",
    "LocalProcesses": "spikecontent.pipeline.rendering",
    "RenderFailure": "spikecontent.pipeline.rendering",
    "render_one": "spikecontent.pipeline.rendering",
    "UnknownProfileError": "spikecontent.pipeline.run",
    "export": "spikecontent.pipeline.run",
    "NotOurLink": "spikecontent.store.generations",
    "private_folder": "spikecontent.store.generations",
}
"""Where each public name lives, imported on first use: ``validate`` and a module that
needs one step (``pipeline.graph``, ``pipeline.validation``) do not import the export,
its executors and its output handling."""

if not TYPE_CHECKING:  # mypy checks the names through the imports above instead
    __getattr__, __dir__ = lazy_names(__name__, _ORIGINS)
