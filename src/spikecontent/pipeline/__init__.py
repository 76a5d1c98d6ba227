"""The export pipeline: profiles, the writer registry, incremental atomic exports.

Writers implement :class:`Writer`; everything else here is the core that runs them.
"""

from spikecontent.pipeline.pipeline import (
    ArtifactFailure,
    ExportProgress,
    ExportReport,
    UnknownProfileError,
    export,
)
from spikecontent.pipeline.registry import (
    ENTRY_POINT_GROUP,
    Registry,
    UnknownWriterError,
    WriterEntry,
    WriterLoadError,
)
from spikecontent.pipeline.templates import TemplateNotFound, Templates
from spikecontent.pipeline.writer import SITE, Artifact, NoOptions, Writer, WriterContext, entry

__all__ = [
    "ENTRY_POINT_GROUP",
    "SITE",
    "Artifact",
    "ArtifactFailure",
    "ExportProgress",
    "ExportReport",
    "NoOptions",
    "Registry",
    "TemplateNotFound",
    "Templates",
    "UnknownProfileError",
    "UnknownWriterError",
    "Writer",
    "WriterContext",
    "WriterEntry",
    "WriterLoadError",
    "entry",
    "export",
]
