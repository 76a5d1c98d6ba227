"""The writer SDK: what a channel implements, and all it may use, to plug into
``spikecontent export``; third-party writers import only these names.

A writer plans artifacts with the entries and templates each depends on and returns
their bytes; it never touches a file. See docs/writing-a-writer.md.
"""

from spikecontent.sdk.templates import TEMPLATE_FILE_PREFIX, TemplateNotFound, Templates
from spikecontent.sdk.writer import (
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

__all__ = [
    "TEMPLATE_FILE_PREFIX",
    "Artifact",
    "ContentFailure",
    "HealthText",
    "NoOptions",
    "Part",
    "PartBytes",
    "Remember",
    "TemplateNotFound",
    "Templates",
    "Wording",
    "Writer",
    "WriterContext",
    "WriterWarning",
]
