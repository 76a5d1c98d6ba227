"""The ``media`` writer: the pictures the exported articles show, as files to publish.

The channels that link a picture (JSON-LD's ``image``, the delivery documents, the web
pages' lead picture) point at ``<media_url><file>`` (``site.yaml``). This writer puts
each picture at ``<file>`` under its output folder, byte for byte as in ``content/``, so
that publishing that folder at ``media_url`` makes every one of those links resolve. A
picture is published when an exported article shows it, itself or through what it
references (its offer's product, a study, a person); pictures of drafts and of entities
no exported article shows are not.
"""

from __future__ import annotations

from collections.abc import Iterator

from spikecontent.model import ARTICLES
from spikecontent.model.collections import EntryKey, collection
from spikecontent.model.media import Image
from spikecontent.model.outgoing import outgoing
from spikecontent.pipeline import Artifact, NoOptions, Writer

__all__ = ["MediaWriter"]


class MediaWriter(Writer[NoOptions]):
    """Each picture an exported article shows, at its path in the content folder."""

    name = "media"
    version = "1"
    description = "The pictures the exported articles show, to publish at site.yaml's media_url"

    def plan(self) -> Iterator[Artifact]:
        """``<file>`` for each picture, in path order; its entries are the entities that
        hold it (a changed picture changes their data, and so this file alone)."""
        shown: dict[str, list[EntryKey]] = {}
        for article in self.context.articles:
            for holder, image in self._pictures(ARTICLES.key(article.slug)):
                holders = shown.setdefault(image.file, [])
                if holder not in holders:
                    holders.append(holder)
        for file in sorted(shown):
            yield Artifact(path=file, entries=tuple(shown[file]), subject=file)

    def render(self, artifact: Artifact) -> bytes:
        """The picture's bytes, as the loader read and measured them."""
        return bytes(self.context.library.media[artifact.subject])

    def _pictures(self, start: EntryKey) -> Iterator[tuple[EntryKey, Image]]:
        """The pictures of the entity ``start`` and of every entity it references, each
        with the entity that holds it. Declared references only: unlike the export's
        input closure, links are not followed, as a linked article's picture is not
        shown on the page that links it."""
        library = self.context.library
        seen = {start}
        todo = [start]
        while todo:
            holder = todo.pop()
            for found in outgoing(library.entry(holder)):
                if isinstance(found.value, Image):
                    yield holder, found.value
                elif found.kind is not None:
                    key = collection(found.kind).key(found.value)
                    if key not in seen:
                        seen.add(key)
                        todo.append(key)
