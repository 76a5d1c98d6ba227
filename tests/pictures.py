"""Real picture files for tests, made with Pillow (WeasyPrint's own dependency)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image, ImageCms, PngImagePlugin

__all__ = [
    "MAKE",
    "MERCHANT_OFFER",
    "MERCHANT_PRODUCT",
    "SRGB",
    "TAIL",
    "XMP",
    "bilevel_png",
    "ico",
    "photo",
    "picture",
    "png_chunk",
    "with_icon",
    "with_merchant_listing",
]


def picture(width: int, height: int, kind: str = "PNG", colour: str = "#3f8f76") -> bytes:
    """A ``width`` x ``height`` picture in ``kind`` (PNG, JPEG or WEBP)."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=kind)
    return out.getvalue()


def ico(*sizes: int) -> bytes:
    """An ICO file with a square picture of each of ``sizes``."""
    out = io.BytesIO()
    Image.new("RGBA", (max(sizes), max(sizes)), "#0b5d7a").save(
        out, format="ICO", sizes=[(size, size) for size in sizes]
    )
    return out.getvalue()


def with_icon(content: Path, file: str, data: bytes) -> int:
    """Give ``content`` (a copy) the site icon ``file`` made of ``data``; return the line of
    its ``file`` in site.yaml."""
    (content / file).parent.mkdir(exist_ok=True)
    (content / file).write_bytes(data)
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("\npages:", f"\nicon:\n  file: {file}\npages:", 1), "utf-8")
    return text[: text.index("\npages:")].count("\n") + 3


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: its length, its type, its data and their CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bilevel_png(width: int, height: int) -> bytes:
    """A black ``width`` x ``height`` PNG of one bit a pixel, compressed row by row: a real
    picture of 90 megapixels in 11 KB, made without holding its pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter type 0, then the row's bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


MAKE = "SpikeRest test phone"
"""The camera maker written in :func:`photo`'s EXIF block."""
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">edited by a-private-editor</x:xmpmeta>'
TAIL = b"<html><script>alert('appended after the image')</script></html>"
"""Bytes a file can carry after its end: browsers and decoders never look at them."""
SRGB: bytes = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
"""An ICC colour profile."""


def photo(kind: str = "JPEG", *, orientation: int | None = None, **options: Any) -> bytes:
    """A 64 x 48 picture in ``kind`` (JPEG, PNG or WEBP) of varied pixels, with what a
    phone or an editor leaves in a file: an EXIF block with the camera and a GPS position
    (and ``orientation``), XMP, a comment (JPEG) or text chunks (PNG), an sRGB colour
    profile, and :data:`TAIL` appended after its end. ``options`` go to Pillow's save."""
    ramp = Image.linear_gradient("L").resize((64, 48))
    flipped = Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.FLIP_TOP_BOTTOM
    image = Image.merge("RGB", (ramp, *(ramp.transpose(f) for f in flipped)))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKE
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.6)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    if kind == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "a-private-author")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options.setdefault("pnginfo", text)
    else:
        options.setdefault("xmp", XMP)
    if kind == "JPEG":
        options.setdefault("comment", b"a-private-comment")
    out = io.BytesIO()
    image.save(out, format=kind, exif=exif.tobytes(), icc_profile=SRGB, **options)
    return out.getvalue() + TAIL


# Test data only: a shop that publishes its pictures, shipping and return policy (the
# seed's content gives none of them, and content/ stays without them). The GTIN is made
# on GS1's example company prefix, 0614141; the return fees are left out on purpose, so
# that the export warns about them.
MERCHANT_PRODUCT = """
description: A cotton mat with plastic acupressure points, and a matching pillow.
brand: SpikeRest
sku: SR-MAT-01
gtin: "0614141000012"
image:
  file: images/spikerest-mat.png
  alt: A rolled-out SpikeRest mat with its pillow, seen from above
"""
MERCHANT_OFFER = """
condition: new
availability: in-stock
return_countries: [US]
return_method: by-mail
shipping:
  countries: [US]
  handling_days: {min: 0, max: 1}
  transit_days: {min: 2, max: 5}
"""


def with_merchant_listing(content: Path) -> Path:
    """``content`` (a copy) with pictures, a media URL, and a complete product and offer."""
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "spikerest-mat.png").write_bytes(picture(640, 480))
    (content / "images" / "lead.jpg").write_bytes(picture(1200, 675, "JPEG", "#d8e8e1"))
    site = content / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace(
            "\nlanguage:", "\nmedia_url: https://media.spikerest.example/content/\nlanguage:", 1
        ),
        encoding="utf-8",
    )
    for relative, extra in (
        ("products/spikerest-mat.yaml", MERCHANT_PRODUCT),
        ("offers/spikerest-mat-standard.yaml", MERCHANT_OFFER),
    ):
        path = content / relative
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    article = content / "articles" / "acupressure-mat-benefits.yaml"
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "\nmodified: 2026-07-04",
            "\nimage:\n  file: images/lead.jpg\n  alt: A mat on a wooden floor beside a pillow"
            "\npublished: 2025-11-02\nmodified: 2026-07-04",
            1,
        ),
        encoding="utf-8",
    )
    return content
