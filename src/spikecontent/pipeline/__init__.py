"""The export pipeline: profiles, the writer registry, incremental atomic exports.

Writers implement :class:`spikecontent.sdk.Writer` (the writer SDK, a package of its
own); this is the core that runs them. The names below are the pipeline's public
interface: the HTTP API and the CLI use only these.
"""

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
    profile_wording,
)
from spikecontent.pipeline.registry import (
    ENTRY_POINT_GROUP,
    Registry,
    UnknownWriterError,
    WriterEntry,
    WriterLoadError,
)
from spikecontent.pipeline.rendering import (
    Executor,
    LocalProcesses,
    RenderFailure,
    render_one,
)
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
    "private_folder",
    "profile_wording",
    "render_one",
]
