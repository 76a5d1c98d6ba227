"""The media writer publishes the pictures the other channels link: every picture URL in
the JSON-LD and the delivery documents resolves to a file under ``dist/media/``, served
as it is by nginx; each picture without its metadata (EXIF, GPS, XMP, comments, bytes
after its end), pixels and colour profile untouched, unless the profile keeps it."""

from __future__ import annotations

import io
import json
import struct
from pathlib import Path

import httpx
import pytest
from PIL import ExifTags, Image

from spikecontent import ContentError
from spikecontent.writers.media import without_metadata
from spikecontent.writers.readback import json_strings
from tests.conftest import ARTICLE, SLUG, Project, pdf_profile
from tests.pictures import (
    MAKE,
    SRGB,
    TAIL,
    XMP,
    photo,
    picture,
    png_chunk,
    with_merchant_listing,
)
from tests.servers import NGINX, Nginx

MEDIA_URL = "https://media.spikerest.example/content/"
"""The media URL tests.pictures gives the site."""
ONLY = ["media", "jsonld", "json"]


@pytest.fixture
def shop(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    with_merchant_listing(project.content)
    return project


@pytest.fixture(scope="module")
def exported_shop(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A ``shop`` exported through ``ONLY`` once, for the tests that only read it."""
    project = Project(tmp_path_factory.mktemp("shop"))
    with_merchant_listing(project.content)
    assert project.export(only=ONLY).ok
    return project


def _published(project: Project) -> dict[str, bytes]:
    media = project.out / "media"
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def _linked_pictures(project: Project, *writers: str) -> set[str]:
    """The picture files the JSON-LD and the delivery document (or those of ``writers``)
    link, by their path under the media URL."""
    paths = {"jsonld": f"jsonld/{SLUG}.jsonld", "json": f"json/articles/{SLUG}.json"}
    documents = [project.out / paths[writer] for writer in writers or paths]
    return {
        text.removeprefix(MEDIA_URL)
        for document in documents
        for text in json_strings(json.loads(document.read_bytes()))
        if text.startswith(MEDIA_URL)
    }


def test_every_linked_picture_is_published(exported_shop: Project) -> None:
    published = _published(exported_shop)
    images = exported_shop.content / "images"
    # Pictures without metadata are published byte for byte, each with its variants.
    originals = {
        "images/lead.jpg": (images / "lead.jpg").read_bytes(),
        "images/spikerest-mat.png": (images / "spikerest-mat.png").read_bytes(),
    }
    assert {k: v for k, v in published.items() if k in originals} == originals
    # The article's lead picture and its offer's product picture (reached through the
    # offer): each URL the channels give is a published file. The delivery document
    # inlines the offer with its product, and gives every picture its own URL; the
    # JSON-LD gives each picture's widest variant in its own format.
    assert _linked_pictures(exported_shop) <= set(published)
    assert _linked_pictures(exported_shop, "json") == set(originals)
    assert _linked_pictures(exported_shop, "jsonld") == {
        "images/lead-1200w.jpg",
        "images/spikerest-mat-640w.png",
    }


def test_a_picture_only_a_draft_shows_is_published_only_with_drafts(shop: Project) -> None:
    shop.with_article("draft-article", title="Draft")
    shop.edit("articles/draft-article.yaml", "status: published", "status: draft")
    shop.edit("articles/draft-article.yaml", "images/lead.jpg", "images/draft.jpg")
    (shop.content / "images" / "draft.jpg").write_bytes(picture(800, 450, "JPEG"))
    assert shop.export(only=["media"]).ok
    assert "images/draft.jpg" not in _published(shop)

    shop.profile("media", 'writer = "media"\noutput = "media"\ndrafts = true\n')
    assert shop.export(only=["media"]).ok
    assert "images/draft.jpg" in _published(shop)


def test_a_changed_picture_is_published_again_and_a_dropped_one_removed(shop: Project) -> None:
    assert shop.export(only=["media"]).ok
    changed = picture(800, 600, "JPEG")
    (shop.content / "images" / "lead.jpg").write_bytes(changed)
    report = shop.export(only=["media"])
    assert report.ok
    # The picture and its variants, at its new widths (1200 is gone, 800 is new), and
    # nothing of the product's picture.
    assert set(report.written) == {
        "media/images/lead.jpg",
        *(f"media/images/lead-{w}w.{kind}" for w in (480, 800) for kind in ("jpg", "webp")),
    }
    assert _published(shop)["images/lead.jpg"] == changed
    assert "images/lead-1200w.jpg" not in _published(shop)

    lead = "\nimage:\n  file: images/lead.jpg\n  alt: A mat on a wooden floor beside a pillow"
    shop.edit(f"articles/{SLUG}.yaml", lead, "")
    assert shop.export(only=["media"]).ok
    assert set(_published(shop)) == {
        "images/spikerest-mat.png",
        *(f"images/spikerest-mat-{w}w.{kind}" for w in (480, 640) for kind in ("png", "webp")),
    }


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed")
def test_nginx_serves_the_published_pictures_with_their_types(exported_shop: Project) -> None:
    with Nginx("", exported_shop.root / "nginx", static=exported_shop.out) as url:
        for path, kind in (
            ("images/lead.jpg", "image/jpeg"),
            ("images/spikerest-mat.png", "image/png"),
        ):
            answer = httpx.get(f"{url}/media/{path}")
            assert answer.status_code == 200
            assert answer.headers["content-type"] == kind
            assert answer.content == (exported_shop.content / path).read_bytes()


def test_without_pictures_nothing_is_published(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.export(only=["media"]).ok
    assert _published(project) == {}


def _metadata(data: bytes) -> dict[str, object]:
    """What Pillow reads from ``data`` beyond its pixels: EXIF tags, GPS tags, and the
    other entries of ``info`` (XMP, comments, text chunks), not what decoders use."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        info = {k: v for k, v in image.info.items() if k not in _DECODING_INFO}
        return {
            "exif": dict(exif),
            "gps": dict(exif.get_ifd(ExifTags.IFD.GPSInfo)),
            **info,
        }


_DECODING_INFO = {
    *("icc_profile", "dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density"),
    *("progression", "progressive", "background", "loop"),
    "exif",
}
"""What Pillow reports that decoders use (the colour profile, JFIF's header, a scan's
kind, WebP's canvas), and the raw EXIF block (read through ``getexif``)."""


def _pixels(data: bytes) -> tuple[str, tuple[int, int], bytes]:
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.size, image.tobytes()


def test_published_pictures_carry_no_metadata_and_nothing_after_their_end(
    shop: Project,
) -> None:
    # A phone's photo: EXIF with the camera and a GPS position, XMP, a comment, a colour
    # profile, and an HTML tail appended after the image. The product's PNG: text
    # chunks, XMP, eXIf with GPS, and the same tail.
    images = shop.content / "images"
    (images / "lead.jpg").write_bytes(photo("JPEG"))
    (images / "spikerest-mat.png").write_bytes(photo("PNG"))
    for original in (images / "lead.jpg", images / "spikerest-mat.png"):
        assert _metadata(original.read_bytes())["gps"]  # there to be removed

    assert shop.export(only=["media"]).ok
    published = _published(shop)
    for file, data in published.items():
        # The pictures and their variants (a copy at their own 64 pixels, and in WebP).
        assert _metadata(data) == {"exif": {}, "gps": {}}, file
        for private in (TAIL, MAKE.encode(), XMP, b"a-private-"):
            assert private not in data, (file, private)
        with Image.open(io.BytesIO(data)) as image:
            assert image.info["icc_profile"] == SRGB, file
        source = images / file.removeprefix("images/")
        if source.exists():  # the same image data, decoded
            assert _pixels(data) == _pixels(source.read_bytes()), file
    # Deterministic: a second export from nothing writes the same bytes.
    assert shop.export(only=["media"], out="again").ok
    again = shop.root / "again" / "media"
    assert {f: (again / f).read_bytes() for f in published} == published


def test_keep_metadata_publishes_pictures_byte_for_byte(shop: Project) -> None:
    lead = shop.content / "images" / "lead.jpg"
    lead.write_bytes(photo("JPEG"))
    assert shop.export(only=["media"]).ok
    assert _published(shop)["images/lead.jpg"] != lead.read_bytes()
    profile = shop.exporters / "media.toml"
    text = profile.read_text(encoding="utf-8")
    kept = text.replace("keep_metadata = false", "keep_metadata = true")
    profile.write_text(kept, encoding="utf-8")
    assert shop.export(only=["media"]).ok
    assert _published(shop)["images/lead.jpg"] == lead.read_bytes()
    assert _metadata(lead.read_bytes())["gps"]


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("JPEG", {}),
        ("JPEG", {"progressive": True}),
        ("JPEG", {"restart_marker_rows": 1}),  # restart markers inside the scan
        ("PNG", {}),
        ("WEBP", {"lossless": True}),
        ("WEBP", {"quality": 80}),
    ],
)
def test_each_format_loses_its_metadata_and_keeps_its_pixels_and_orientation(
    kind: str, options: dict[str, object]
) -> None:
    original = photo(kind, orientation=6, **options)
    media_type = f"image/{kind.lower()}"
    stripped = without_metadata(original, media_type)
    # Only the orientation stays, alone, so that the picture shows the same way up.
    assert _metadata(stripped) == {"exif": {ExifTags.Base.Orientation: 6}, "gps": {}}
    assert TAIL not in stripped
    assert MAKE.encode() not in stripped
    assert _pixels(stripped) == _pixels(original)
    assert without_metadata(stripped, media_type) == stripped
    upright = without_metadata(photo(kind, orientation=1, **options), media_type)
    assert _metadata(upright) == {"exif": {}, "gps": {}}


