"""The writer SDK: what a channel implements, and all it may use, to plug into
``spikecontent export``; third-party writers import only these names.

A writer plans artifacts with the entries and templates each depends on and returns
their bytes; it never touches a file. See docs/writing-a-writer.md.
"""

import typing

from spikecontent._lazy import imported_names as _imported_names

# The package's names are its modules' __all__, written once there. mypy reads a star import
# as a re-export; the computed __all__ is for run time only, since mypy cannot read it and
# would hide every name it leaves out.
from spikecontent.sdk.templates import *  # noqa: F403
from spikecontent.sdk.templating import *  # noqa: F403
from spikecontent.sdk.writer import *  # noqa: F403

if not typing.TYPE_CHECKING:
    __all__ = _imported_names(globals())
