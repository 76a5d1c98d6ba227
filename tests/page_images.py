"""Screenshots of the seed's article page, for reviewers: ``docs/pages/article-phone.png``
and ``docs/pages/article-desktop.png``.

The page the html writer makes from ``content/`` (self-contained: its stylesheet is
inline, and the seed shows no picture), opened from its file in Debian's headless
Chromium through Playwright, the whole page at a phone's viewport (390 x 844 CSS pixels,
an iPhone 12 to 15) and a laptop's (1280 x 800), at one device pixel per CSS pixel. Run
``python -m tests.page_images`` after changing the page's templates or stylesheet; a slow
test fails while the committed images differ from what the page now looks like.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, sync_playwright

import spikecontent

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "pages"
SLUG = "acupressure-mat-benefits"
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
CHROMIUM = Path("/usr/bin/chromium")


def article_page(work: Path) -> Path:
    """The seed's article page, exported by the real html writer into ``work``."""
    exporters = work / "exporters"
    exporters.mkdir()
    (exporters / "html.toml").write_text('writer = "html"\noutput = "html"\n')
    out = work / "dist"
    report = spikecontent.export(REPO / "content", exporters=exporters, out=out, only=["html"])
    if not report.ok:
        raise SystemExit(f"the pages did not export: {report.failed}")
    return out / "html" / SLUG / "index.html"


def screenshot(browser: Browser, page_file: Path, viewport: tuple[int, int]) -> bytes:
    """The whole page at ``viewport``, as a PNG of at most 64 colours."""
    width, height = viewport
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        color_scheme="light",
        reduced_motion="reduce",
    )
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        shot = page.screenshot(full_page=True, animations="disabled", caret="hide")
    finally:
        context.close()
    picture = Image.open(io.BytesIO(shot)).convert("RGB")
    data = io.BytesIO()
    # 64 colours: the page has a handful, plus antialiasing; a third of the bytes.
    picture.quantize(colors=64, dither=Image.Dither.NONE).save(data, format="PNG", optimize=True)
    return data.getvalue()


def render_all(browser: Browser, work: Path) -> dict[str, bytes]:
    """Each screenshot, by its file name."""
    page_file = article_page(work)
    return {
        f"article-{name}.png": screenshot(browser, page_file, viewport)
        for name, viewport in VIEWPORTS.items()
    }


def main() -> None:
    """Write every screenshot into ``docs/pages/``."""
    work = Path(tempfile.mkdtemp())
    try:
        IMAGES.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            try:
                images = render_all(browser, work)
            finally:
                browser.close()
        for name, data in images.items():
            (IMAGES / name).write_bytes(data)
            print(f"wrote {IMAGES / name}", file=sys.stderr)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
