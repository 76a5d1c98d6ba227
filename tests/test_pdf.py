"""The pdf writer: real WeasyPrint leaflets, checked with pikepdf, pypdf and pypdfium2."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

import spikecontent
from spikecontent import Library
from tests.conftest import SLUG, Project, pdf_profile

MM = 72 / 25.4


def export_pdf(project: Project, out: str = "dist") -> spikecontent.ExportReport:
    return project.export(only=["pdf"], out=out, force=True)


def leaflet(project: Project, out: str = "dist") -> Path:
    """The leaflet of a successful export into ``root/out``."""
    return project.exported("pdf", only=["pdf"], out=out, force=True) / f"{SLUG}.pdf"


@pytest.fixture(scope="module")
def default_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return leaflet(pdf_profile(Project(tmp_path_factory.mktemp("leaflet"))))


def words(text: str) -> str:
    """Letters and digits only: hyphenation and line breaks do not matter."""
    return re.sub(r"[\W_]+", "", text).lower()


def page_texts(path: Path) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(path).pages]


@pytest.mark.parametrize(
    ("preset", "size_mm"), [("a5", (148, 210)), ("a4", (210, 297)), ("letter", (215.9, 279.4))]
)
def test_page_size_per_preset(leaflets: Project, preset: str, size_mm: tuple[float, float]) -> None:
    pdf_profile(leaflets, f'preset = "{preset}"')
    with pikepdf.open(leaflet(leaflets)) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert (round(box[2] / MM, 1), round(box[3] / MM, 1)) == size_mm


def test_tagged_pdf_ua_with_language_title_and_structure(
    default_pdf: Path, library: Library
) -> None:
    with pikepdf.open(default_pdf) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title") == library.article(SLUG).title
        assert str(pdf.Root.Lang) == "en-US"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        roles = list(structure_roles(pdf.Root.StructTreeRoot))
    assert roles.count("H1") == 1
    # Two tables (the studies; what we know vs what we don't). WeasyPrint tags each page's
    # part of a table as its own Table, with the repeated header row.
    tables = " ".join(roles).split("Table ")[1:]
    assert len(tables) >= 2
    for table in tables:
        assert table.split()[:3] == ["THead", "TR", "TH"]
    assert "L" in roles
    assert "LI" in roles


def structure_elements(node: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node``, depth first."""
    kids = node.get("/K")
    for kid in [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") == "/StructElem":
            yield kid
            yield from structure_elements(kid)


@pytest.mark.parametrize("preset", ["a5", "trifold"])
def test_header_cells_have_a_scope_and_list_items_a_label_and_body(
    leaflets: Project, preset: str
) -> None:
    pdf_profile(leaflets, f'preset = "{preset}"')
    with pikepdf.open(leaflet(leaflets)) as pdf:
        elements = list(structure_elements(pdf.Root.StructTreeRoot))
        headers = [e for e in elements if e.S == "/TH"]
        items = [e for e in elements if e.S == "/LI"]
        assert headers
        assert items
        for header in headers:
            # Every header of these tables heads a column (PDF/UA: TH carries /Scope).
            assert header.A.Scope == "/Column"
            assert elements_parent_role(header, 2) == "/THead"
        for item in items:
            roles = [str(k.S) for k in item.K if isinstance(k, pikepdf.Dictionary)]
            assert set(roles) <= {"/Lbl", "/LBody"}, roles
            assert "/LBody" in roles
        # The bullets and the sources' numbers are labels.
        assert sum(e.S == "/Lbl" for e in elements) == len(items)
        for element in elements:  # what was regrouped points back at its new parent
            kids = element.K if isinstance(element.get("/K"), pikepdf.Array) else []
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    assert kid.P.objgen == element.objgen


def elements_parent_role(element: pikepdf.Dictionary, up: int) -> str:
    for _ in range(up):
        element = element.P
    return str(element.S)


def structure_roles(node: pikepdf.Object) -> Iterator[str]:
    kids = node.get("/K")
    if "/S" in node:
        yield str(node.S).lstrip("/")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        # Structure elements; marked-content references and annotations end the walk.
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") == "/StructElem":
            yield from structure_roles(kid)


def test_every_font_is_embedded_and_no_glyph_is_missing(default_pdf: Path) -> None:
    with pikepdf.open(default_pdf) as pdf:
        fonts = {}
        for page in pdf.pages:
            for name, font in page.Resources.Font.items():
                fonts[(page.objgen, name)] = font
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ")):
                    for item in operands[0] if operator == pikepdf.Operator("TJ") else operands:
                        if isinstance(item, pikepdf.String):
                            data = bytes(item)
                            glyphs = [data[i : i + 2] for i in range(0, len(data), 2)]
                            assert b"\x00\x00" not in glyphs  # glyph 0 is .notdef
        assert fonts
        for font in fonts.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "+Leaflet-" in str(descendant.BaseFont)  # our named faces, no fallback


def test_the_leaflet_says_what_must_be_said(default_pdf: Path, library: Library) -> None:
    text = "".join(page_texts(default_pdf))
    article = library.article(SLUG)
    resolved = library.resolve(article)
    assert words(resolved.disclaimer.text) in text
    for caution in resolved.cautions:
        assert words(caution.applies_to) in text
        assert words(caution.advice) in text
    for citation in resolved.citations:
        size = f"n = {citation.study.sample.n}" if citation.study.sample.n else "n not given"
        assert words(size) in text
    assert "pilot" in text
    assert words("From 34.99 USD · free shipping · 30-day money-back guarantee") in text
    assert words("Reviewed July 4, 2026. Curator: Maya Ellison.") in text


def test_no_study_row_is_split_across_pages(leaflets: Project, library: Library) -> None:
    pdf_profile(leaflets, 'preset = "a5"')
    pages = page_texts(leaflet(leaflets))
    for citation in library.resolve(SLUG).citations:
        study = citation.study
        note = f" {study.sample.note.rstrip('.')}." if study.sample.note else ""
        tested = f"Tested: {study.intervention.rstrip('.')}.{note}"
        row = words(study.finding) + words(tested) + words(" ".join(study.limitations))
        assert sum(row in page for page in pages) == 1, citation.study.id


def test_output_is_byte_identical(leaflets: Project) -> None:
    assert leaflet(leaflets, "one").read_bytes() == leaflet(leaflets, "two").read_bytes()


def test_the_first_page_is_not_blank(default_pdf: Path) -> None:
    document = pypdfium2.PdfDocument(str(default_pdf))
    image = document[0].render(scale=0.5).to_pil().convert("L")
    dark = sum(image.histogram()[:160])  # text and rules; a blank page has none
    assert dark > 0.005 * image.width * image.height


def test_print_marks_add_bleed(leaflets: Project) -> None:
    pdf_profile(leaflets, "print_marks = true")
    with pikepdf.open(leaflet(leaflets)) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
    assert round((media[2] - media[0]) - (trim[2] - trim[0])) >= round(6 * MM)


# WeasyPrint 70 leaves its sRGB ICC profile file open when it writes PDF/A.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_pdf_a_variant(leaflets: Project) -> None:
    pdf_profile(leaflets, 'variant = "pdf/a-3b"')
    with pikepdf.open(leaflet(leaflets)) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfaid:part") == "3"
        assert xmp.get("pdfaid:conformance") == "B"


class Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_hostile_links_are_not_fetched_embedded_or_attached(leaflets: Project, server: str) -> None:
    article = leaflets.content / "articles" / f"{SLUG}.yaml"
    text = article.read_text(encoding="utf-8")
    text = text.replace(
        "covers the sleep angle", f"covers the sleep angle ([image]({server}/tracker.png))"
    )
    article.write_text(text, encoding="utf-8")

    pdf_path = leaflet(leaflets)

    assert Recorder.requests == []
    with pikepdf.open(pdf_path) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert all(a.Subtype != "/FileAttachment" for a in annotations)
        uris = {str(a.A.URI) for a in annotations if "/A" in a and "/URI" in a.A}
    assert f"{server}/tracker.png" in uris  # a link the reader may follow, never fetched


def test_an_override_that_loads_anything_else_fails_the_export(
    leaflets: Project, server: str
) -> None:
    (leaflets.exporters / "pdf").mkdir()
    packaged = (
        Path(spikecontent.__file__).parent / "writers/pdf/templates/leaflet.css"
    ).read_text()
    (leaflets.exporters / "pdf" / "leaflet.css").write_text(
        f'@import url("{server}/evil.css");\n'
        'body { background: url("file:///etc/passwd"); }\n' + packaged
    )

    report = export_pdf(leaflets)

    assert Recorder.requests == []
    [failure] = report.failed
    assert failure.writer == "pdf"
    assert f"refused URL {server}/evil.css" in failure.cause
    assert "refused URL file:///etc/passwd" in failure.cause
    assert not (leaflets.root / "dist" / "pdf").exists()


def test_weasyprint_warnings_become_export_errors(leaflets: Project) -> None:
    (leaflets.exporters / "pdf").mkdir()
    packaged = (
        Path(spikecontent.__file__).parent / "writers/pdf/templates/leaflet.css"
    ).read_text()
    (leaflets.exporters / "pdf" / "leaflet.css").write_text(packaged + "\nh1 { colour: red; }\n")

    [failure] = export_pdf(leaflets).failed

    assert "colour" in failure.cause


def test_content_that_does_not_fit_the_trifold_is_an_error(leaflets: Project) -> None:
    pdf_profile(leaflets, 'preset = "trifold"')
    article = leaflets.content / "articles" / f"{SLUG}.yaml"
    text = article.read_text(encoding="utf-8")
    long_body = "      This sentence makes the brief far too long to fold. " * 120
    text = text.replace(
        "    body: |\n      This split", f"    body: |\n{long_body}\n\n      This split", 1
    )
    article.write_text(text, encoding="utf-8")

    [failure] = export_pdf(leaflets).failed

    assert failure.cause.startswith("the article does not fit the tri-fold's two sides")
    assert "pages, not 2" in failure.cause
    # Placed like a content error: at the article's file (the whole article overflows).
    assert failure.place is not None
    assert failure.place.file.endswith(f"articles/{SLUG}.yaml")
    assert (failure.place.line, failure.place.col) == (1, 1)
    assert "a5 or a4 preset" in failure.place.fix
    assert str(failure).startswith(f"{failure.place.file}:1:1: the article does not fit")


def test_the_leaflet_cites_each_study_as_the_content_has_it(default_pdf: Path) -> None:
    text = "".join(page_texts(default_pdf))
    # Numbered references under the research table: authors, journal, year.
    hohmann = "Hohmann et al. Evidence-Based Complementary and Alternative Medicine. 2012."
    assert words(hohmann) in text
    assert words("Kisker et al. Applied Psychology: Health and Well-Being. 2024.") in text


def test_every_page_footer_comes_from_the_content(leaflets: Project) -> None:
    second = "mats-and-sleep"
    leaflets.with_article(second, title="Acupressure mats and sleep")
    pdf_profile(leaflets)
    export_pdf(leaflets)
    folder = leaflets.out / "pdf"
    for slug, title in ((SLUG, "Acupressure Mat Benefits"), (second, "Acupressure mats and sleep")):
        pages = page_texts(folder / f"{slug}.pdf")
        assert all(words(f"SpikeRest · {title}") in words(page) for page in pages), slug
        if slug == second:  # not the flagship's words on another article's leaflet
            assert all(words("what the research really says") not in page for page in pages)


@pytest.mark.parametrize("preset", ["a5", "trifold"])
def test_safety_and_legal_text_is_never_hyphenated(leaflets: Project, preset: str) -> None:
    pdf_profile(leaflets, f'preset = "{preset}"')
    export_pdf(leaflets)
    reader = PdfReader(leaflets.out / "pdf" / f"{SLUG}.pdf")
    raw = "\n".join(page.extract_text() for page in reader.pages)
    library = spikecontent.load(leaflets.content)
    resolved = library.resolve(SLUG)
    assert resolved.disclaimer is not None
    texts = [resolved.disclaimer.text, *(c.advice for c in resolved.cautions)]
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw.splitlines()]
    joined = " ".join(lines)
    for text in texts:
        # Every word of it is whole in the extracted text: no "diag- nose".
        for word in re.findall(r"[A-Za-z]{6,}", text):
            assert word in joined, (preset, word)


