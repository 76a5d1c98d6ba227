"""How the leaflet lays out: the tri-fold's panels and folds, type sizes, line breaks and
the sections a profile chooses. Real WeasyPrint PDFs, measured with pypdfium2 and pypdf."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from pypdf import PdfReader

from spikecontent import ContentError
from tests.conftest import REPO, Project, pdf_profile
from tests.test_pdf import MM, leaflet, page_texts, structure_elements, words

# Fold lines from the left edge, per side: outside 97 | 100 | 100 mm, inside 100 | 100 | 97.
FOLDS = {0: (97.0, 197.0), 1: (100.0, 200.0)}
# WeasyPrint draws in CSS pixels (its pages carry a 0.75 scale), and PDFium reports a
# character's font size in those units: 1 px is 0.75 pt.
PT_PER_FONT_UNIT = 0.75


@pytest.fixture(scope="module")
def trifold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = Project(tmp_path_factory.mktemp("trifold"))
    return leaflet(pdf_profile(project, 'preset = "trifold"'))


def glyphs(path: Path, page: int) -> Iterator[tuple[str, float, float, float, float]]:
    """Each printed character: itself, its left, bottom and right edge in mm, its size in pt."""
    document = pypdfium2.PdfDocument(str(path))
    textpage = document[page].get_textpage()
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        left, bottom, right, _top = textpage.get_charbox(index)
        if not char.strip() or right <= left:
            continue  # spaces and line ends carry no ink
        size = pdfium.FPDFText_GetFontSize(textpage.raw, index) * PT_PER_FONT_UNIT
        yield char, left / MM, bottom / MM, right / MM, size


def panel_of(side: int, x_mm: float) -> int:
    return sum(x_mm > fold for fold in FOLDS[side])


def test_the_trifold_is_two_a4_landscape_sides_and_nothing_crosses_a_fold(trifold: Path) -> None:
    reader = PdfReader(trifold)
    assert len(reader.pages) == 2
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (297, 210)
    for side in (0, 1):
        for char, left, _bottom, right, _size in glyphs(trifold, side):
            # At least 4 mm clear of each fold: a fold never cuts through a line.
            assert all(fold + 4 <= left or right <= fold - 4 for fold in FOLDS[side]), (
                side,
                char,
            )
    # The cover is the outside's right-hand panel: the title starts there.
    cover = [g for g in glyphs(trifold, 0) if panel_of(0, g[1]) == 2]
    assert words("Acupressure Mat Benefits") in words("".join(g[0] for g in cover))


def test_no_trifold_panel_is_more_than_40_percent_empty(trifold: Path) -> None:
    for side in (0, 1):
        lowest: dict[int, float] = {}
        for _char, left, bottom, _right, _size in glyphs(trifold, side):
            panel = panel_of(side, left)
            lowest[panel] = min(lowest.get(panel, 210.0), bottom)
        assert sorted(lowest) == [0, 1, 2], side  # every panel carries text
        for panel, bottom in lowest.items():
            # The space under a panel's last line is its empty part.
            assert bottom / 210 <= 0.40, (side, panel, f"{bottom / 210:.0%} empty")


def test_trifold_type_is_never_smaller_than_8_pt(trifold: Path) -> None:
    small = {
        char for side in (0, 1) for char, *_edges, size in glyphs(trifold, side) if size < 8 - 0.01
    }
    # Only the reference numbers are superscripts below body size.
    assert small <= set("0123456789"), small


HYPHENS = ("-", "\u2010", "\u00ad")


def hyphenated_words(root: Path) -> set[str]:
    """Every hyphenated word the content itself writes ("self-reported")."""
    text = " ".join(p.read_text(encoding="utf-8") for p in root.rglob("*.yaml"))
    return {w.lower() for w in re.findall(r"\w+(?:-\w+)+", text)}


@pytest.mark.parametrize("preset", ["a5", "trifold"])
def test_no_word_is_broken_by_the_layout(leaflets: Project, preset: str) -> None:
    pdf_profile(leaflets, f'preset = "{preset}"')
    reader = PdfReader(leaflet(leaflets))
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    written = hyphenated_words(leaflets.content)
    broken = []
    for line, after in itertools.pairwise(lines):
        # WeasyPrint's own hyphen is U+2010; a word may also break at its own "-".
        if line.endswith(HYPHENS) and after and not line[-2:-1].isspace():
            joined = line.split()[-1][:-1] + "-" + after.split()[0]
            if joined.strip(".,;:()").lower() not in written:  # a hyphen the layout made
                broken.append(joined)
    assert broken == [], preset


HEADINGS = {
    "research": "The research, honestly summarized",
    "tips": "How to get the most from your mat",
    "sleep": "Acupressure mats and sleep",
    "faq": "Acupressure mat benefits FAQ",
    "honesty": "How we keep this page honest",
}
ALWAYS = ("Who should avoid acupressure mats", "Wellness disclaimer", "SpikeRest mat")


def printed(path: Path) -> str:
    return "".join(page_texts(path))


def test_each_preset_prints_what_its_docs_table_says(leaflets: Project, trifold: Path) -> None:
    page = printed(leaflet(leaflets))
    assert all(words(h) in page for h in HEADINGS.values())
    assert words("Can an acupressure mat help with sleep?") in page
    folded = printed(trifold)
    assert [s for s, h in HEADINGS.items() if words(h) not in folded] == ["faq"]
    for text in (page, folded):
        assert all(words(h) in text for h in ALWAYS)


def test_a_profile_chooses_the_sections(leaflets: Project) -> None:
    pdf_profile(leaflets, 'sections = ["faq", "honesty"]')
    text = printed(leaflet(leaflets))
    shown = {s for s, h in HEADINGS.items() if words(h) in text}
    assert shown == {"faq", "honesty"}
    # Safety and legal text is not a section to leave off.
    assert all(words(h) in text for h in ALWAYS)


def test_an_unknown_or_repeated_section_is_named_at_its_place(leaflets: Project) -> None:
    leaflets.profile("pdf", 'writer = "pdf"\n[options]\nsections = ["faq", "sidebar", "faq"]\n')
    with pytest.raises(ContentError) as caught:
        leaflets.export(only=["pdf"])
    [problem] = caught.value.diagnostics
    assert Path(problem.file).name == "pdf.toml"
    assert (problem.line, problem.field) == (3, "options.sections[1]")
    assert problem.message == "'sidebar' is not a leaflet section"
    assert problem.fix.startswith("use some of brief, research, evidence")


@pytest.mark.slow
def test_the_committed_page_images_show_the_leaflets_as_they_are(tmp_path: Path) -> None:
    from PIL import Image, ImageChops

    from tests import leaflet_images

    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, data in leaflet_images.render_all(tmp_path).items():
        assert f"(leaflets/{name})" in reference, f"docs/cli.md does not show {name}"
        committed = Image.open(leaflet_images.IMAGES / name).convert("RGB")
        current = Image.open(io.BytesIO(data)).convert("RGB")
        assert committed.size == current.size, f"{name}: run python -m tests.leaflet_images"
        changed = ImageChops.difference(committed, current).convert("L").point(lambda v: v > 16)
        share = sum(changed.histogram()[1:]) / (current.width * current.height)
        # Antialiasing may differ by a shade; a moved line or a new section does not.
        assert share < 0.002, f"{name} is out of date: run python -m tests.leaflet_images"


SHEETS_MM = {"a5": (148, 210), "a4": (210, 297), "letter": (216, 279), "trifold": (297, 210)}


# WeasyPrint 70 leaves its sRGB ICC profile file open when it writes PDF/A.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
@pytest.mark.parametrize("preset", list(SHEETS_MM))
def test_every_preset_renders_in_every_variant_with_pictures(
    leaflets: Project, preset: str, variant: str
) -> None:
    import pikepdf

    from tests.pictures import with_merchant_listing

    with_merchant_listing(leaflets.content)
    pdf_profile(leaflets, f'preset = "{preset}"\nvariant = "{variant}"')
    with pikepdf.open(leaflet(leaflets)) as pdf, pdf.open_metadata() as xmp:
        for page in pdf.pages:
            box = page.mediabox
            size = (round(float(box[2]) / MM), round(float(box[3]) / MM))
            assert size == SHEETS_MM[preset]
        if variant == "pdf/ua-1":
            assert xmp.get("pdfuaid:part") == "1"
            alts = {
                str(e.Alt)
                for e in structure_elements(pdf.Root.StructTreeRoot)
                if e.get("/S") == "/Figure"
            }
            assert "A rolled-out SpikeRest mat with its pillow, seen from above" in alts
            assert "A mat on a wooden floor beside a pillow" in alts
        else:
            assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "B")
        images = [name for page in pdf.pages for name in page.get_images()]
        assert len(images) >= 2  # the lead picture and the product's
