"""The committed screenshots of the article page (``docs/pages/``) show the page as the
html writer makes it now, at a phone's width and a desktop's, as the leaflet images are
checked in tests/test_leaflet_layout.py."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.conftest import NEEDS_CHROMIUM, REPO

pytestmark = [pytest.mark.slow, NEEDS_CHROMIUM]


def test_the_committed_screenshots_show_the_article_page_as_it_is(
    browser: Browser, tmp_path: Path
) -> None:
    from PIL import Image, ImageChops

    from tests import page_images

    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    images = page_images.render_all(browser, tmp_path)
    assert set(images) == {"article-phone.png", "article-desktop.png"}
    for name, data in images.items():
        assert f"(pages/{name})" in reference, f"docs/cli.md does not show {name}"
        committed = Image.open(page_images.IMAGES / name).convert("RGB")
        current = Image.open(io.BytesIO(data)).convert("RGB")
        # The viewport's width, and the page's whole height: a longer or shorter page,
        # or one wider than the phone's screen (a horizontal scroll), fails here.
        width = page_images.VIEWPORTS[name.removeprefix("article-").removesuffix(".png")][0]
        assert current.width == width, f"{name}: the page is wider than the viewport"
        assert committed.size == current.size, f"{name}: run python -m tests.page_images"
        changed = ImageChops.difference(committed, current).convert("L").point(lambda v: v > 16)
        share = sum(changed.histogram()[1:]) / (current.width * current.height)
        # Antialiasing may differ by a shade; a moved line or a new section does not.
        assert share < 0.002, f"{name} is out of date: run python -m tests.page_images"
