"""The export pipeline: profiles, the writer registry, incremental atomic exports.

Writers implement :class:`Writer`; everything else here is the core that runs them. The
names below are the pipeline's public interface: writers, the HTTP API and the CLI use
only these.
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
    TEMPLATE_FILE_PREFIX,
    Executor,
    LocalProcesses,
    RenderFailure,
    render_one,
)
from spikecontent.pipeline.run import UnknownProfileError, export
from spikecontent.pipeline.templates import TemplateNotFound, Templates
from spikecontent.pipeline.writer import (
    Artifact,
    ContentFailure,
    HealthText,
    NoOptions,
    Part,
    PartBytes,
    Remember,
    Wording,
    Writer,
    WriterContext,
    WriterWarning,
)
from spikecontent.store.generations import NotOurLink, private_folder

__all__ = [
    "ENTRY_POINT_GROUP",
    "TEMPLATE_FILE_PREFIX",
    "Artifact",
    "ArtifactFailure",
    "ArtifactFate",
    "CheckedProject",
    "ContentFailure",
    "Executor",
    "ExecutorError",
    "ExportOptions",
    "ExportProgress",
    "ExportReport",
    "HealthText",
    "LocalProcesses",
    "NoOptions",
    "NotOurLink",
    "OutputBusy",
    "Part",
    "PartBytes",
    "Profile",
    "Registry",
    "Remember",
    "RenderFailure",
    "TemplateNotFound",
    "Templates",
    "UnknownProfileError",
    "UnknownWriterError",
    "Wording",
    "Writer",
    "WriterContext",
    "WriterEntry",
    "WriterLoadError",
    "WriterWarning",
    "check_folders",
    "check_project",
    "export",
    "load_profiles",
    "make_writer",
    "private_folder",
    "profile_wording",
    "render_one",
]