def test_a_16_bit_png_keeps_every_bit() -> None:
    # The image data is copied, never decoded: a 16-bit PNG keeps its 16 bits (decoded
    # and encoded again by Pillow, a 16-bit colour one would come out with 8 a channel).
    levels = struct.pack("<3072H", *(n * 21 for n in range(3072)))
    out = io.BytesIO()
    Image.frombytes("I;16", (64, 48), levels).save(out, "PNG")
    deep = out.getvalue()
    assert deep[24:26] == b"\x10\x00"  # 16 bits, grey
    tagged = deep[:-12] + png_chunk(b"tEXt", b"Author\x00a-private-author") + deep[-12:] + TAIL
    stripped = without_metadata(tagged, "image/png")
    assert stripped == deep
    assert _pixels(stripped)[2] == levels


def test_a_picture_that_cannot_be_followed_to_its_end_is_an_error_at_its_place(
    shop: Project,
) -> None:
    lead = shop.content / "images" / "lead.jpg"
    lead.write_bytes(photo("JPEG").removesuffix(TAIL)[:-200])  # cut inside its image data
    line = shop.edit(ARTICLE, "  file: images/lead.jpg", "  file: images/lead.jpg")
    # The loader follows the picture as the channels will: refused before anything is
    # rendered (validate says it too), at the picture's place, and nothing is written.
    with pytest.raises(ContentError) as raised:
        shop.export(only=["media"])
    [problem] = raised.value.diagnostics
    assert problem.file.endswith(ARTICLE)
    assert (problem.line, problem.field) == (line, "image.file")
    assert "'images/lead.jpg' is damaged: it ends before its end-of-image marker" in (
        problem.message
    )
    assert not shop.out.exists()


