"""The ``media`` writer: the pictures the exported articles show, as files to publish.

The channels that link a picture (JSON-LD's ``image``, the delivery documents, the web
pages' lead picture) point at ``<media_url><file>`` (``site.yaml``). This writer puts
each picture at ``<file>`` under its output folder, so that publishing that folder at
``media_url`` makes every one of those links resolve. A picture is published when an
exported article shows it, itself or through what it references (its offer's product, a
study, a person); pictures of drafts and of entities no exported article shows are not.

A picture is published without its metadata (:mod:`.pictures`): a phone's photo
carries where it was taken (EXIF's GPS block), the camera's serial number, an editor's
history (XMP), captions and comments, and a file can carry any bytes after its end. Its
image data is copied as it is, so no pixel changes; its colour profile is kept. The
profile option ``keep_metadata = true`` publishes each picture byte for byte instead.

Beside each picture are its variants (:func:`~.pictures.variants`), the copies the web
pages offer browsers in ``srcset``: at 480, 960 and 1600 pixels wide, capped at the
picture's own width, in the picture's format and in WebP (``images/lead-480w.jpg``,
``images/lead-480w.webp``, ...), made with Pillow with fixed options, so the same picture
always gives the same bytes. Each variant is an artifact of the picture's holders, as
the picture is: a changed picture rebuilds its own variants and nobody else's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import Final

import attrs

from spikecontent.model import ARTICLES, SITE_KEY
from spikecontent.model.collections import EntryKey, collection
from spikecontent.model.fields import FieldPath
from spikecontent.model.media import IMAGE_TYPES, Image
from spikecontent.model.outgoing import outgoing
from spikecontent.sdk import Artifact, ContentFailure, Writer
from spikecontent.writers.pictures import (
    PictureError,
    Variant,
    variant_bytes,
    variants,
    without_metadata,
)

__all__ = ["MediaOptions", "MediaWriter", "PictureError", "without_metadata"]


_ICON: Final = ":icon"


@attrs.frozen(kw_only=True)
class MediaOptions:
    """Options of the ``media`` writer."""

    keep_metadata: bool = False
    """Publish each picture byte for byte: its EXIF (GPS included), XMP, IPTC, comments,
    text chunks and whatever follows its end stay in the published file."""


class MediaWriter(Writer[MediaOptions]):
    """Each picture an exported article shows, at its path in the content folder."""

    name = "media"
    # 2: pictures published without their metadata. 3: their variants for srcset; the
    # site's PNG icon.
    version = "3"
    description = (
        "The pictures the exported articles show, and their variants for srcset,"
        " to publish at site.yaml's media_url"
    )
    options = MediaOptions

    def plan(self) -> Iterator[Artifact]:
        """``<file>`` for each picture, in path order, each followed by its variants; their
        entries are the entities that hold the picture (a changed picture changes their
        data, and so these files alone)."""
        shown: dict[str, list[EntryKey]] = {}
        measured: dict[str, Image] = {}
        for article in self.context.articles:
            for holder, _path, image in self._pictures(ARTICLES.key(article.slug)):
                holders = shown.setdefault(image.file, [])
                measured.setdefault(image.file, image)
                if holder not in holders:
                    holders.append(holder)
        for file in sorted(shown):
            entries = tuple(shown[file])
            yield Artifact(path=file, entries=entries, subject=file)
            for variant in variants(measured[file]):
                yield Artifact(path=variant.file, entries=entries, subject=file)
        icon = self.context.library.site.icon
        if icon is not None and icon.media_type == "image/png" and icon.file not in shown:
            # The pages link a PNG icon here (an .ico the html writer serves itself). The
            # site, an input of every artifact, carries its digest.
            yield Artifact(path=icon.file, subject=_ICON)

    def render(self, artifact: Artifact) -> bytes:
        """The picture without its metadata (or as the loader read it, with
        ``keep_metadata``), or one of its variants."""
        if artifact.subject == _ICON:
            return self._icon(artifact.path)
        file = artifact.subject
        data = bytes(self.context.library.media[file])
        holder, path, image = next(
            found for found in self._pictures(artifact.entries[0]) if found[2].file == file
        )
        try:
            if artifact.path != file:
                variant = next(v for v in variants(image) if v.file == artifact.path)
                return self._variant(data, image, variant)
            if self.context.options.keep_metadata:
                return data
            return without_metadata(data, IMAGE_TYPES[posixpath.splitext(file)[1].lower()])
        except PictureError as problem:
            raise ContentFailure(
                holder,
                (*path, "file"),
                f"{file!r} cannot be published without its metadata: {problem}",
                "save the picture again from an image editor (the file may be damaged)",
            ) from None

    def _icon(self, file: str) -> bytes:
        """The site's PNG icon, without its metadata unless the profile keeps it."""
        data = bytes(self.context.library.media[file])
        if self.context.options.keep_metadata:
            return data
        try:
            return without_metadata(data, "image/png")
        except PictureError as problem:
            raise ContentFailure(
                SITE_KEY,
                ("icon", "file"),
                f"{file!r} cannot be published without its metadata: {problem}",
                "save the icon again from an image editor (the file may be damaged)",
            ) from None

    def _variant(self, data: bytes, image: Image, variant: Variant) -> bytes:
        """The variant; at the picture's own width and format, the picture as published."""
        own = variant.width == image.width and variant.media_type == image.media_type
        if self.context.options.keep_metadata and own:
            return data
        return variant_bytes(data, image, variant)

    def _pictures(self, start: EntryKey) -> Iterator[tuple[EntryKey, FieldPath, Image]]:
        """The pictures of the entity ``start`` and of every entity it references, each
        with the entity that holds it and its place there. Declared references only:
        unlike the export's input closure, links are not followed, as a linked article's
        picture is not shown on the page that links it."""
        library = self.context.library
        seen = {start}
        todo = [start]
        while todo:
            holder = todo.pop()
            for found in outgoing(library.entry(holder)):
                if isinstance(found.value, Image):
                    yield holder, found.path, found.value
                elif found.kind is not None:
                    key = collection(found.kind).key(found.value)
                    if key not in seen:
                        seen.add(key)
                        todo.append(key)
