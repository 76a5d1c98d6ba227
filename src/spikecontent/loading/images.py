"""Pictures named by content: each file read once, its format checked, its pixel size and
digest measured into the entity, its bytes kept for the channels that embed it.

The pixel size is read from the file's header and never decoded; a picture over
:data:`MAX_IMAGE_PIXELS` is refused here, so that no channel decodes a decompression bomb
(a 900-megapixel PNG of 875 KB would take gigabytes to decode).

The model stays free of files: an :class:`~spikecontent.model.Image` arrives with ``file``
and ``alt`` only, and leaves here measured (or as a finding at its ``file:line:col``).
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final

import attrs

from spikecontent.diagnostics import unreadable
from spikecontent.loading.findings import Anchor, Finding
from spikecontent.model.fields import FieldPath
from spikecontent.model.media import ICON_TYPES, IMAGE_TYPES, MEASURED, Icon, Image
from spikecontent.model.walk import instances
from spikecontent.picture_files import PictureError, without_metadata

__all__ = ["MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "Measured", "measure_images"]

MAX_IMAGE_BYTES: Final = 20 << 20
"""A larger picture is a mistake (a camera original): leaflets and pages would carry it."""

MAX_IMAGE_PIXELS: Final = 1024 * 1024 * 1024 // 4 // 3
"""Pillow's decompression-bomb bound (``PIL.Image.MAX_IMAGE_PIXELS``, 89,478,485 pixels,
about 256 MiB decoded at 24 bits a pixel): a picture over it is refused, as Pillow (which
WeasyPrint decodes leaflet pictures with) warns past it and refuses past twice it. Written
out rather than read from Pillow, whose value any imported code may change."""

# The first bytes of each format (its "magic number"). imagesize reads sizes from many
# formats but does not say which one it read, so a PNG saved as .jpg would pass unseen.
_SIGNATURES: Final[dict[str, Callable[[bytes], bool]]] = {
    "image/png": lambda data: data.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda data: data.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda data: data.startswith(b"RIFF") and data[8:12] == b"WEBP",
    "image/x-icon": lambda data: data.startswith(b"\x00\x00\x01\x00"),
}

_FORMAT_NAMES: Final = {
    "image/png": "a PNG",
    "image/jpeg": "a JPEG",
    "image/webp": "a WEBP",
    "image/x-icon": "an ICO",
}


@attrs.frozen(kw_only=True)
class Measured:
    """An entity with its pictures measured, the problems found, and the pictures' bytes."""

    entity: Any
    findings: tuple[Finding, ...]
    files: dict[str, bytes]
    """The picture bytes by content path."""
    unread: frozenset[str]
    """The pictures that could not be read (each has a finding)."""


def measure_images(entity: Any, root: Path) -> Measured:
    """``entity`` with every picture it shows measured from the files under ``root``."""
    findings: list[Finding] = []
    files: dict[str, bytes] = {}
    unread: set[str] = set()
    pictures: list[tuple[FieldPath, Image | Icon]] = [*instances(entity, Image)]
    pictures += instances(entity, Icon)  # site.yaml's icon, read and bounded alike
    for path, image in pictures:
        findings.extend(_written_measures(path, image))
        data, problem = _read(root, image.file)
        if problem is not None:
            findings.append(Finding(path=(*path, "file"), message=problem[0], fix=problem[1]))
            unread.add(image.file)
            continue
        assert data is not None
        # The header only, never the pixels. Not Pillow: its WebP reader allocates the
        # whole canvas when it opens a file, and Image.open warns past its own bound.
        if image.media_type == "image/x-icon":
            width, height = _icon_size(data)
        else:
            # Here, not at the top: a load from the cache measures no picture, and
            # importing the reader (urllib among it) cost 0.03-0.04 s of each new process.
            import imagesize

            width, height = imagesize.get(io.BytesIO(data))
        problem = _unusable(image, data, width, height)
        if problem is not None:
            unread.add(image.file)
            findings.append(Finding(path=(*path, "file"), message=problem[0], fix=problem[1]))
            continue
        files[image.file] = data
        measured = attrs.evolve(
            image, width=width, height=height, digest=hashlib.sha256(data).hexdigest()
        )
        entity = _replaced(entity, path, measured)
    return Measured(entity=entity, findings=tuple(findings), files=files, unread=frozenset(unread))


