"""The site icon (``site.yaml``'s ``icon``): read and bounded by the loader as pictures
are, linked from every page's head, served at ``/favicon.ico`` when it is an ICO and
published at ``media_url`` when it is a PNG. No icon is in ``content/``: these tests make
their own."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from PIL import Image

import spikecontent
from spikecontent import ContentError
from tests.conftest import SLUG, Project
from tests.pictures import ico, picture, with_icon, with_merchant_listing
from tests.vnu import NEEDS_VNU, vnu_errors

XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "https://www.spikerest.example/"
MEDIA_URL = "https://media.spikerest.example/content/"


def icon_links(page: Path) -> list[dict[str, str]]:
    tree = html5lib.parse(page.read_bytes())
    return [dict(link.attrib) for link in tree.iter(f"{XHTML}link") if link.get("rel") == "icon"]


def pages(project: Project) -> list[Path]:
    html = project.out / "html"
    return [html / SLUG / "index.html", html / "index.html", html / "404.html"]


def test_an_ico_icon_is_served_as_favicon_ico_and_linked_from_every_page(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    data = ico(16, 32, 48)
    with_icon(project.content, "images/favicon.ico", data)
    icon = spikecontent.load(project.content).site.icon
    assert icon is not None
    assert (icon.width, icon.height, icon.media_type) == (48, 48, "image/x-icon")
    assert project.export(only=["html", "media"]).ok
    # Where browsers ask for it unasked, byte for byte.
    assert (project.out / "html" / "favicon.ico").read_bytes() == data
    for page in pages(project):
        assert icon_links(page) == [
            {"rel": "icon", "type": "image/x-icon", "href": f"{BASE}favicon.ico"}
        ], page
    # A changed icon is copied again; the pages, which name it by URL only, stay.
    changed = ico(16, 32)
    (project.content / "images" / "favicon.ico").write_bytes(changed)
    report = project.export(only=["html", "media"])
    assert report.ok
    assert "html/favicon.ico" in report.written
    assert (project.out / "html" / "favicon.ico").read_bytes() == changed


def test_a_png_icon_is_published_at_the_media_url_and_linked_with_its_size(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path)
    with_merchant_listing(project.content)  # gives the site its media_url
    with_icon(project.content, "images/icon.png", picture(192, 192))
    assert project.export(only=["html", "media"]).ok
    assert not (project.out / "html" / "favicon.ico").exists()
    published = project.out / "media" / "images" / "icon.png"
    with Image.open(published) as opened:
        assert opened.size == (192, 192)
    for page in pages(project):
        assert icon_links(page) == [
            {
                "rel": "icon",
                "type": "image/png",
                "sizes": "192x192",
                "href": f"{MEDIA_URL}images/icon.png",
            }
        ], page


def test_without_an_icon_no_page_links_one(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["html"]).ok
    assert not (project.out / "html" / "favicon.ico").exists()
    for page in pages(project):
        assert icon_links(page) == []


@pytest.mark.parametrize(
    ("file", "data", "message"),
    [
        ("images/icon.gif", b"GIF89a", "'images/icon.gif' is not an icon browsers take"),
        ("images/icon.ico", picture(32, 32), "'images/icon.ico' is not an ICO file inside"),
        ("images/icon.png", picture(32, 32), "the icon 'images/icon.png' is a PNG"),
    ],
)
def test_icon_mistakes_are_reported_where_the_icon_is_written(
    tmp_path: Path, file: str, data: bytes, message: str
) -> None:
    project = Project(tmp_path)  # the seed's site.yaml has no media_url
    line = with_icon(project.content, file, data)
    with pytest.raises(ContentError) as raised:
        spikecontent.load(project.content)
    (diagnostic,) = raised.value.diagnostics
    assert Path(diagnostic.file).name == "site.yaml"
    assert diagnostic.field.startswith("icon")
    assert diagnostic.line in (line - 1, line)
    assert message in diagnostic.message


@pytest.mark.slow
@NEEDS_VNU
@pytest.mark.parametrize(
    ("file", "data"), [("images/favicon.ico", ico(16, 32)), ("images/icon.png", picture(64, 64))]
)
def test_pages_linking_the_icon_stay_valid(tmp_path: Path, file: str, data: bytes) -> None:
    project = Project(tmp_path)
    with_merchant_listing(project.content)
    with_icon(project.content, file, data)
    assert project.export(only=["html", "media"]).ok
    assert vnu_errors(pages(project)) == []
