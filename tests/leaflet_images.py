"""Page images of each leaflet preset, for reviewers: ``docs/leaflets/<preset>.png``.

Each image is every page of the seed's leaflet in that preset, side by side (the
tri-fold's outside above its inside), rendered from the real PDF with PDFium. Run
``python -m tests.leaflet_images`` after changing the leaflet's templates; a test fails
while the committed images differ from what the leaflets now look like.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

import spikecontent

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "leaflets"
PRESETS = ("a5", "a4", "letter", "trifold")
SCALE = 0.75  # 54 pixels per inch: the layout is visible, the files stay small
GAP = 12


def leaflet_pdf(preset: str, work: Path) -> Path:
    """The seed's leaflet in ``preset``, exported by the real writer into ``work``."""
    exporters = work / f"exporters-{preset}"
    exporters.mkdir()
    (exporters / "pdf.toml").write_text(f'writer = "pdf"\n[options]\npreset = "{preset}"\n')
    out = work / f"dist-{preset}"
    report = spikecontent.export(REPO / "content", exporters=exporters, out=out, only=["pdf"])
    if not report.ok:
        raise SystemExit(f"the {preset} leaflet did not export: {report.failed}")
    [pdf] = (out / "pdf").glob("*.pdf")
    return pdf


def contact_sheet(pdf: Path, *, stacked: bool) -> bytes:
    """Every page of ``pdf`` on one PNG: in a row, or one above the other when ``stacked``."""
    document = pypdfium2.PdfDocument(str(pdf))
    pages = [page.render(scale=SCALE).to_pil().convert("RGB") for page in document]
    document.close()
    if stacked:
        size = (max(p.width for p in pages), sum(p.height for p in pages) + GAP * (len(pages) - 1))
    else:
        size = (sum(p.width for p in pages) + GAP * (len(pages) - 1), max(p.height for p in pages))
    sheet = Image.new("RGB", size, (200, 204, 202))
    offset = 0
    for page in pages:
        sheet.paste(page, (0, offset) if stacked else (offset, 0))
        offset += (page.height if stacked else page.width) + GAP
    data = io.BytesIO()
    # 64 colours: the leaflet has a handful, plus antialiasing; a third of the bytes.
    sheet.quantize(colors=64, dither=Image.Dither.NONE).save(data, format="PNG", optimize=True)
    return data.getvalue()


def render_all(work: Path) -> dict[str, bytes]:
    """Each preset's page image, by its file name."""
    return {
        f"{preset}.png": contact_sheet(leaflet_pdf(preset, work), stacked=preset == "trifold")
        for preset in PRESETS
    }


def main() -> None:
    """Write every preset's image into ``docs/leaflets/``."""
    work = Path(tempfile.mkdtemp())
    try:
        IMAGES.mkdir(parents=True, exist_ok=True)
        for name, data in render_all(work).items():
            (IMAGES / name).write_bytes(data)
            print(f"wrote {IMAGES / name}", file=sys.stderr)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