def test_the_leaflet_embeds_pictures_without_their_metadata(shop: Project) -> None:
    """WeasyPrint keeps a JPEG's compressed stream as it is, comment included: the pdf
    writer embeds pictures through the same filter the media writer publishes them by."""
    import pikepdf

    images = shop.content / "images"
    (images / "lead.jpg").write_bytes(photo("JPEG"))
    (images / "spikerest-mat.png").write_bytes(photo("PNG"))
    leaflet = pdf_profile(shop).exported("pdf", only=["pdf"]) / f"{SLUG}.pdf"
    embedded = []
    with pikepdf.open(leaflet) as pdf:
        for page in pdf.pages:
            for image in page.get_images().values():
                embedded.append(image.read_raw_bytes())
    assert embedded  # the lead picture at least
    for data in embedded:
        for private in (TAIL, MAKE.encode(), XMP, b"a-private-"):
            assert private not in data


def test_each_picture_is_published_in_its_widths_and_in_webp(shop: Project) -> None:
    (shop.content / "images" / "lead.jpg").write_bytes(picture(2000, 1000, "JPEG"))
    assert shop.export(only=["media"]).ok
    published = _published(shop)
    found = {}
    for path, data in published.items():
        with Image.open(io.BytesIO(data)) as opened:
            found[path] = (opened.format, opened.size)
    # 480, 960 and 1600 of a 2000-pixel picture; 480 and the 640 it is of a 640-pixel one.
    assert found == {
        "images/lead.jpg": ("JPEG", (2000, 1000)),
        "images/lead-480w.jpg": ("JPEG", (480, 240)),
        "images/lead-960w.jpg": ("JPEG", (960, 480)),
        "images/lead-1600w.jpg": ("JPEG", (1600, 800)),
        "images/lead-480w.webp": ("WEBP", (480, 240)),
        "images/lead-960w.webp": ("WEBP", (960, 480)),
        "images/lead-1600w.webp": ("WEBP", (1600, 800)),
        "images/spikerest-mat.png": ("PNG", (640, 480)),
        "images/spikerest-mat-480w.png": ("PNG", (480, 360)),
        "images/spikerest-mat-640w.png": ("PNG", (640, 480)),
        "images/spikerest-mat-480w.webp": ("WEBP", (480, 360)),
        "images/spikerest-mat-640w.webp": ("WEBP", (640, 480)),
    }
    # At its own width and format a variant is the published picture, never encoded again.
    assert published["images/spikerest-mat-640w.png"] == published["images/spikerest-mat.png"]


def test_variants_are_the_same_bytes_on_every_export(shop: Project, tmp_path: Path) -> None:
    (shop.content / "images" / "lead.jpg").write_bytes(photo("JPEG"))
    assert shop.export(only=["media"]).ok
    first = _published(shop)
    # A second export from scratch, into another folder, its pictures made again.
    again = shop.export(only=["media"], out=tmp_path / "again", force=True)
    assert again.ok
    media = tmp_path / "again" / "media"
    second = {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }
    assert second == first
    # The variants carry no metadata either: no camera, no GPS, no XMP, no comment.
    for path, data in first.items():
        if path.startswith("images/lead-"):
            assert MAKE.encode() not in data
            assert XMP not in data
            assert TAIL not in data


def test_a_rotated_photo_keeps_its_orientation_in_its_variants(shop: Project) -> None:
    (shop.content / "images" / "lead.jpg").write_bytes(photo("JPEG", orientation=6))
    assert shop.export(only=["media"]).ok
    for path, data in _published(shop).items():
        if path.startswith("images/lead"):
            with Image.open(io.BytesIO(data)) as opened:
                assert opened.getexif().get(ExifTags.Base.Orientation) == 6, path
