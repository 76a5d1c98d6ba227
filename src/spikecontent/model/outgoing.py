"""What one entity points at: its references, links and pictures, found in one walk.

The library's checks and every channel's link lists (an article's linked pages and
articles) read the same walk, kept per entity: walking a 1,000-article library's trees
was a third of loading it from the cache.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from spikecontent.model.fields import REF_KIND, FieldPath, is_link
from spikecontent.model.media import Image
from spikecontent.model.walk import HREF, field_values
from spikecontent.richtext.tree import RichText
from spikecontent.store.memo import per_object

__all__ = ["Outgoing", "outgoing"]

_POINTING: Final = (REF_KIND, RichText, HREF, Image)
"""What the walk enters: declared references, prose (its links), link fields and pictures."""


class Outgoing(NamedTuple):
    """One thing an entity points at, at ``path``."""

    path: FieldPath
    value: str | Image
    """The id, the link target as written, or the picture."""
    kind: str | None
    """The collection a declared reference names; None for links and pictures."""
    in_prose: bool = False
    """Whether it is a link inside prose (Markdown), not a link field."""


@per_object
def outgoing(entity: Any) -> tuple[Outgoing, ...]:
    """Each declared reference with its kind, each link in prose and link fields
    (``page:<id>``, ``article:<slug>``, URLs) with no kind, each picture; in field order."""
    found: list[Outgoing] = []
    for path, value, field in field_values(entity, holding=_POINTING):
        kind = field.metadata.get(REF_KIND)
        if kind is not None and isinstance(value, str):
            found.append(Outgoing(path, value, kind))
        elif isinstance(value, RichText):
            found.extend(Outgoing(path, link.href, None, True) for link in value.links())
        elif (is_link(field) and isinstance(value, str)) or isinstance(value, Image):
            found.append(Outgoing(path, value, None))
    return tuple(found)
