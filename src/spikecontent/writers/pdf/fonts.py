"""The leaflet's fonts: named files, never whatever fontconfig would pick.

The families are DejaVu Sans and DejaVu Serif from Debian's ``fonts-dejavu-core`` and
``fonts-dejavu-extra`` (``run.sh`` installs them when missing). Each face is loaded by
``@font-face`` from its file, so a missing file is an error here, not a silent fallback.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from spikecontent.diagnostics import SpikecontentError

__all__ = ["FONT_FACES", "FontMissing", "font_assets", "font_face_css"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

FONT_FACES: tuple[tuple[str, str, str, str], ...] = (
    # family, weight, style, file
    ("Leaflet Sans", "normal", "normal", "DejaVuSans.ttf"),
    ("Leaflet Sans", "bold", "normal", "DejaVuSans-Bold.ttf"),
    ("Leaflet Sans", "normal", "italic", "DejaVuSans-Oblique.ttf"),
    ("Leaflet Sans", "bold", "italic", "DejaVuSans-BoldOblique.ttf"),
    ("Leaflet Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("Leaflet Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
)


class FontMissing(SpikecontentError, FileNotFoundError):
    """A font file the leaflet names is not installed."""


@cache
def font_assets() -> dict[str, tuple[bytes, str]]:
    """Every face as ``fonts/<file>``: its bytes and media type."""
    found: dict[str, tuple[bytes, str]] = {}
    for _family, _weight, _style, file in FONT_FACES:
        path = FONT_DIR / file
        if not path.is_file():
            raise FontMissing(
                f"font file {path} is missing; install the Debian packages fonts-dejavu-core "
                "and fonts-dejavu-extra (./run.sh does)"
            )
        found[f"fonts/{file}"] = (path.read_bytes(), "font/ttf")
    return found


def font_face_css() -> str:
    """``@font-face`` rules for every face."""
    return "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style};'
        f' src: url("asset:fonts/{file}"); }}\n'
        for family, weight, style, file in FONT_FACES
    )
