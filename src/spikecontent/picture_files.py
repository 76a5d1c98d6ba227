"""A picture file's structure, followed without decoding: its metadata dropped.

A phone's photo carries where it was taken (EXIF's GPS block), the camera's serial number,
an editor's history (XMP), captions and comments, and a file can carry any bytes after
its end. :func:`without_metadata` drops all of it and keeps the image data as it is (no
pixel changes) with its colour profile; a file whose structure cannot be followed to its
end (damaged, truncated) raises :class:`PictureError`. The writers publish and embed
pictures through it (``writers/pictures.py``), and the loader checks each picture with it,
so that ``validate`` finds a damaged picture the export would fail on. Standard library
only: it sits below both.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import Final

__all__ = ["ORIENTATION", "PictureError", "orientation_only", "without_metadata"]


# Stripping metadata. Written here rather than taken from a library, as none of those
# looked at does what is needed: Pillow can only decode and encode again (lossy for a
# JPEG, and its PNG reader turns 16-bit colour into 8-bit, so not even lossless there);
# piexif removes EXIF alone and has had no release since 2019; Exiv2 (exiv2, pyexiv2)
# edits the metadata it knows but reads nothing after a JPEG's start of scan (a
# maintainer, in Exiv2 issue 1464), so it would leave an appended tail in place. Each
# filter below walks the file's container (JPEG segments, PNG chunks, RIFF chunks) and
# keeps only what a decoder needs to show the picture as it is: what it does not know is
# dropped, and the compressed image data is copied untouched, never decoded.


class PictureError(ValueError):
    """A picture whose structure cannot be followed to its end."""


def without_metadata(data: bytes, media_type: str) -> bytes:
    """``data``, a picture of ``media_type``, with its metadata and whatever follows its
    end dropped; its image data, its colour profile and what decoders need kept as they
    are. An orientation other than upright is kept, alone, so that the picture shows the
    same way. The same bytes give the same result. Raises :class:`PictureError` for a file
    whose structure cannot be followed (a damaged or truncated one)."""
    if media_type == "image/jpeg":
        return _jpeg(data)
    if media_type == "image/png":
        return _png(data)
    if media_type == "image/webp":
        return _webp(data)
    raise ValueError(f"no metadata filter for {media_type}")


ORIENTATION: Final = 0x0112
"""The EXIF (TIFF) tag of a picture's orientation; 1 is upright, 2 to 8 turn or mirror."""


def _orientation(exif: bytes) -> int:
    """The orientation an EXIF block (TIFF data, after an optional ``Exif\\0\\0``) gives
    its picture: 1 (upright) when it gives none or cannot be read."""
    tiff = exif.removeprefix(b"Exif\x00\x00")
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return 1
    try:
        (first,) = struct.unpack_from(f"{order}I", tiff, 4)
        (count,) = struct.unpack_from(f"{order}H", tiff, first)
        for entry in range(first + 2, first + 2 + 12 * count, 12):
            tag, kind, number, value = struct.unpack_from(f"{order}HHIH", tiff, entry)
            if tag == ORIENTATION and kind == 3 and number == 1:  # one SHORT
                return value if 1 <= value <= 8 else 1
    except struct.error:
        return 1
    return 1


def orientation_only(orientation: int) -> bytes:
    """A TIFF block whose first and only directory holds ``orientation``, nothing else."""
    entry = struct.pack(">HHIHH", ORIENTATION, 3, 1, orientation, 0)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + entry + bytes(4)


# JPEG (ITU-T T.81 with JFIF, Adobe and EXIF/ICC application segments).
_SOI, _EOI, _SOS, _COM = 0xD8, 0xD9, 0xDA, 0xFE
_STANDALONE: Final = frozenset({0x01, *range(0xD0, 0xD8)})
"""Markers without a length: TEM and the restart markers."""


def _jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise PictureError("it does not start as a JPEG file does")
    out = [b"\xff\xd8"]
    end = len(data)
    position = 2
    exif_seen = False
    while True:
        if position >= end:
            raise PictureError("it ends before its end-of-image marker")
        if data[position] != 0xFF:
            raise PictureError(f"no marker where one should be, at byte {position:,}")
        while position < end and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= end:
            raise PictureError("it ends before its end-of-image marker")
        marker = data[position]
        position += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)  # what follows the image is dropped
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if marker in (_SOI, 0x00) or position + 2 > end:
            raise PictureError(f"a misplaced marker {marker:#04x}")
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2 or position + length > end:
            raise PictureError(f"segment {marker:#04x} runs past the end of the file")
        payload = data[position + 2 : position + length]
        position += length
        if 0xE0 <= marker <= 0xEF or marker == _COM:
            kept = _application_segment(marker, payload, exif_seen)
            exif_seen = exif_seen or (marker == 0xE1 and payload.startswith(b"Exif\x00"))
            if kept is not None:
                out.append(struct.pack(">BBH", 0xFF, marker, len(kept) + 2) + kept)
            continue
        out.append(struct.pack(">BBH", 0xFF, marker, length) + payload)
        if marker == _SOS:
            scan = _scan_end(data, position)
            out.append(data[position:scan])
            position = scan


