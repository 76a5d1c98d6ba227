"""Pictures as the channels publish them: without their metadata, and in smaller copies.

:func:`without_metadata` (from :mod:`spikecontent.picture_files`, which the loader checks
pictures with too) drops a picture's metadata and keeps its image data as it is. The
``media`` writer publishes pictures through it, and the ``pdf`` writer embeds them
through it.

:func:`variants` names the smaller copies of a picture the web pages offer browsers
(``srcset``): at :data:`WIDTHS` capped at the picture's own width, each in the picture's
format and in WebP. :func:`variant_bytes` makes one. The ``media`` writer publishes them,
the ``html`` writer names them, and JSON-LD names the largest (:func:`largest`), each
from the measured picture alone, so the three agree without reading each other's output.
"""

from __future__ import annotations

import io
import posixpath
from typing import TYPE_CHECKING, Final

import attrs

from spikecontent.model.media import Image
from spikecontent.picture_files import (
    ORIENTATION,
    PictureError,
    orientation_only,
    without_metadata,
)

if TYPE_CHECKING:
    from PIL.Image import Image as PillowImage

__all__ = [
    "WIDTHS",
    "PictureError",
    "Variant",
    "largest",
    "variant_bytes",
    "variants",
    "without_metadata",
]


# Variants: the smaller copies the web pages offer browsers.
#
# Made with Pillow, not pyvips: Pillow is already installed and pinned for WeasyPrint
# (which decodes the leaflet's pictures with it), its wheels carry libjpeg-turbo, zlib
# and libwebp, so WebP needs no system library, while pyvips needs libvips from the
# system (a second, unpinned version of every codec). Its encoders give the same bytes
# for the same pixels and options (no timestamp in JPEG, PNG or WebP), and every option
# that changes the bytes is written out below rather than left to Pillow's defaults, so
# only a change of the pinned Pillow can change a variant.

WIDTHS: Final = (480, 960, 1600)
"""The widths offered, capped at the picture's own: a phone, a tablet or a phone at 2x,
a desktop page's column at 2x (the page's column is 41.5rem, 664 CSS pixels)."""
_WEBP: Final = "image/webp"
_SUFFIX: Final = {"image/jpeg": ".jpg", "image/png": ".png", _WEBP: ".webp"}
_FORMAT: Final = {"image/jpeg": "JPEG", "image/png": "PNG", _WEBP: "WEBP"}


@attrs.frozen(kw_only=True)
class Variant:
    """A copy of a picture at one width in one format, as published by the ``media``
    writer beside the picture."""

    file: str
    """Its path from the content folder: ``images/lead-480w.webp`` for ``images/lead.jpg``."""
    source: str
    """The picture it is made from (``images/lead.jpg``)."""
    width: int
    height: int
    media_type: str


def variants(image: Image) -> tuple[Variant, ...]:
    """Every variant of the measured ``image``: in its own format by width, then in WebP
    by width (one format for a WebP picture). None for an unmeasured picture."""
    if image.width is None or image.height is None:
        return ()
    widths = sorted({min(width, image.width) for width in WIDTHS})
    stem, suffix = posixpath.splitext(image.file)
    formats = dict.fromkeys((image.media_type, _WEBP))
    return tuple(
        Variant(
            file=f"{stem}-{width}w{suffix if kind == image.media_type else _SUFFIX[kind]}",
            source=image.file,
            width=width,
            height=max(1, round(image.height * width / image.width)),
            media_type=kind,
        )
        for kind in formats
        for width in widths
    )


def largest(image: Image) -> Variant | None:
    """The widest variant in the picture's own format: the one JSON-LD, Open Graph and
    the sitemap name (every consumer reads the original's format; not all read WebP)."""
    own = [v for v in variants(image) if v.media_type == image.media_type]
    return own[-1] if own else None


def variant_bytes(data: bytes, image: Image, variant: Variant) -> bytes:
    """``variant`` of ``image``, whose file holds ``data``. At the picture's own width and
    format it is the picture without its metadata (no second encoding loses anything);
    else the picture's first frame scaled with Lanczos and encoded with fixed options,
    keeping its colour profile and, when it is not upright, its orientation (as
    :func:`without_metadata` does, so that the copy shows the way the picture does).
    Raises :class:`PictureError` for a picture Pillow cannot decode."""
    # The file's structure is checked first, whatever Pillow would decode: WeasyPrint sets
    # Pillow's process-wide LOAD_TRUNCATED_IMAGES, under which a cut-off picture decodes.
    stripped = without_metadata(data, image.media_type)
    if variant.width == image.width and variant.media_type == image.media_type:
        return stripped
    from PIL import Image as Pillow  # imported by the writers that make variants only

    try:
        with Pillow.open(io.BytesIO(data)) as opened:
            profile = opened.info.get("icc_profile")
            exif = opened.getexif()
            picture = _plain(opened)
            picture = picture.resize((variant.width, variant.height), Pillow.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError) as problem:
        raise PictureError(f"Pillow cannot decode it ({problem})") from None
    picture.info = {}
    options: dict[str, object] = {}
    if isinstance(profile, bytes) and profile:
        options["icc_profile"] = profile
    orientation = exif.get(ORIENTATION, 1)
    if isinstance(orientation, int) and 2 <= orientation <= 8:
        options["exif"] = b"Exif\x00\x00" + orientation_only(orientation)
    if variant.media_type == "image/jpeg":
        if picture.mode not in ("L", "RGB", "CMYK"):
            picture = picture.convert("RGB")
        options |= {"quality": 82, "optimize": True, "progressive": False, "subsampling": 2}
    elif variant.media_type == "image/png":
        options |= {"optimize": True, "compress_level": 9}
    else:
        if picture.mode not in ("RGB", "RGBA"):
            has_alpha = picture.mode in ("LA", "RGBA", "PA") or "A" in picture.getbands()
            picture = picture.convert("RGBA" if has_alpha else "RGB")
        lossless = image.media_type == "image/png"  # drawings and screenshots stay exact
        options |= {"lossless": lossless, "quality": 100 if lossless else 80, "method": 6}
        options |= {"exact": False, "alpha_quality": 100}
    out = io.BytesIO()
    picture.save(out, format=_FORMAT[variant.media_type], **options)
    return out.getvalue()


def _plain(picture: PillowImage) -> PillowImage:
    """``picture``'s first frame in a mode Pillow scales and every format encodes: a
    palette picture in RGB (RGBA with transparency), one bit in grey, 16-bit grey in
    8-bit grey (its high byte)."""
    mode = picture.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return picture.copy()
    if mode == "P":
        return picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    if mode == "PA":
        return picture.convert("RGBA")
    if mode == "1":
        return picture.convert("L")
    if mode.startswith("I"):
        return picture.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    return picture.convert("RGB")
