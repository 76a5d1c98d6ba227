"""Prose: a small Markdown subset parsed once into a typed tree, rendered to HTML or text."""

import typing

from spikecontent._lazy import imported_names as _imported_names

# Each name is written once: a whole module's __all__ through a star import, a module's
# single names as `Name as Name`; both are re-exports to mypy. The computed __all__ is for
# run time only, since mypy cannot read it and would hide every name it leaves out.
from spikecontent.richtext.delivery import delivery_forms as delivery_forms
from spikecontent.richtext.parse import *  # noqa: F403
from spikecontent.richtext.render import LinkResolver as LinkResolver
from spikecontent.richtext.render import inline_text as inline_text
from spikecontent.richtext.render import to_html as to_html
from spikecontent.richtext.render import to_plain_text as to_plain_text
from spikecontent.richtext.tree import *  # noqa: F403

if not typing.TYPE_CHECKING:
    __all__ = _imported_names(globals())
