"""Pictures in content: measured at load time, every mistake at its file:line:col, carried
to the leaflet, the delivery document and the JSON-LD."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from typer.testing import CliRunner

import spikecontent
from spikecontent import ContentError
from spikecontent.cli import app
from spikecontent.document import article_document
from spikecontent.loading.images import MAX_IMAGE_PIXELS
from tests.conftest import ARTICLE, SLUG, Project
from tests.pictures import bilevel_png, picture, with_merchant_listing

PRODUCT = "products/spikerest-mat.yaml"


@pytest.fixture
def shop(tmp_path: Path) -> Project:
    project = Project(tmp_path)
    with_merchant_listing(project.content)
    return project


def test_pictures_are_measured_from_their_files(shop: Project) -> None:
    library = spikecontent.load(shop.content)
    image = library.product("spikerest-mat").image
    assert image is not None
    data = (shop.content / "images" / "spikerest-mat.png").read_bytes()
    assert (image.width, image.height) == (640, 480)
    assert image.digest == hashlib.sha256(data).hexdigest()
    assert library.media[image.file] == data
    lead = library.article(SLUG).image
    assert lead is not None
    assert (lead.width, lead.height, lead.media_type) == (1200, 675, "image/jpeg")


def test_every_picture_mistake_is_reported_at_once_where_it_was_written(shop: Project) -> None:
    (shop.content / "images" / "lead.jpg").write_bytes(picture(10, 10, "PNG"))  # not a JPEG
    missing = shop.edit(PRODUCT, "images/spikerest-mat.png", "images/spikerest-mat.jpeg")
    measured = shop.edit(ARTICLE, "  alt: A mat on", "  width: 300\n  alt: A mat on")
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    found = {(Path(d.file).name, d.line, d.field): d for d in raised.value.diagnostics}
    no_file = found[("spikerest-mat.yaml", missing, "image.file")]
    assert "no picture at 'images/spikerest-mat.jpeg'" in no_file.message
    assert "spikerest-mat.png" in no_file.message  # what the folder does have
    wrong = found[("acupressure-mat-benefits.yaml", measured - 1, "image.file")]
    assert "is not a JPEG file inside" in wrong.message
    written = found[("acupressure-mat-benefits.yaml", measured, "image.width")]
    assert written.message == "width is read from the picture file"
    assert written.col == 3


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("../outside.png", "is not a plain path inside the content folder"),
        ("images/mat.gif", "is not a picture every channel can show"),
        ("/srv/images/mat.png", "is not a plain path inside the content folder"),
    ],
)
def test_a_picture_path_must_name_a_usable_file_inside_the_content(
    shop: Project, written: str, said: str
) -> None:
    line = shop.edit(PRODUCT, "images/spikerest-mat.png", written)
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.line, diagnostic.field) == (line, "image.file")
    assert said in diagnostic.message


def test_a_site_that_shows_pictures_says_where_they_are_published(shop: Project) -> None:
    shop.edit("site.yaml", "media_url: https://media.spikerest.example/content/\n", "")
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    fields = sorted((Path(d.file).name, d.field) for d in raised.value.diagnostics)
    assert fields == [
        ("acupressure-mat-benefits.yaml", "image.file"),
        ("spikerest-mat.yaml", "image.file"),
    ]
    assert all("add media_url to site.yaml" in d.fix for d in raised.value.diagnostics)


def test_a_picture_over_the_pixel_limit_is_refused_at_validate(shop: Project) -> None:
    # 89.5 million pixels in 11 KB: it took the export down (a decompression bomb) after
    # validate had passed it. Refused at its place, from its header alone.
    mat = shop.content / "images" / "spikerest-mat.png"
    mat.write_bytes(bilevel_png(10_000, 8_948))
    line = shop.edit(
        PRODUCT, "  file: images/spikerest-mat.png", "  file: images/spikerest-mat.png"
    )
    result = CliRunner().invoke(app, ["validate", str(shop.content)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    place = f"{shop.content / PRODUCT}:{line}:9: image.file: "
    assert (
        f"{place}'images/spikerest-mat.png' is 10,000 x 8,948 pixels, over the limit of "
        "89,478,485 pixels (about 89.5 megapixels) (fix: export it smaller;"
    ) in result.stderr
    assert result.stderr.splitlines()[-1] == "1 error in 1 file"
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    [diagnostic] = raised.value.diagnostics
    assert (diagnostic.line, diagnostic.col, diagnostic.field) == (line, 9, "image.file")


@pytest.mark.parametrize("kind", ["PNG", "JPEG", "WEBP"])
def test_a_picture_cut_short_is_refused_at_validate_not_at_export(shop: Project, kind: str) -> None:
    """A picture whose header reads but whose data ends early passed validate, then failed
    the export where the channels strip its metadata: the loader follows it as they do."""
    data = picture(640, 480, kind)
    mat = shop.content / "images" / "spikerest-mat.png"
    mat.write_bytes(data[: len(data) // 2])
    if kind != "PNG":  # the suffix says the kind the channels follow
        mat = mat.rename(mat.with_suffix(".jpg" if kind == "JPEG" else ".webp"))
        shop.edit(PRODUCT, "images/spikerest-mat.png", f"images/{mat.name}")
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    [diagnostic] = raised.value.diagnostics
    assert diagnostic.field == "image.file"
    assert f"'images/{mat.name}' is damaged: " in diagnostic.message
    assert "save the picture again" in diagnostic.fix


def test_the_pixel_limit_is_pillows_decompression_bomb_bound(shop: Project) -> None:
    assert MAX_IMAGE_PIXELS == Image.MAX_IMAGE_PIXELS == 5 * 17_895_697
    mat = shop.content / "images" / "spikerest-mat.png"
    mat.write_bytes(bilevel_png(17_895_697, 5))  # at the limit: measured, not decoded
    image = spikecontent.load(shop.content).product("spikerest-mat").image
    assert image is not None
    assert (image.width, image.height) == (17_895_697, 5)
    mat.write_bytes(bilevel_png(17_895_698, 5))  # one column more: five pixels over
    with pytest.raises(ContentError) as raised:
        spikecontent.load(shop.content)
    [diagnostic] = raised.value.diagnostics
    assert "is 17,895,698 x 5 pixels, over the limit of 89,478,485 pixels" in diagnostic.message


def test_the_delivery_document_carries_each_picture_with_its_url(shop: Project) -> None:
    library = spikecontent.load(shop.content)
    document = article_document(library, SLUG)
    assert document["image"] == {
        "file": "images/lead.jpg",
        "alt": "A mat on a wooden floor beside a pillow",
        "width": 1200,
        "height": 675,
        "digest": library.article(SLUG).image.digest,  # type: ignore[union-attr]
        "url": "https://media.spikerest.example/content/images/lead.jpg",
    }
    product = document["offer"]["product"]["image"]
    assert product["url"].endswith("/content/images/spikerest-mat.png")
    json.dumps(document)  # plain data all the way down


def test_the_leaflet_shows_the_pictures_with_their_words(shop: Project) -> None:
    pdf = shop.exported("leaflets", only=["pdf"]) / f"{SLUG}.pdf"
    with pikepdf.open(pdf) as document:
        sizes = set()
        for page in document.pages:
            for _name, image in page.get_images().items():
                sizes.add((int(image.Width), int(image.Height)))
        figures = [
            str(element.get("/Alt"))
            for element in _structure(document.Root.StructTreeRoot)
            if element.get("/S") == "/Figure"
        ]
    assert {(1200, 675), (640, 480)} <= sizes
    assert "A mat on a wooden floor beside a pillow" in figures
    assert "A rolled-out SpikeRest mat with its pillow, seen from above" in figures


def test_a_changed_picture_rebuilds_what_shows_it(shop: Project) -> None:
    shop.export(only=["jsonld", "json"])
    first = (shop.out / "json" / "articles" / f"{SLUG}.json").read_bytes()
    (shop.content / "images" / "lead.jpg").write_bytes(picture(800, 600, "JPEG"))
    shop.export(only=["jsonld", "json"])
    after = json.loads((shop.out / "json" / "articles" / f"{SLUG}.json").read_bytes())
    assert (after["image"]["width"], after["image"]["height"]) == (800, 600)
    assert first != (shop.out / "json" / "articles" / f"{SLUG}.json").read_bytes()
    graph = json.loads((shop.out / "jsonld" / f"{SLUG}.jsonld").read_bytes())
    [article] = [n for n in graph["@graph"] if n["@type"] == "Article"]
    assert (article["image"]["width"], article["image"]["height"]) == (800, 600)


def _structure(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for kid in items:
        if isinstance(kid, pikepdf.Dictionary):
            found.append(kid)
            found.extend(_structure(kid))
    return found


@pytest.mark.parametrize(
    ("size", "page", "says"),
    [
        # 64 x 32: 2,048 pixels, under Article's 50,000 and Discover's 1,200 px wide.
        ((64, 32), "structured-data/article", "at least 50,000 pixels"),
        # 800 x 450: 360,000 pixels, enough for Article, too narrow for large previews.
        ((800, 450), "google-discover", "at least 1,200 px wide"),
    ],
)
def test_validate_warns_when_the_lead_picture_is_smaller_than_google_asks(
    shop: Project, size: tuple[int, int], page: str, says: str
) -> None:
    (shop.content / "images" / "lead.jpg").write_bytes(picture(*size, "JPEG"))
    line = shop.edit(ARTICLE, "  file: images/lead.jpg", "  file: images/lead.jpg")
    result = CliRunner().invoke(app, ["validate", str(shop.content)])
    assert result.exit_code == 0, result.output  # a warning: the export goes on
    (warning,) = (s for s in result.output.splitlines() if "structure.lead-picture-size" in s)
    # At the picture's file:line:col, naming Google's page that asks for more.
    assert f"{ARTICLE}:{line}:" in warning
    assert "image.file" in warning
    assert f"'images/lead.jpg' is {size[0]:,} x {size[1]:,} pixels" in warning
    assert says in warning
    assert f"https://developers.google.com/search/docs/appearance/{page}" in warning


def test_a_lead_picture_as_large_as_google_asks_gets_no_warning(shop: Project) -> None:
    result = CliRunner().invoke(app, ["validate", str(shop.content)])  # 1200 x 675
    assert "structure.lead-picture-size" not in result.output


def test_an_export_warns_again_when_only_the_lead_picture_shrinks(shop: Project) -> None:
    """Each article's lint findings are cached by what they are made from: the lead
    picture's bytes too, so a smaller picture under the same name is checked again."""
    assert shop.export(only=["json"]).ok  # 1200 x 675: no warning, findings cached
    (shop.content / "images" / "lead.jpg").write_bytes(picture(64, 32, "JPEG"))
    report = shop.export(only=["json"])
    assert report.ok
    assert any(w.rule == "structure.lead-picture-size" for w in report.warnings)
