"""Pictures the content shows: a file in the content folder, with the words that replace it.

Content writes ``file`` and ``alt``; the loader measures the file (its pixel size and its
digest, so a changed picture rebuilds what shows it) and the library carries its bytes:
the model itself reads no file.
"""

from __future__ import annotations

import posixpath
from typing import Any, Final

import attrs

from spikecontent.model.fields import FieldError, non_empty_text

__all__ = ["IMAGE_TYPES", "MEASURED", "Image"]

IMAGE_TYPES: Final = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
"""The picture formats every channel takes (WeasyPrint, browsers, Google Images)."""

MEASURED: Final = "spikecontent.measured"
"""attrs metadata key: the field is read from the file by the loader, never written."""


def _content_file(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    normal = posixpath.normpath(value)
    if value.startswith("/") or "\\" in value or normal.startswith("..") or normal != value:
        raise FieldError(
            attribute.name,
            f"{value!r} is not a plain path inside the content folder",
            "write the path from the content folder with forward slashes, e.g. images/mat.jpg",
        )
    suffix = posixpath.splitext(value)[1].lower()
    if suffix not in IMAGE_TYPES:
        raise FieldError(
            attribute.name,
            f"{value!r} is not a picture every channel can show",
            f"use one of {', '.join(sorted(IMAGE_TYPES))}",
        )


def _measured(**options: Any) -> Any:
    return attrs.field(default=None, metadata={MEASURED: True}, **options)


@attrs.frozen(kw_only=True)
class Image:
    """A picture, as content gives it (``file``, ``alt``) and as the loader measured it."""

    file: str = attrs.field(validator=_content_file)
    """Path from the content folder, e.g. ``images/spikerest-mat.jpg``."""
    alt: str = attrs.field(validator=non_empty_text)
    """What the picture shows, for readers who cannot see it."""
    width: int | None = _measured()
    """Pixels, read from the file."""
    height: int | None = _measured()
    """Pixels, read from the file."""
    digest: str | None = _measured()
    """SHA-256 of the file: a changed picture changes every entry that shows it."""

    @property
    def media_type(self) -> str:
        """The file's media type, from its suffix."""
        return IMAGE_TYPES[posixpath.splitext(self.file)[1].lower()]
