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

__all__ = ["ICON_TYPES", "IMAGE_TYPES", "MEASURED", "Icon", "Image"]

IMAGE_TYPES: Final = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
"""The picture formats every channel takes (WeasyPrint, browsers, Google Images)."""

ICON_TYPES: Final = {".ico": "image/x-icon", ".png": "image/png"}
"""The formats of a site icon: ICO, which browsers ask for at ``/favicon.ico`` unasked,
and PNG, which every browser takes from ``<link rel="icon">``."""

MEASURED: Final = "spikecontent.measured"
"""attrs metadata key: the field is read from the file by the loader, never written."""


def _content_file(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    _file_of(attribute, value, IMAGE_TYPES, "a picture every channel can show")


def _icon_file(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    _file_of(attribute, value, ICON_TYPES, "an icon browsers take")


def _file_of(attribute: attrs.Attribute[str], value: str, types: dict[str, str], kind: str) -> None:
    normal = posixpath.normpath(value)
    if value.startswith("/") or "\\" in value or normal.startswith("..") or normal != value:
        raise FieldError(
            attribute.name,
            f"{value!r} is not a plain path inside the content folder",
            "write the path from the content folder with forward slashes, e.g. images/mat.jpg",
        )
    suffix = posixpath.splitext(value)[1].lower()
    if suffix not in types:
        raise FieldError(
            attribute.name,
            f"{value!r} is not {kind}",
            f"use one of {', '.join(sorted(types))}",
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


@attrs.frozen(kw_only=True)
class Icon:
    """The site's icon (``site.yaml``'s ``icon``): a file in the content folder, measured
    by the loader as a picture is. It stands for no words (pages name the site in text),
    so it has no ``alt``."""

    file: str = attrs.field(validator=_icon_file)
    """Path from the content folder, e.g. ``images/favicon.ico``: an ``.ico`` or ``.png``."""
    width: int | None = _measured()
    """Pixels, read from the file (an ``.ico``'s largest image)."""
    height: int | None = _measured()
    """Pixels, read from the file (an ``.ico``'s largest image)."""
    digest: str | None = _measured()
    """SHA-256 of the file: a changed icon republishes it."""

    @property
    def media_type(self) -> str:
        """The file's media type, from its suffix."""
        return ICON_TYPES[posixpath.splitext(self.file)[1].lower()]