def _unusable(image: Image | Icon, data: bytes, width: int, height: int) -> tuple[str, str] | None:
    """Why a picture read from its file cannot be published (message, fix), or None."""
    if width <= 0 or height <= 0:
        return (
            f"cannot read the picture size of {image.file!r}",
            "save the picture again from an image editor (the file may be damaged)",
        )
    if width * height > MAX_IMAGE_PIXELS:
        return (
            f"{image.file!r} is {width:,} x {height:,} pixels, over the limit of "
            f"{MAX_IMAGE_PIXELS:,} pixels (about {MAX_IMAGE_PIXELS / 1e6:.1f} megapixels)",
            "export it smaller; 2,000 pixels wide is plenty, and every channel that shows a"
            " picture this large takes hundreds of megabytes to decode it",
        )
    damage = _damage(data, image.media_type)
    if damage is not None:
        return (
            f"{image.file!r} is damaged: {damage}",
            "save the picture again from an image editor (the file may be cut short)",
        )
    return None


def _damage(data: bytes, media_type: str) -> str | None:
    """Why a picture's structure cannot be followed to its end, as the channels that
    publish it will follow it (:mod:`spikecontent.picture_files`); None when it can, or
    when no channel follows its kind (an .ico file is copied as it is)."""
    if media_type not in _FOLLOWED:
        return None
    try:
        without_metadata(data, media_type)
    except PictureError as error:
        return str(error)
    return None


_FOLLOWED: Final = frozenset({"image/jpeg", "image/png", "image/webp"})


def _icon_size(data: bytes) -> tuple[int, int]:
    """The largest image an ICO file's directory names (0 in a size byte is 256 pixels);
    ``(-1, -1)`` when the directory cannot be read."""
    try:
        (count,) = struct.unpack_from("<H", data, 4)
        sizes = [
            (data[6 + 16 * index] or 256, data[7 + 16 * index] or 256) for index in range(count)
        ]
    except (struct.error, IndexError):
        return -1, -1
    return max(sizes, key=lambda size: size[0] * size[1], default=(-1, -1))


def _written_measures(path: FieldPath, image: Image | Icon) -> Iterator[Finding]:
    for field in attrs.fields(type(image)):
        if field.metadata.get(MEASURED) and getattr(image, field.name) is not None:
            yield Finding(
                path=(*path, field.name),
                message=f"{field.name} is read from the picture file",
                fix=f"remove {field.name}: it is measured from the file on every load",
                anchor=Anchor.KEY,
            )


def _read(root: Path, file: str) -> tuple[bytes | None, tuple[str, str] | None]:
    path = root / file
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError) as error:  # 3.11 raises RuntimeError for a link loop
        return None, unreadable(error, file)
    if not inside:
        return None, (
            f"{file!r} leads outside the content folder",
            "copy the picture into the content folder instead of linking to it",
        )
    if not path.is_file():
        near = sorted(p.name for p in path.parent.glob("*") if p.is_file())[:5]
        listed = f" (that folder has {', '.join(near)})" if near else ""
        return None, (
            f"no picture at {file!r}{listed}",
            "put the file there, or correct the path (from the content folder)",
        )
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return None, (
                f"{file!r} is {size / (1 << 20):.0f} MiB",
                f"export it smaller (at most {MAX_IMAGE_BYTES >> 20} MiB; 2,000 pixels wide is "
                "plenty)",
            )
        data = path.read_bytes()
    except OSError as error:
        return None, unreadable(error, file)
    media_type = {**IMAGE_TYPES, **ICON_TYPES}[path.suffix.lower()]
    if not _SIGNATURES[media_type](data):
        return None, (
            f"{file!r} is not {_FORMAT_NAMES[media_type]} file inside",
            "save it in the format its name says, or rename it to its real format",
        )
    return data, None


def _replaced(obj: Any, path: FieldPath, value: Any) -> Any:
    """``obj`` with the value at ``path`` replaced (frozen classes and tuples rebuilt)."""
    if not path:
        return value
    head, *rest = path
    if isinstance(obj, tuple):
        assert isinstance(head, int)
        return (*obj[:head], _replaced(obj[head], tuple(rest), value), *obj[head + 1 :])
    assert isinstance(head, str)
    return attrs.evolve(obj, **{head: _replaced(getattr(obj, head), tuple(rest), value)})