def _application_segment(marker: int, payload: bytes, exif_seen: bool) -> bytes | None:
    """What is kept of an application segment or a comment: the payload to write, or
    None to drop it."""
    if marker == 0xE0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
        # Version, density unit and densities; the thumbnail (a copy of the picture as
        # it was, perhaps before a crop) is dropped.
        return payload[:12] + b"\x00\x00"
    if marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"):
        return payload  # the colour profile, in as many segments as it needs
    if marker == 0xEE and payload.startswith(b"Adobe"):
        return payload  # says how the colour channels were transformed: needed to decode
    if marker == 0xE1 and payload.startswith(b"Exif\x00") and not exif_seen:
        orientation = _orientation(payload[6:])
        return None if orientation == 1 else b"Exif\x00\x00" + orientation_only(orientation)
    # EXIF (with its GPS block and thumbnail), XMP, IPTC (Photoshop's APP13), multi-
    # picture indexes, makers' own segments and comments.
    return None


def _scan_end(data: bytes, position: int) -> int:
    """Where the entropy-coded data that starts at ``position`` ends: at the first marker
    that is neither a stuffed 0xFF nor a restart marker."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise PictureError("it ends before its end-of-image marker")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        elif following == 0xFF:
            position += 1  # a fill byte: the marker comes after
        else:
            return position


# PNG (ISO/IEC 15948, the third edition's chunks included).
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT: Final = frozenset(
    {
        b"IHDR",  # the critical chunks: header, palette, image data, end
        b"PLTE",
        b"IDAT",
        b"IEND",
        b"tRNS",  # transparency
        b"gAMA",  # colour: gamma, chromaticities, sRGB intent, ICC profile, CICP, HDR
        b"cHRM",
        b"sRGB",
        b"iCCP",
        b"cICP",
        b"mDCV",
        b"cLLI",
        b"sBIT",  # significant bits, background colour, pixel aspect
        b"bKGD",
        b"pHYs",
        b"acTL",  # animation (APNG)
        b"fcTL",
        b"fdAT",
    }
)
"""The chunks kept. Text (tEXt, zTXt, iTXt: author, software, comments, XMP), eXIf, tIME
and every other chunk are dropped."""


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise PictureError("it does not start as a PNG file does")
    out = [_PNG_SIGNATURE]
    position = len(_PNG_SIGNATURE)
    exif_seen = False
    while True:
        if position + 12 > len(data):
            raise PictureError("it ends before its IEND chunk")
        (length,) = struct.unpack_from(">I", data, position)
        kind = data[position + 4 : position + 8]
        following = position + 12 + length
        if length > 0x7FFFFFFF or following > len(data):
            raise PictureError(f"chunk {kind!r} runs past the end of the file")
        if kind in _PNG_KEPT:
            out.append(data[position:following])
        elif kind == b"eXIf" and not exif_seen:
            exif_seen = True
            orientation = _orientation(data[position + 8 : following - 4])
            if orientation != 1:
                tiff = orientation_only(orientation)
                crc = zlib.crc32(b"eXIf" + tiff)
                out.append(struct.pack(">I", len(tiff)) + b"eXIf" + tiff + struct.pack(">I", crc))
        position = following
        if kind == b"IEND":
            return b"".join(out)  # what follows the image is dropped


# WebP (RIFF; Google's "WebP Container Specification").
_WEBP_KEPT: Final = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
"""The chunks kept: the image data, its alpha, its animation and its colour profile."""
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04
_ANMF_HEADER: Final = 16
"""The bytes of an animation frame before its own chunks."""


def _webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise PictureError("it does not start as a WebP file does")
    (size,) = struct.unpack_from("<I", data, 4)
    if 8 + size > len(data):
        raise PictureError("it ends before the end its header gives")
    chunks: list[tuple[bytes, bytes]] = []
    orientation = 1
    exif_seen = False
    for kind, payload in _riff_chunks(data, 12, 8 + size):
        if kind == b"EXIF" and not exif_seen:
            exif_seen = True
            orientation = _orientation(payload)
            if orientation != 1:
                chunks.append((kind, orientation_only(orientation)))
        elif kind == b"ANMF":
            frame = payload[_ANMF_HEADER:]
            kept = [(k, p) for k, p in _riff_chunks(frame, 0, len(frame)) if k in _WEBP_KEPT]
            chunks.append((kind, payload[:_ANMF_HEADER] + _riff(kept)))
        elif kind in _WEBP_KEPT:
            chunks.append((kind, payload))
    if chunks and chunks[0][0] == b"VP8X":
        if len(chunks[0][1]) < 10:
            raise PictureError("its extended header is too short")
        flags = chunks[0][1][0] & ~_VP8X_XMP
        if orientation == 1:
            flags &= ~_VP8X_EXIF
        chunks[0] = (b"VP8X", bytes((flags,)) + chunks[0][1][1:])
    body = b"WEBP" + _riff(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body  # what follows is dropped


def _riff_chunks(data: bytes, position: int, end: int) -> Iterator[tuple[bytes, bytes]]:
    while position < end:
        if position + 8 > end:
            raise PictureError("a chunk runs past the end of the file")
        kind = data[position : position + 4]
        (length,) = struct.unpack_from("<I", data, position + 4)
        if position + 8 + length > end:
            raise PictureError(f"chunk {kind!r} runs past the end of the file")
        yield kind, data[position + 8 : position + 8 + length]
        position += 8 + length + (length & 1)  # chunks are padded to an even length


def _riff(chunks: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(
        kind + struct.pack("<I", len(payload)) + payload + b"\x00" * (len(payload) & 1)
        for kind, payload in chunks
    )