def test_the_qr_code_names_its_url_to_screen_readers(default_pdf: Path) -> None:
    with pikepdf.open(default_pdf) as pdf:
        figures: list[str] = []

        def walk(node: object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    figures.append(str(node.get("/Alt")))
                if "/K" in node:
                    walk(node["/K"])
            elif isinstance(node, pikepdf.Array):
                for item in node:
                    walk(item)

        walk(pdf.Root.StructTreeRoot)
    assert figures == [
        "QR code linking to real buyer reviews: https://www.spikerest.example/reviews",
        f"QR code linking to the full article: https://www.spikerest.example/{SLUG}/",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_an_export_leaves_no_font_files_behind(tmp_path: Path, jobs: int) -> None:
    # WeasyPrint copies the leaflet's fonts into a temporary folder (one per process that
    # renders): the command must remove it when it ends, in its workers too.
    project = Project(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    command = [sys.executable, "-m", "spikecontent", *project.export_arguments("pdf")]
    environment = {**os.environ, "TMPDIR": str(temporary)}
    subprocess.run([*command, "--jobs", str(jobs)], env=environment, check=True)
    assert any(project.out.glob("leaflets/*.pdf"))
    assert list(temporary.iterdir()) == []


def test_the_2012_row_says_it_was_a_pad_in_a_pair_of_pilot_studies(leaflets: Project) -> None:
    """The seed: "a pair of small 2012 pilot studies (total n = 42) tested a mechanical
    needle-stimulation pad": not one trial of the mat."""
    text = " ".join(page_texts(leaflet(leaflets)))
    assert words("Tested: Two weeks of self-use of a mechanical needle-stimulation pad.") in text
    assert words("Total across a pair of randomized controlled pilot studies.") in text


REVIEWS = "https://www.spikerest.example/reviews"
ARTICLE_URL = f"https://www.spikerest.example/{SLUG}/"


def link_uris(path: Path) -> set[str]:
    """Where the leaflet's link annotations lead."""
    with pikepdf.open(path) as pdf:
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        return {str(a.A.URI) for a in annotations if "/A" in a and "/URI" in a.A}


QRCode = tuple[tuple[bool, ...], ...]


def qr_code(url: str) -> QRCode:
    """The modules of the QR code the writer makes for ``url`` (True: dark)."""
    import segno

    return tuple(tuple(bool(v) for v in row) for row in segno.make(url, error="m").matrix)


def printed_qr_codes(path: Path, size: int) -> list[QRCode]:
    """Every QR code of ``size`` modules a side printed in the PDF, read from its pixels.

    WeasyPrint draws segno's SVG as one path of horizontal strokes, a module wide, through
    the modules' middles: its bounds are one module wider than high, and centred on the
    code. Each module is read at its centre on the rendered page."""
    import pypdfium2.raw as pdfium

    found = []
    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        scale = 8.0
        image = None
        for obj in page.get_objects(max_depth=3):
            if obj.type != pdfium.FPDF_PAGEOBJ_PATH:
                continue
            left, bottom, right, top = obj.get_bounds()
            module = (right - left) - (top - bottom)
            if not 0 < module < (right - left) / 15:
                continue  # a rule or a box, not a QR code
            if image is None:
                image = page.render(scale=scale).to_pil().convert("L")
            x0 = (left + right) / 2 - size * module / 2
            y0 = page.get_height() - (top + bottom) / 2 - size * module / 2
            found.append(
                tuple(
                    tuple(
                        image.getpixel(
                            (
                                round((x0 + (j + 0.5) * module) * scale),
                                round((y0 + (i + 0.5) * module) * scale),
                            )
                        )
                        < 128
                        for j in range(size)
                    )
                    for i in range(size)
                )
            )
    document.close()
    return found


@pytest.mark.parametrize("preset", ["a5", "a4", "letter", "trifold"])
def test_every_preset_prints_the_byline_and_the_reviews_link(
    leaflets: Project, preset: str
) -> None:
    """The seed's last lines, which the web page shows (eee7efc): "Read real buyer reviews"
    and "Who wrote this". On paper each link is printed as an address a reader can type,
    and the reviews link has a QR code of its own, as the article's has."""
    pdf_profile(leaflets, f'preset = "{preset}"')
    path = leaflet(leaflets)
    text = "".join(page_texts(path))
    assert words("Read real buyer reviews " + REVIEWS) in text
    assert words("Who wrote this Reviewed July 4, 2026. Curator: Maya Ellison.") in text
    assert (
        words(
            "See how we test (https://www.spikerest.example/how-we-test)"
            " and our story (https://www.spikerest.example/our-story)."
        )
        in text
    )
    assert {
        REVIEWS,
        "https://www.spikerest.example/how-we-test",
        "https://www.spikerest.example/our-story",
    } <= link_uris(path)
    reviews, article = qr_code(REVIEWS), qr_code(ARTICLE_URL)
    assert reviews in printed_qr_codes(path, len(reviews))
    assert article in printed_qr_codes(path, len(article))


def test_no_printed_address_is_smaller_than_7_5_pt(default_pdf: Path) -> None:
    """The addresses the byline and the reviews link print are read and typed from paper."""
    import pypdfium2.raw as pdfium

    addresses = [REVIEWS, "https://www.spikerest.example/how-we-test"]
    sizes: dict[str, list[float]] = {a: [] for a in addresses}
    document = pypdfium2.PdfDocument(str(default_pdf))
    for page in document:
        textpage = page.get_textpage()
        for address in addresses:
            searcher = textpage.search(address)
            while (hit := searcher.get_next()) is not None:
                start, count = hit
                sizes[address] += [
                    # WeasyPrint draws in CSS pixels: a font unit is 0.75 pt.
                    pdfium.FPDFText_GetFontSize(textpage.raw, i) * 0.75
                    for i in range(start, start + count)
                ]
    document.close()
    for address, found in sizes.items():
        assert found, address
        assert min(found) >= 7.5, (address, min(found))


def test_without_a_byline_or_reviews_page_the_leaflet_prints_neither(leaflets: Project) -> None:
    leaflets.edit("products/spikerest-mat.yaml", "reviews_url: page:reviews\n", "")
    article = leaflets.content / "articles" / f"{SLUG}.yaml"
    text = article.read_text(encoding="utf-8")
    start = text.index("byline:\n")
    article.write_text(text[:start] + text[text.index("faq:\n", start) :], encoding="utf-8")
    path = leaflet(leaflets)
    printed = "".join(page_texts(path))
    assert words("Read real buyer reviews") not in printed
    assert words("Who wrote this") not in printed
    assert words("Reviewed July 4, 2026. Curator: Maya Ellison.") in printed  # as before
    article_code = qr_code(ARTICLE_URL)
    assert printed_qr_codes(path, len(article_code)) == [article_code]
